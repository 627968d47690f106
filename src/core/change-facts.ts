// Facts: the atoms of a structural change. A canonical change set is assembled from facts,
// and merge compares facts: each fact changes one slot (an item's existence, one field,
// one set element, one membership edge), so "same slot, different value" is a conflict.
import {
  ITEM_KINDS,
  normalizePermission,
  permissionKey,
  type ChangeSet,
  type ItemKind,
  type Operation,
  type SetChange,
} from './change-set';
import type { Policy } from './model';

export type Scalar = string | null;

/** An item without its membership lists (memberships are facts of their own). */
export type CanonItem = Record<string, unknown> & { name?: string };

export type Fact =
  | { type: 'add'; kind: ItemKind; key: string; item: CanonItem }
  | { type: 'remove'; kind: ItemKind; key: string }
  | {
      type: 'field';
      kind: 'user' | 'feed' | 'task';
      key: string;
      field: string;
      from: Scalar;
      to: Scalar;
    }
  | { type: 'attribute'; key: string; value: string; added: boolean }
  | { type: 'member'; user: string; group: string; added: boolean }
  | { type: 'nest'; parent: string; child: string; added: boolean };

export const SCALAR_FIELDS = {
  user: ['displayName', 'email'],
  feed: ['feedType', 'feedGroup', 'access'],
  task: ['description'],
} as const;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const sortStrings = (list: Iterable<string>): string[] => [...list].sort(cmp);

/** What a fact changes: two facts on the same slot with different values conflict. */
export function factSlot(f: Fact): string {
  switch (f.type) {
    case 'add':
    case 'remove':
      return JSON.stringify(['item', f.kind, f.key]);
    case 'field':
      return JSON.stringify(['field', f.kind, f.key, f.field]);
    case 'attribute':
      return JSON.stringify(['attribute', f.key, f.value]);
    case 'member':
      return JSON.stringify(['member', f.user, f.group]);
    case 'nest':
      return JSON.stringify(['nest', f.parent, f.child]);
  }
}

/** Identity of a fact (slot and value); facts are built with a fixed property order. */
export const factId = (f: Fact): string => JSON.stringify(f);

/** The item a fact belongs to (memberships belong to the user, nestings to the parent). */
export function factItem(f: Fact): { kind: ItemKind; key: string } {
  if (f.type === 'attribute') return { kind: 'task', key: f.key };
  if (f.type === 'member') return { kind: 'user', key: f.user };
  if (f.type === 'nest') return { kind: 'group', key: f.parent };
  return { kind: f.kind, key: f.key };
}

/** An item in canonical form (defaults filled, fixed property order), without memberships. */
export function canonItem(kind: ItemKind, raw: Record<string, unknown>): CanonItem {
  const r = raw as Record<string, string | undefined> & { attributes?: string[] };
  const name = r.name as string;
  switch (kind) {
    case 'user':
      return {
        name,
        ...(r.displayName !== undefined && { displayName: r.displayName }),
        ...(r.email !== undefined && { email: r.email }),
      };
    case 'group':
    case 'feedGroup':
      return { name };
    case 'feed':
      return {
        name,
        feedType: r.feedType ?? 'universal',
        ...(r.feedGroup !== undefined && { feedGroup: r.feedGroup }),
        access: r.access ?? 'private',
      };
    case 'task':
      return {
        name,
        description: r.description ?? '',
        attributes: sortStrings(new Set(r.attributes ?? [])),
      };
    case 'permission':
      return normalizePermission(raw as never) as unknown as CanonItem;
  }
}

/** Items of a policy by kind and key, canonical and without membership lists. */
export function canonItems(policy: Policy): Record<ItemKind, Map<string, CanonItem>> {
  const keyed = (kind: ItemKind, list: readonly object[]) => {
    const map = new Map<string, CanonItem>();
    for (const x of list) {
      const item = canonItem(kind, x as Record<string, unknown>);
      const key = kind === 'permission' ? permissionKey(item as never) : (item.name as string);
      if (!map.has(key)) map.set(key, item);
    }
    return new Map(sortStrings(map.keys()).map((k) => [k, map.get(k) as CanonItem]));
  };
  return {
    user: keyed('user', policy.users),
    group: keyed('group', policy.groups),
    feedGroup: keyed('feedGroup', policy.feedGroups),
    feed: keyed('feed', policy.feeds),
    task: keyed('task', policy.tasks),
    permission: keyed('permission', policy.permissions),
  };
}

const pair = (a: string, b: string): string => JSON.stringify([a, b]);

