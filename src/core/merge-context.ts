// The working state of a merge: every fact of both sides (an entry, with the sides it comes
// from), the conflicts raised so far, and the rules that raise conflicts directly (same
// slot, opposite grants). merge-propagate.ts keeps the outcome valid; merge.ts drives.
import { canonItems, factId, factItem, factSlot, factsBetween, type Fact } from './change-facts';
import { describePermission, permissionKey, type ItemKind } from './change-set';
import type { Policy } from './model';
import type { Conflict, Side } from './merge';

export const SIDES: readonly Side[] = ['ours', 'theirs'];

export interface Entry {
  id: string;
  fact: Fact;
  sides: Set<Side>;
  excluded: boolean;
}

export interface Building extends Omit<Conflict, 'operations'> {
  facts: Record<Side, Set<string>>;
  /** For a conflict about removing an item: which side removes it (the reason lists the rest). */
  remover?: Side;
}

export interface Context {
  base: Policy;
  policies: Record<Side, Policy>;
  baseItems: ReturnType<typeof canonItems>;
  entries: Map<string, Entry>;
  bySlot: Map<string, Entry[]>;
  conflicts: Map<string, Building>;
  /** entry id → ids of the conflicts it belongs to. */
  memberOf: Map<string, Set<string>>;
}

export type Ref = { kind: ItemKind; key: string };
export const itemId = (r: Ref): string => JSON.stringify([r.kind, r.key]);
export const identityOf = (key: string): string => key.slice(0, key.lastIndexOf('|'));
export const denyOf = (key: string): boolean => key.endsWith('|deny');
export const other = (s: Side): Side => (s === 'ours' ? 'theirs' : 'ours');

/** The whole item as a policy holds it (memberships included), or null. */
export function lookupItem(policy: Policy, ref: Ref): unknown {
  const lists: Record<ItemKind, readonly object[]> = {
    user: policy.users,
    group: policy.groups,
    feedGroup: policy.feedGroups,
    feed: policy.feeds,
    task: policy.tasks,
    permission: policy.permissions,
  };
  const match = (x: object) =>
    ref.kind === 'permission'
      ? permissionKey(x as never) === ref.key
      : (x as { name: string }).name === ref.key;
  return lists[ref.kind].find(match) ?? null;
}

export function conflictOf(
  ctx: Context,
  id: string,
  ref: Ref,
  reason: string,
  values: Pick<Conflict, 'base' | 'ours' | 'theirs'>,
): Building {
  let c = ctx.conflicts.get(id);
  if (!c)
    ctx.conflicts.set(
      id,
      (c = {
        id,
        kind: ref.kind,
        key: ref.key,
        reason,
        ...values,
        facts: { ours: new Set(), theirs: new Set() },
      }),
    );
  return c;
}

/** Puts a fact into a conflict (and so out of the merge), on the side(s) it comes from. */
export function attach(ctx: Context, c: Building, e: Entry): boolean {
  if (ctx.memberOf.get(e.id)?.has(c.id) === true) return false;
  e.excluded = true;
  for (const side of e.sides) c.facts[side].add(e.id);
  let set = ctx.memberOf.get(e.id);
  if (!set) ctx.memberOf.set(e.id, (set = new Set()));
  set.add(c.id);
  return true;
}

export const sideValues = (ctx: Context, ref: Ref) => ({
  base: lookupItem(ctx.base, ref),
  ours: lookupItem(ctx.policies.ours, ref),
  theirs: lookupItem(ctx.policies.theirs, ref),
});

/** Reduces both sides to facts against the base, one entry per distinct fact. */
export function newContext(base: Policy, policies: Record<Side, Policy>): Context {
  const ctx: Context = {
    base,
    policies,
    baseItems: canonItems(base),
    entries: new Map(),
    bySlot: new Map(),
    conflicts: new Map(),
    memberOf: new Map(),
  };
  for (const side of SIDES) {
    for (const fact of factsBetween(base, policies[side])) {
      const id = factId(fact);
      const known = ctx.entries.get(id);
      if (known) known.sides.add(side);
      else {
        const e: Entry = { id, fact, sides: new Set([side]), excluded: false };
        ctx.entries.set(id, e);
        const slot = factSlot(fact);
        ctx.bySlot.set(slot, [...(ctx.bySlot.get(slot) ?? []), e]);
      }
    }
  }
  return ctx;
}

/** Same slot, different values: both sides changed one thing differently. */
export function slotConflicts(ctx: Context): void {
  for (const [, list] of ctx.bySlot) {
    if (list.length < 2) continue;
    const f = list[0]?.fact as Fact;
    const byside = (s: Side) => list.find((e) => e.sides.has(s))?.fact;
    let c: Building;
    if (f.type === 'field') {
      const value = (s: Side) => {
        const x = byside(s);
        return x?.type === 'field' ? x.to : null;
      };
      c = conflictOf(
        ctx,
        `${f.kind}:${f.key}:${f.field}`,
        factItem(f),
        `both sides change ${f.field} of ${f.kind} "${f.key}", to different values`,
        {
          base: f.from,
          ours: value('ours'),
          theirs: value('theirs'),
        },
      );
    } else if (f.type === 'add') {
      c = conflictOf(
        ctx,
        `${f.kind}:${f.key}`,
        factItem(f),
        `both sides add ${f.kind} "${f.key}", with different content`,
        sideValues(ctx, factItem(f)),
      );
    } else {
      const ref = factItem(f);
      const [field, value] =
        f.type === 'attribute'
          ? ['attributes', f.value]
          : f.type === 'member'
            ? ['groups', f.group]
            : ['groups', f.type === 'nest' ? f.child : ''];
      c = conflictOf(
        ctx,
        `${ref.kind}:${ref.key}:${field}:${value}`,
        ref,
        'one side adds what the other removes',
        sideValues(ctx, ref),
      );
    }
    for (const e of list) attach(ctx, c, e);
  }
}

