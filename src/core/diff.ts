// The structural diff of two policies: what was added, removed and changed, compared by
// keys (list order never shows; memberships and task attributes compare as sets;
// duplicate permissions collapse). Its change set turns the old policy into the new one.
import {
  describePermission,
  ITEM_KINDS,
  parsePermissionKey,
  permissionKey,
  type ChangeSet,
  type ItemKind,
} from './change-set';
import {
  canonItem,
  factsBetween,
  factsToChangeSet,
  sortStrings,
  type CanonItem,
  type Fact,
} from './change-facts';
import type { Permission, Policy } from './model';

export interface DiffEntry {
  kind: ItemKind;
  /** The item's key: its name, or for a permission its permissionKey. */
  key: string;
  /** How to show the item: its name, or for a permission its description. */
  label: string;
  change: 'added' | 'removed' | 'updated';
  details: string[];
}

export interface PolicyDiff {
  changeSet: ChangeSet;
  summary: { added: number; removed: number; updated: number };
  entries: DiffEntry[];
  /** Present when the policies name different user directories (not part of the change set). */
  directory?: { from: string; to: string };
}

const show = (v: unknown): string => (v === null || v === undefined ? '(none)' : JSON.stringify(v));
const plainShow = (v: unknown): string => (v === null || v === undefined ? '(none)' : String(v));
const PLAIN_FIELDS = new Set(['feedType', 'access', 'feedGroup']);

function setDetail(label: string, added: string[], removed: string[]): string | null {
  if (added.length + removed.length === 0) return null;
  const parts = [
    ...sortStrings(added).map((v) => `+${v}`),
    ...sortStrings(removed).map((v) => `-${v}`),
  ];
  return `${label} ${parts.join(' ')}`;
}

function addedDetails(kind: ItemKind, item: CanonItem): string[] {
  const details: string[] = [];
  if (kind === 'user') {
    if (item.displayName !== undefined) details.push(`displayName ${show(item.displayName)}`);
    if (item.email !== undefined) details.push(`email ${show(item.email)}`);
  } else if (kind === 'feed') {
    details.push(`feedType ${plainShow(item.feedType)}`, `access ${plainShow(item.access)}`);
    if (item.feedGroup !== undefined) details.push(`feedGroup ${plainShow(item.feedGroup)}`);
  } else if (kind === 'task') {
    if (item.description !== '') details.push(`description ${show(item.description)}`);
    details.push(`attributes ${(item.attributes as string[]).join(', ') || '(none)'}`);
  }
  return details;
}