/** Membership edges [user, group] and nesting edges [parent, child], as encoded pairs. */
export function edgesOf(policy: Policy): { members: Set<string>; nests: Set<string> } {
  const members = new Set<string>();
  const nests = new Set<string>();
  for (const u of policy.users) for (const g of u.groups) members.add(pair(u.name, g));
  for (const g of policy.groups) {
    for (const u of g.users) members.add(pair(u, g.name));
    for (const c of g.groups) nests.add(pair(g.name, c));
  }
  return { members, nests };
}

const unpair = (s: string): [string, string] => JSON.parse(s) as [string, string];

/**
 * The facts that turn `a` into `b`. Membership edges of a removed principal are implied by
 * its removal and not listed; list order and duplicate permissions never show.
 */
export function factsBetween(a: Policy, b: Policy): Fact[] {
  const ia = canonItems(a);
  const ib = canonItems(b);
  const facts: Fact[] = [];
  for (const kind of ITEM_KINDS) {
    const before = ia[kind];
    const after = ib[kind];
    for (const [key, item] of after)
      if (!before.has(key)) facts.push({ type: 'add', kind, key, item });
    for (const [key, old] of before) {
      const now = after.get(key);
      if (!now) {
        facts.push({ type: 'remove', kind, key });
        continue;
      }
      if (kind === 'user' || kind === 'feed' || kind === 'task') {
        for (const field of SCALAR_FIELDS[kind]) {
          const from = (old[field] as Scalar | undefined) ?? null;
          const to = (now[field] as Scalar | undefined) ?? null;
          if (from !== to) facts.push({ type: 'field', kind, key, field, from, to });
        }
      }
      if (kind === 'task') {
        const was = new Set(old.attributes as string[]);
        const is = new Set(now.attributes as string[]);
        for (const v of is)
          if (!was.has(v)) facts.push({ type: 'attribute', key, value: v, added: true });
        for (const v of was)
          if (!is.has(v)) facts.push({ type: 'attribute', key, value: v, added: false });
      }
    }
  }
  const ea = edgesOf(a);
  const eb = edgesOf(b);
  const users = ib.user;
  const groups = ib.group;
  for (const e of sortStrings(eb.members)) {
    const [user, group] = unpair(e);
    if (!ea.members.has(e)) facts.push({ type: 'member', user, group, added: true });
  }
  for (const e of sortStrings(ea.members)) {
    const [user, group] = unpair(e);
    if (!eb.members.has(e) && users.has(user) && groups.has(group))
      facts.push({ type: 'member', user, group, added: false });
  }
  for (const e of sortStrings(eb.nests)) {
    const [parent, child] = unpair(e);
    if (!ea.nests.has(e)) facts.push({ type: 'nest', parent, child, added: true });
  }
  for (const e of sortStrings(ea.nests)) {
    const [parent, child] = unpair(e);
    if (!eb.nests.has(e) && groups.has(parent) && groups.has(child))
      facts.push({ type: 'nest', parent, child, added: false });
  }
  return facts;
}

const setChangeOf = (added: string[], removed: string[]): SetChange => ({
  ...(added.length > 0 && { added: sortStrings(added) }),
  ...(removed.length > 0 && { removed: sortStrings(removed) }),
});

const itemOrder = (
  x: { kind: ItemKind; key: string },
  y: { kind: ItemKind; key: string },
): number => ITEM_KINDS.indexOf(x.kind) - ITEM_KINDS.indexOf(y.kind) || cmp(x.key, y.key);

/**
 * Assembles facts into a canonical change set: adds (dependencies first), then updates,
 * then removes (dependents first). A membership goes into the add of its user, else of
 * its group, else into an update of its user; a nesting into the add or update of its parent.
 */
