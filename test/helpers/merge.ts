// Shared helpers for the three-way merge tests: a base policy, change-set shorthands and
// merging or resolving against that base.
import { expect } from 'vitest';
import { type ChangeSet, type Operation } from '../../src/core/change-set';
import { canonicalPolicy } from '../../src/core/diff';
import { mergeChangeSets, resolveConflicts, type MergeResult } from '../../src/core/merge';
import { parsePolicy, type Policy } from '../../src/core/index';

export const base = (): Policy =>
  parsePolicy({
    users: [
      { name: 'bob', displayName: 'Bob', groups: ['Developers'] },
      { name: 'alice', email: 'alice@example.org' },
    ],
    groups: [{ name: 'Developers' }, { name: 'Admins', users: ['alice'] }],
    feedGroups: [{ name: 'prod' }],
    feeds: [
      { name: 'Production', feedType: 'nuget', feedGroup: 'prod' },
      { name: 'Dev', feedType: 'npm' },
    ],
    tasks: [{ name: 'Readers', description: 'read', attributes: ['Feeds_ViewFeed'] }],
    permissions: [
      { group: 'Developers', task: 'Promote Packages' },
      { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
      { user: 'bob', task: 'Readers', feed: 'Dev' },
    ],
  });

export const set = (...operations: Operation[]): ChangeSet => ({ operations });
export const EMPTY = set();
export const DEV_PROMOTE = 'group:Developers|Promote Packages|global|allow';
export const DEV_PROD_DENY = 'group:Developers|Promote Packages|feed:Production|deny';
export const BOB_READERS = 'user:bob|Readers|feed:Dev|allow';
export const same = (a: Policy, b: Policy) =>
  expect(canonicalPolicy(a)).toEqual(canonicalPolicy(b));
export const user = (p: Policy, name: string) => p.users.find((u) => u.name === name);
export const merge = (ours: ChangeSet, theirs: ChangeSet) => mergeChangeSets(base(), ours, theirs);
export const resolveAll = (r: MergeResult, choice: 'ours' | 'theirs' | 'base') =>
  resolveConflicts(base(), r, Object.fromEntries(r.conflicts.map((c) => [c.id, choice])));