/** Human-readable entries, one per item, sorted by kind order then key. */
function entriesOf(facts: readonly Fact[]): DiffEntry[] {
  const entries = new Map<string, DiffEntry>();
  const sets = new Map<string, Map<string, { added: string[]; removed: string[] }>>();
  const added = new Set<string>();
  const id = (kind: ItemKind, key: string) => JSON.stringify([kind, key]);
  const entryOf = (kind: ItemKind, key: string): DiffEntry => {
    let e = entries.get(id(kind, key));
    if (!e)
      entries.set(id(kind, key), (e = { kind, key, label: key, change: 'updated', details: [] }));
    return e;
  };
  const setOf = (kind: ItemKind, key: string, label: string) => {
    entryOf(kind, key);
    let m = sets.get(id(kind, key));
    if (!m) sets.set(id(kind, key), (m = new Map()));
    let s = m.get(label);
    if (!s) m.set(label, (s = { added: [], removed: [] }));
    return s;
  };
  for (const f of facts) if (f.type === 'add') added.add(id(f.kind, f.key));
  for (const f of facts) {
    if (f.type === 'add') {
      const e = entryOf(f.kind, f.key);
      e.change = 'added';
      if (f.kind === 'permission') e.label = describePermission(f.item as unknown as Permission);
      e.details.push(...addedDetails(f.kind, f.item));
    } else if (f.type === 'remove') {
      const e = entryOf(f.kind, f.key);
      e.change = 'removed';
      if (f.kind === 'permission') e.label = describePermission(parsePermissionKey(f.key));
    } else if (f.type === 'field') {
      const fmt = PLAIN_FIELDS.has(f.field) ? plainShow : show;
      entryOf(f.kind, f.key).details.push(`${f.field} ${fmt(f.from)} → ${fmt(f.to)}`);
    } else if (f.type === 'attribute') {
      const s = setOf('task', f.key, 'attributes');
      (f.added ? s.added : s.removed).push(f.value);
    } else if (f.type === 'member') {
      const onGroup = f.added && !added.has(id('user', f.user)) && added.has(id('group', f.group));
      const s = onGroup ? setOf('group', f.group, 'users') : setOf('user', f.user, 'groups');
      (f.added ? s.added : s.removed).push(onGroup ? f.user : f.group);
    } else {
      const s = setOf('group', f.parent, 'nested groups');
      (f.added ? s.added : s.removed).push(f.child);
    }
  }
  for (const [key, m] of sets) {
    const e = entries.get(key) as DiffEntry;
    for (const [label, s] of m) {
      const detail = setDetail(label, s.added, s.removed);
      if (detail)
        e.details.push(
          e.change === 'added' ? `${label} ${sortStrings(s.added).join(', ')}` : detail,
        );
    }
  }
  return [...entries.values()].sort(
    (a, b) =>
      ITEM_KINDS.indexOf(a.kind) - ITEM_KINDS.indexOf(b.kind) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** The canonical structural diff; `applyChangeSet(a, diffPolicies(a, b).changeSet)` equals b. */
export function diffPolicies(oldPolicy: Policy, newPolicy: Policy): PolicyDiff {
  const facts = factsBetween(oldPolicy, newPolicy);
  const entries = entriesOf(facts);
  const count = (c: DiffEntry['change']) => entries.filter((e) => e.change === c).length;
  return {
    changeSet: factsToChangeSet(facts, oldPolicy.directory),
    summary: { added: count('added'), removed: count('removed'), updated: count('updated') },
    entries,
    ...(oldPolicy.directory !== newPolicy.directory && {
      directory: { from: oldPolicy.directory, to: newPolicy.directory },
    }),
  };
}

const KIND_LABEL: Record<ItemKind, string> = {
  task: 'task',
  feedGroup: 'feed group',
  feed: 'feed',
  group: 'group',
  user: 'user',
  permission: 'permission',
};
const SIGN = { added: '+', removed: '-', updated: '~' } as const;

/** A readable terminal listing: `+ permission: group Developers · …`, `~ user bob: groups +Admins`. */
export function formatDiff(diff: PolicyDiff): string {
  const lines: string[] = [];
  if (diff.directory) lines.push(`~ directory: ${diff.directory.from} → ${diff.directory.to}`);
  for (const e of diff.entries) {
    const head =
      e.kind === 'permission'
        ? `${SIGN[e.change]} permission: ${e.label}`
        : `${SIGN[e.change]} ${KIND_LABEL[e.kind]} ${e.label}`;
    lines.push(
      e.details.length > 0
        ? `${head}${e.kind === 'permission' ? ' —' : ':'} ${e.details.join('; ')}`
        : head,
    );
  }
  const { added, removed, updated } = diff.summary;
  lines.push(
    lines.length === 0
      ? 'no structural changes'
      : `${added} added, ${removed} removed, ${updated} updated`,
  );
  return lines.join('\n');
}

/** A policy in canonical form: every list sorted, memberships as sorted sets, duplicate permissions collapsed. */
export function canonicalPolicy(policy: Policy): Policy {
  const byName = <T extends { name: string }>(list: readonly T[]) =>
    [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const uniq = (list: readonly string[]) => sortStrings(new Set(list));
  const perms = new Map(policy.permissions.map((p) => [permissionKey(p), p]));
  return {
    format: policy.format,
    directory: policy.directory,
    users: byName(policy.users).map((u) => ({
      ...(canonItem('user', { ...u }) as { name: string }),
      groups: uniq(u.groups),
    })),
    groups: byName(policy.groups).map((g) => ({
      name: g.name,
      users: uniq(g.users),
      groups: uniq(g.groups),
    })),
    feedGroups: byName(policy.feedGroups).map((fg) => ({ name: fg.name })),
    feeds: byName(policy.feeds).map(
      (f) => canonItem('feed', { ...f }) as unknown as Policy['feeds'][number],
    ),
    tasks: byName(policy.tasks).map(
      (t) => canonItem('task', { ...t }) as unknown as Policy['tasks'][number],
    ),
    permissions: sortStrings(perms.keys()).map(
      (k) => canonItem('permission', { ...perms.get(k) }) as unknown as Permission,
    ),
  };
}

/** Structural equality: equal canonical forms. */
export function policiesEqual(a: Policy, b: Policy): boolean {
  return JSON.stringify(canonicalPolicy(a)) === JSON.stringify(canonicalPolicy(b));
}