/** Opposite grants for one principal, task and scope; or one side flips a grant the other removes. */
export function denyConflicts(ctx: Context): void {
  const byIdentity = new Map<string, Entry[]>();
  for (const e of ctx.entries.values()) {
    const f = e.fact;
    if ((f.type === 'add' || f.type === 'remove') && f.kind === 'permission') {
      const id = identityOf(f.key);
      byIdentity.set(id, [...(byIdentity.get(id) ?? []), e]);
    }
  }
  for (const [identity, list] of byIdentity) {
    const ops = (side: Side, type: 'add' | 'remove') =>
      new Set(
        list
          .filter((e) => e.sides.has(side) && e.fact.type === type)
          .map((e) => denyOf((e.fact as { key: string }).key)),
      );
    const adds = { ours: ops('ours', 'add'), theirs: ops('theirs', 'add') };
    const removes = { ours: ops('ours', 'remove'), theirs: ops('theirs', 'remove') };
    let reason: string | null = null;
    const union = new Set([...adds.ours, ...adds.theirs]);
    if (
      adds.ours.size > 0 &&
      adds.theirs.size > 0 &&
      union.size === 2 &&
      (adds.ours.size !== 2 || adds.theirs.size !== 2)
    )
      reason =
        'ours and theirs add opposite grants (permission and restriction) for the same principal, task and scope';
    for (const a of SIDES) {
      const b = other(a);
      for (const d of [false, true]) {
        if (removes[a].has(d) && adds[a].has(!d) && removes[b].has(d) && !adds[b].has(!d))
          reason = `${a} turns the grant into a ${d ? 'permission' : 'restriction'}, ${b} removes it`;
      }
    }
    if (reason === null) continue;
    const pick = (p: Policy) =>
      p.permissions.filter((x) => identityOf(permissionKey(x)) === identity);
    const c = conflictOf(
      ctx,
      `permission:${identity}`,
      { kind: 'permission', key: identity },
      reason,
      {
        base: pick(ctx.base),
        ours: pick(ctx.policies.ours),
        theirs: pick(ctx.policies.theirs),
      },
    );
    for (const e of list) attach(ctx, c, e);
  }
}

export function describeFact(f: Fact): string {
  switch (f.type) {
    case 'add':
      return f.kind === 'permission'
        ? `adds permission ${describePermission(f.item as never)}`
        : `adds ${f.kind} "${f.key}"`;
    case 'remove':
      return `removes ${f.kind} "${f.key}"`;
    case 'field':
      return `changes ${f.field} of ${f.kind} "${f.key}"`;
    case 'attribute':
      return `${f.added ? 'adds' : 'removes'} attribute ${f.value} ${f.added ? 'to' : 'from'} task "${f.key}"`;
    case 'member':
      return `${f.added ? 'adds' : 'removes'} user "${f.user}" ${f.added ? 'to' : 'from'} group "${f.group}"`;
    case 'nest':
      return `${f.added ? 'nests' : 'unnests'} group "${f.child}" in group "${f.parent}"`;
  }
}

export function reasonOf(ctx: Context, c: Building): string {
  if (c.remover === undefined) return c.reason;
  const user = other(c.remover);
  const uses = [...c.facts[user]].filter((id) => !c.facts[c.remover as Side].has(id));
  const what = uses.map((id) => describeFact((ctx.entries.get(id) as Entry).fact)).join(', ');
  return `${c.remover} removes ${c.kind} "${c.key}"; ${user} ${what}`;
}

/**
 * Conflicts that share a fact are one decision (choosing them apart could keep a fact and
 * drop what it needs): they merge into the one with the smallest id, whose reason lists them all.
 */
export function coupled(ctx: Context): Building[] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    const p = parent.get(id) ?? id;
    return p === id ? id : find(p);
  };
  for (const ids of ctx.memberOf.values()) {
    const [first, ...rest] = [...ids].map(find);
    for (const r of rest) if (r !== first && first !== undefined) parent.set(r, first);
  }
  const groups = new Map<string, Building>();
  const byId = [...ctx.conflicts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const c of byId) {
    const root = find(c.id);
    const reason = reasonOf(ctx, c);
    const g = groups.get(root);
    if (!g) {
      groups.set(root, {
        ...c,
        reason,
        facts: { ours: new Set(c.facts.ours), theirs: new Set(c.facts.theirs) },
      });
      continue;
    }
    g.reason += `; also: ${reason}`;
    for (const side of SIDES) for (const id of c.facts[side]) g.facts[side].add(id);
  }
  return [...groups.values()];
}
