// Three-way merge of change sets: properties over generated policies (empty side, self-merge,
// symmetry, validity).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChangeSet } from '../../src/core/change-set';
import { factId, factsBetween } from '../../src/core/change-facts';
import { diffPolicies } from '../../src/core/diff';
import { mergeChangeSets, resolveConflicts } from '../../src/core/merge';
import { parsePolicy, type Policy } from '../../src/core/index';
import { policyArb } from '../helpers/change-set-arbitrary';
import { EMPTY, same } from '../helpers/merge';

describe('merge properties', () => {
  const scenario = fc.tuple(policyArb, policyArb, policyArb).map(([b, x, y]) => ({
    base: b,
    x: diffPolicies(b, x).changeSet,
    y: diffPolicies(b, y).changeSet,
    xPolicy: x,
  }));

  it('merging a change set with an empty one gives that change set’s result', () => {
    fc.assert(
      fc.property(scenario, ({ base: b, x, xPolicy }) => {
        for (const r of [mergeChangeSets(b, x, EMPTY), mergeChangeSets(b, EMPTY, x)]) {
          expect(r.conflicts).toEqual([]);
          same(r.merged, xPolicy);
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('merging a change set with itself gives its result', () => {
    fc.assert(
      fc.property(scenario, ({ base: b, x, xPolicy }) => {
        const r = mergeChangeSets(b, x, x);
        expect(r.conflicts).toEqual([]);
        same(r.merged, xPolicy);
        expect(r.applied.operations).toEqual(x.operations);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('is symmetric, valid, and every resolution is valid', () => {
    fc.assert(
      fc.property(scenario, ({ base: b, x, y }) => {
        const r = mergeChangeSets(b, x, y);
        const swapped = mergeChangeSets(b, y, x);
        same(r.merged, swapped.merged);
        expect(swapped.conflicts.map((c) => c.id)).toEqual(r.conflicts.map((c) => c.id));
        same(parsePolicy(r.merged), r.merged);
        for (const choice of ['ours', 'theirs', 'base'] as const) {
          const choices = Object.fromEntries(r.conflicts.map((c) => [c.id, choice]));
          const resolved = resolveConflicts(b, r, choices);
          if (r.conflicts.length === 0) same(resolved, r.merged);
          const mirrored = { ours: 'theirs', theirs: 'ours', base: 'base' } as const;
          const flipped = Object.fromEntries(
            swapped.conflicts.map((c) => [c.id, mirrored[choice]]),
          );
          same(resolveConflicts(b, swapped, flipped), resolved);
        }
        if (r.conflicts.length === 0) {
          // Without conflicts the merge holds exactly both sides' facts (bar edge removals
          // made moot by removing a principal).
          const ids = (p: Policy) => new Set(factsBetween(b, p).map(factId));
          const merged = ids(r.merged);
          const gone = (kind: string, key: string) =>
            merged.has(factId({ type: 'remove', kind: kind as 'user', key }));
          for (const side of [applyChangeSet(b, x), applyChangeSet(b, y)]) {
            for (const f of factsBetween(b, side)) {
              const moot =
                (f.type === 'member' &&
                  !f.added &&
                  (gone('user', f.user) || gone('group', f.group))) ||
                (f.type === 'nest' &&
                  !f.added &&
                  (gone('group', f.parent) || gone('group', f.child)));
              if (!moot) expect(merged).toContain(factId(f));
            }
          }
          expect(merged.size).toBeLessThanOrEqual(
            ids(applyChangeSet(b, x)).size + ids(applyChangeSet(b, y)).size,
          );
        }
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
