// Three-way merge of change sets: resolveConflicts refuses missing or unknown choices and an
// invalid outcome.
import { describe, expect, it } from 'vitest';
import { resolveConflicts, type MergeResult } from '../../src/core/merge';
import { base, merge, set } from '../helpers/merge';

describe('resolveConflicts', () => {
  const conflicted = () =>
    merge(
      set({
        op: 'update',
        kind: 'user',
        key: 'bob',
        changes: { displayName: { from: 'Bob', to: 'Robert' } },
      }),
      set({
        op: 'update',
        kind: 'user',
        key: 'bob',
        changes: { displayName: { from: 'Bob', to: 'Bobby' } },
      }),
    );

  it('throws when a choice is missing or names no conflict', () => {
    expect(() => resolveConflicts(base(), conflicted(), {})).toThrow(
      'conflict "user:bob:displayName" needs a choice',
    );
    expect(() =>
      resolveConflicts(base(), conflicted(), { 'user:bob:displayName': 'ours', nope: 'ours' }),
    ).toThrow('no conflict "nope"');
  });

  it('throws when the outcome is invalid', () => {
    const r = conflicted();
    const bad: MergeResult = {
      ...r,
      conflicts: r.conflicts.map((c) => ({
        ...c,
        operations: {
          ...c.operations,
          ours: [
            { op: 'update', kind: 'user', key: 'bob', changes: { groups: { added: ['Ghosts'] } } },
          ],
        },
      })),
    };
    expect(() => resolveConflicts(base(), bad, { 'user:bob:displayName': 'ours' })).toThrow(
      /the chosen resolution leaves an invalid policy/,
    );
  });
});
