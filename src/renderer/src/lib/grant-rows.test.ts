// The grants table's data work without a DOM: search across principal, task and scope, the
// scope order of sorting, and the change-set operations of bulk edits.
import { describe, expect, it } from 'vitest';
import { applyChangeSet, parsePolicy, permissionKey, type Permission } from '../../../core/index';
import {
  bulkOperations,
  filterRows,
  grantRows,
  narrowingFilter,
  NO_FILTER,
  sortRows,
  type GrantFilter,
} from './grant-rows';

const dup: Permission = { group: 'Developers', task: 'Promote Packages', feed: 'Prod', deny: true };
const permissions: Permission[] = [
  dup,
  { user: 'bob', task: 'Publish Packages', deny: false },
  dup,
  { user: 'alice', task: 'Promote Packages', feedGroup: 'release', deny: false },
];

describe('grant rows', () => {
  it('searches principal, task and scope, case-insensitively', () => {
    const rows = grantRows(permissions);
    const found = (search: string) =>
      filterRows(rows, { ...NO_FILTER, search }).map((r) => r.index);
    expect(found('PROD')).toEqual([0, 2]);
    expect(found('publish')).toEqual([1]);
    expect(found('release')).toEqual([3]);
    expect(found('  ')).toEqual([0, 1, 2, 3]);
  });

  it('sorts scopes global, then feed groups, then feeds, keeping policy order for ties', () => {
    const rows = grantRows(permissions);
    const order = sortRows(rows, { column: 'scope', direction: 'ascending' }).map((r) => r.index);
    expect(order).toEqual([1, 3, 0, 2]);
    const reversed = sortRows(rows, { column: 'scope', direction: 'descending' });
    expect(reversed.map((r) => r.index)).toEqual([0, 2, 3, 1]);
  });

  it('sorts names numerically, ignoring case, with names equal but for case tied', () => {
    const named = ['user-10', 'User-2', 'user-9', 'user-2', 'user-1'].map((user): Permission => ({
      user,
      task: 'Publish Packages',
      deny: false,
    }));
    const rows = grantRows(named);
    const names = (direction: 'ascending' | 'descending') =>
      sortRows(rows, { column: 'principal', direction }).map((r) => r.principal);
    expect(names('ascending')).toEqual(['user-1', 'User-2', 'user-2', 'user-9', 'user-10']);
    expect(names('descending')).toEqual(['user-10', 'user-9', 'User-2', 'user-2', 'user-1']);
  });

  it('filters a sorted list into the order of sorting the filtered rows', () => {
    const rows = grantRows(permissions);
    for (const column of ['principal', 'task', 'scope', 'effect'] as const) {
      for (const direction of ['ascending', 'descending'] as const) {
        const sort = { column, direction };
        const filter = { ...NO_FILTER, search: 'packages', effect: 'allow' as const };
        expect(filterRows(sortRows(rows, sort), filter)).toEqual(
          sortRows(filterRows(rows, filter), sort),
        );
      }
    }
  });

  it('narrows while a search is typed, and starts over when it is erased or a filter changes', () => {
    const rows = grantRows(permissions);
    const filterView = narrowingFilter();
    const steps: Partial<GrantFilter>[] = [
      { search: 'p' },
      { search: 'pr' },
      { search: 'pro' },
      { search: 'prod' },
      { search: 'pro' },
      { search: 'pro', effect: 'allow' },
      { search: 'pro' },
      { search: 'PRO ' },
      { search: 'b' },
      { search: '' },
    ];
    for (const step of steps) {
      const filter = { ...NO_FILTER, ...step };
      expect(filterView(rows, filter)).toEqual(filterRows(rows, filter));
    }
    // Other rows (a new draft), same search: answered from those rows, not the last answer.
    const other = grantRows([{ user: 'carol', task: 'Publish Packages', deny: false }]);
    expect(filterView(other, NO_FILTER).map((r) => r.principal)).toEqual(['carol']);
  });

  it('removes a duplicated grant once, and leaves out edits that change nothing', () => {
    expect(bulkOperations([dup, dup], { kind: 'delete' })).toEqual([
      { op: 'remove', kind: 'permission', key: 'group:Developers|Promote Packages|feed:Prod|deny' },
    ]);
    expect(bulkOperations([dup], { kind: 'change-task', task: 'Promote Packages' })).toEqual([]);
    expect(bulkOperations([permissions[1] as Permission], { kind: 'flip-effect' })).toEqual([
      { op: 'remove', kind: 'permission', key: 'user:bob|Publish Packages|global|allow' },
      {
        op: 'add',
        kind: 'permission',
        item: { user: 'bob', task: 'Publish Packages', deny: true },
      },
    ]);
  });

  it('merges an edited grant into an existing one instead of adding it twice', () => {
    const allow = { ...dup, deny: false };
    const existing = new Set([permissionKey(dup), permissionKey(allow)]);
    // Flipping the restriction alone: the permission it would become is already there.
    expect(bulkOperations([dup], { kind: 'flip-effect' }, existing)).toEqual([
      { op: 'remove', kind: 'permission', key: permissionKey(dup) },
    ]);
    // Flipping both swaps them: removals first, then both additions.
    const swapped = bulkOperations([dup, allow], { kind: 'flip-effect' }, existing);
    expect(swapped.map((o) => o.op)).toEqual(['remove', 'remove', 'add', 'add']);
    const policy = parsePolicy({
      groups: [{ name: 'Developers' }],
      feeds: [{ name: 'Prod', feedType: 'nuget' }],
      permissions: [dup, allow],
    });
    expect(applyChangeSet(policy, { operations: swapped }).permissions).toHaveLength(2);
  });
});
