// The grants table's data work, kept out of the component: rows with precomputed search and
// sort keys (50,000 grants must filter and sort without re-deriving strings), the filters,
// and the change-set operations a bulk edit produces.
import {
  permissionKey,
  type AddOperation,
  type Operation,
  type Permission,
  type RemoveOperation,
} from '../../../core/index';

export type PrincipalType = 'user' | 'group';
export type ScopeType = 'global' | 'feed' | 'feedGroup';
export type Effect = 'allow' | 'deny';

export interface GrantRow {
  /** Position in policy.permissions: the row's identity (duplicates are separate rows). */
  readonly index: number;
  readonly permission: Permission;
  readonly principalType: PrincipalType;
  readonly principal: string;
  readonly scopeType: ScopeType;
  /** The feed or feed group name; empty for a global grant. */
  readonly scope: string;
  readonly effect: Effect;
  /** Lower-case principal, task and scope, for the search box. */
  readonly haystack: string;
}

export function grantRows(permissions: readonly Permission[]): GrantRow[] {
  return permissions.map((permission, index) => {
    const principalType: PrincipalType = permission.user !== undefined ? 'user' : 'group';
    const principal = permission.user ?? permission.group ?? '';
    const scopeType: ScopeType =
      permission.feed !== undefined
        ? 'feed'
        : permission.feedGroup !== undefined
          ? 'feedGroup'
          : 'global';
    const scope = permission.feed ?? permission.feedGroup ?? '';
    return {
      index,
      permission,
      principalType,
      principal,
      scopeType,
      scope,
      effect: permission.deny ? 'deny' : 'allow',
      haystack: `${principal}\n${permission.task}\n${scope}`.toLowerCase(),
    };
  });
}

export interface GrantFilter {
  search: string;
  effect: Effect | 'any';
  scopeType: ScopeType | 'any';
  principalType: PrincipalType | 'any';
}

export const NO_FILTER: GrantFilter = {
  search: '',
  effect: 'any',
  scopeType: 'any',
  principalType: 'any',
};

export function filterRows(rows: readonly GrantRow[], filter: GrantFilter): GrantRow[] {
  // Read once: the filter may be a reactive proxy, whose reads cost far more than the test.
  const { effect, scopeType, principalType } = filter;
  const needle = filter.search.trim().toLowerCase();
  if (needle === '' && effect === 'any' && scopeType === 'any' && principalType === 'any')
    return rows.slice();
  return rows.filter(
    (r) =>
      (effect === 'any' || r.effect === effect) &&
      (scopeType === 'any' || r.scopeType === scopeType) &&
      (principalType === 'any' || r.principalType === principalType) &&
      (needle === '' || r.haystack.includes(needle)),
  );
}

/**
 * filterRows that remembers its last answer: a search that extends the last one, over the same
 * rows with the same filters, only looks at the rows the last one kept (typing narrows).
 */
export function narrowingFilter(): (rows: readonly GrantRow[], filter: GrantFilter) => GrantRow[] {
  let last: { rows: readonly GrantRow[]; filter: GrantFilter; result: GrantRow[] } | null = null;
  const needleOf = (filter: GrantFilter) => filter.search.trim().toLowerCase();
  return (rows, filter) => {
    const current = { ...filter };
    const narrows =
      last !== null &&
      last.rows === rows &&
      last.filter.effect === current.effect &&
      last.filter.scopeType === current.scopeType &&
      last.filter.principalType === current.principalType &&
      needleOf(current).includes(needleOf(last.filter));
    const result = filterRows(narrows && last ? last.result : rows, current);
    last = { rows, filter: current, result };
    return result;
  };
}

export type SortColumn = 'principal' | 'task' | 'scope' | 'effect';
export interface GrantSort {
  column: SortColumn;
  direction: 'ascending' | 'descending';
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const SORT_KEY: Record<SortColumn, (r: GrantRow) => string> = {
  principal: (r) => r.principal,
  task: (r) => r.permission.task,
  // Global grants first, then feed groups, then feeds, each by name.
  scope: (r) => `${{ global: 0, feedGroup: 1, feed: 2 }[r.scopeType]}${r.scope}`,
  effect: (r) => r.effect,
};

/**
 * A sorted copy; ties keep policy order so the table never shuffles equal rows. The collator
 * compares each distinct key once (a few thousand at most, against ~800,000 comparisons of a
 * 50,000-row sort), and the rows are sorted by the keys' ranks.
 */
export function sortRows(rows: readonly GrantRow[], sort: GrantSort): GrantRow[] {
  const key = SORT_KEY[sort.column];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keys = rows.map(key);
  const distinct = [...new Set(keys)].sort(collator.compare);
  const rankOf = new Map<string, number>();
  let rank = 0;
  distinct.forEach((k, i) => {
    // Keys the collator holds equal ("Alice", "alice") share a rank, so they tie.
    if (i > 0 && collator.compare(distinct[i - 1] as string, k) !== 0) rank++;
    rankOf.set(k, rank);
  });
  const ranks = Int32Array.from(keys, (k) => rankOf.get(k) as number);
  const order = Array.from(rows.keys());
  order.sort(
    (a, b) =>
      sign * ((ranks[a] as number) - (ranks[b] as number)) ||
      (rows[a] as GrantRow).index - (rows[b] as GrantRow).index,
  );
  return order.map((i) => rows[i] as GrantRow);
}

export type BulkEdit =
  { kind: 'delete' } | { kind: 'flip-effect' } | { kind: 'change-task'; task: string };

const removal = (p: Permission): RemoveOperation => ({
  op: 'remove',
  kind: 'permission',
  key: permissionKey(p),
});
const addition = (p: Permission): AddOperation => ({
  op: 'add',
  kind: 'permission',
  item: {
    ...(p.user !== undefined ? { user: p.user } : { group: p.group }),
    task: p.task,
    ...(p.feed !== undefined && { feed: p.feed }),
    ...(p.feedGroup !== undefined && { feedGroup: p.feedGroup }),
    ...(p.deny && { deny: true }),
  },
});

/**
 * The change-set operations of a bulk edit: a removal per distinct grant (duplicates share a
 * key), and for an edit the replacement grant. Removals come first, so that edits may swap
 * grants among the selection; a replacement that `existing` (the policy's permission keys)
 * already holds, outside the removals, is left out: the edited grant merges into it. Edits
 * that change nothing are left out.
 */
export function bulkOperations(
  selected: readonly Permission[],
  edit: BulkEdit,
  existing: ReadonlySet<string> = new Set(),
): Operation[] {
  const removed = new Map<string, Permission>();
  for (const p of selected) {
    const unchanged = edit.kind === 'change-task' && edit.task === p.task;
    if (!unchanged) removed.set(permissionKey(p), p);
  }
  const replacements = new Map<string, Permission>();
  for (const p of removed.values()) {
    if (edit.kind === 'delete') continue;
    const next = edit.kind === 'flip-effect' ? { ...p, deny: !p.deny } : { ...p, task: edit.task };
    const key = permissionKey(next);
    if (existing.has(key) && !removed.has(key)) continue;
    replacements.set(key, next);
  }
  return [...[...removed.values()].map(removal), ...[...replacements.values()].map(addition)];
}