export function factsToChangeSet(facts: readonly Fact[], directory?: string): ChangeSet {
  const adds = new Map<string, Extract<Fact, { type: 'add' }>>();
  const isAdded = (kind: ItemKind, key: string) => adds.has(JSON.stringify([kind, key]));
  for (const f of facts) if (f.type === 'add') adds.set(JSON.stringify([f.kind, f.key]), f);
  const extra = new Map<string, { added: string[]; removed: string[] }>();
  const extraOf = (kind: ItemKind, key: string, field: string) => {
    const id = JSON.stringify([kind, key, field]);
    let e = extra.get(id);
    if (!e) extra.set(id, (e = { added: [], removed: [] }));
    return e;
  };
  const fields = new Map<string, Record<string, unknown>>();
  const fieldsOf = (kind: ItemKind, key: string) => {
    const id = JSON.stringify([kind, key]);
    let c = fields.get(id);
    if (!c) fields.set(id, (c = {}));
    return c;
  };
  const removes: { kind: ItemKind; key: string }[] = [];
  for (const f of facts) {
    if (f.type === 'remove') removes.push({ kind: f.kind, key: f.key });
    else if (f.type === 'field') fieldsOf(f.kind, f.key)[f.field] = { from: f.from, to: f.to };
    else if (f.type === 'attribute') {
      const e = extraOf('task', f.key, 'attributes');
      (f.added ? e.added : e.removed).push(f.value);
    } else if (f.type === 'member') {
      const [kind, key, field] =
        f.added && !isAdded('user', f.user) && isAdded('group', f.group)
          ? (['group', f.group, 'users'] as const)
          : (['user', f.user, 'groups'] as const);
      const e = extraOf(kind, key, field);
      (f.added ? e.added : e.removed).push(kind === 'user' ? f.group : f.user);
    } else if (f.type === 'nest') {
      const e = extraOf('group', f.parent, 'groups');
      (f.added ? e.added : e.removed).push(f.child);
    }
  }
  for (const [id, e] of extra) {
    const [kind, key, field] = JSON.parse(id) as [ItemKind, string, string];
    const add = adds.get(JSON.stringify([kind, key]));
    if (add) add.item = { ...add.item, [field]: sortStrings(e.added) };
    else fieldsOf(kind, key)[field] = setChangeOf(e.added, e.removed);
  }
  const operations: Operation[] = [];
  const addList = [...adds.values()].sort(itemOrder);
  for (const f of addList) {
    const item = { ...f.item };
    if (f.kind === 'user' && item.groups === undefined) item.groups = [];
    if (f.kind === 'group') item.users ??= [];
    if (f.kind === 'group') item.groups ??= [];
    operations.push({ op: 'add', kind: f.kind, item } as Operation);
  }
  const updates = [...fields.entries()].map(([id, changes]) => {
    const [kind, key] = JSON.parse(id) as [ItemKind, string];
    return { kind, key, changes };
  });
  for (const u of updates.sort(itemOrder)) operations.push({ op: 'update', ...u } as Operation);
  for (const r of removes.sort((x, y) => -itemOrder(x, y))) operations.push({ op: 'remove', ...r });
  return { ...(directory !== undefined && { directory }), operations };
}

/** The facts of a canonical change set (as produced by factsToChangeSet). */
export function operationsToFacts(operations: readonly Operation[]): Fact[] {
  const facts: Fact[] = [];
  const set = (c: SetChange | undefined, push: (v: string, added: boolean) => void) => {
    for (const v of c?.added ?? []) push(v, true);
    for (const v of c?.removed ?? []) push(v, false);
  };
  for (const op of operations) {
    if (op.op === 'remove') facts.push({ type: 'remove', kind: op.kind, key: op.key });
    else if (op.op === 'add') {
      const key = op.kind === 'permission' ? permissionKey(op.item) : op.item.name;
      const item = canonItem(op.kind, op.item);
      facts.push({ type: 'add', kind: op.kind, key, item });
      if (op.kind === 'user') {
        for (const g of op.item.groups ?? [])
          facts.push({ type: 'member', user: key, group: g, added: true });
      } else if (op.kind === 'group') {
        for (const u of op.item.users ?? [])
          facts.push({ type: 'member', user: u, group: key, added: true });
        for (const c of op.item.groups ?? [])
          facts.push({ type: 'nest', parent: key, child: c, added: true });
      }
    } else {
      const changes = op.changes as Record<string, unknown>;
      for (const [field, change] of Object.entries(changes)) {
        if (change === undefined) continue;
        if (op.kind === 'user' && field === 'groups')
          set(change as SetChange, (group, added) =>
            facts.push({ type: 'member', user: op.key, group, added }),
          );
        else if (op.kind === 'group' && field === 'users')
          set(change as SetChange, (user, added) =>
            facts.push({ type: 'member', user, group: op.key, added }),
          );
        else if (op.kind === 'group' && field === 'groups')
          set(change as SetChange, (child, added) =>
            facts.push({ type: 'nest', parent: op.key, child, added }),
          );
        else if (op.kind === 'task' && field === 'attributes')
          set(change as SetChange, (value, added) =>
            facts.push({ type: 'attribute', key: op.key, value, added }),
          );
        else {
          const { from, to } = change as { from: Scalar; to: Scalar };
          facts.push({
            type: 'field',
            kind: op.kind as 'user' | 'feed' | 'task',
            key: op.key,
            field,
            from,
            to,
          });
        }
      }
    }
  }
  return facts;
}
