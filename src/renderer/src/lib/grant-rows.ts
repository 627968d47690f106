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
  const needle = filter.search.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (filter.effect === 'any' || r.effect === filter.effect) &&
      (filter.scopeType === 'any' || r.scopeType === filter.scopeType) &&
      (filter.principalType === 'any' || r.principalType === filter.principalType) &&
      (needle === '' || r.haystack.includes(needle)),
  );
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

/** A sorted copy; ties keep policy order so the table never shuffles equal rows. */
export function sortRows(rows: readonly GrantRow[], sort: GrantSort): GrantRow[] {
  const key = SORT_KEY[sort.column];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((r) => ({ r, k: key(r) }));
  keyed.sort((a, b) => sign * collator.compare(a.k, b.k) || a.r.index - b.r.index);
  return keyed.map((x) => x.r);
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
