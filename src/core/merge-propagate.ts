// Keeping a merge valid: constraint propagation over the facts of both sides, so that
// facts which cannot apply together are never both accepted, and choosing either side of
// any conflict gives a valid policy (see docs/change-sets.md).
import { VIRTUAL_GROUPS, VIRTUAL_USERS, isFeedScopedAttribute } from './catalog';
import { factItem, factSlot, type CanonItem, type Fact } from './change-facts';
import { describePermission } from './change-set';
import {
  attach,
  conflictOf,
  sideValues,
  type Building,
  type Context,
  type Entry,
  type Ref,
} from './merge-context';
import type { Side } from './merge';

/** The items a fact needs to exist in the merged policy. */
function requirements(f: Fact): Ref[] {
  switch (f.type) {
    case 'add': {
      if (f.kind === 'feed' && typeof f.item.feedGroup === 'string')
        return [{ kind: 'feedGroup', key: f.item.feedGroup }];
      if (f.kind !== 'permission') return [];
      const p = f.item as Record<string, string | undefined>;
      const refs: Ref[] = [{ kind: 'task', key: p.task as string }];
      if (p.user !== undefined) refs.push({ kind: 'user', key: p.user });
      if (p.group !== undefined) refs.push({ kind: 'group', key: p.group });
      if (p.feed !== undefined) refs.push({ kind: 'feed', key: p.feed });
      if (p.feedGroup !== undefined) refs.push({ kind: 'feedGroup', key: p.feedGroup });
      return refs;
    }
    case 'field':
      return f.field === 'feedGroup' && f.to !== null
        ? [factItem(f), { kind: 'feedGroup', key: f.to }]
        : [factItem(f)];
    case 'attribute':
      return [{ kind: 'task', key: f.key }];
    case 'member':
      return f.added
        ? [
            { kind: 'user', key: f.user },
            { kind: 'group', key: f.group },
          ]
        : [];
    case 'nest':
      return f.added
        ? [
            { kind: 'group', key: f.parent },
            { kind: 'group', key: f.child },
          ]
        : [];
    case 'remove':
      return [];
  }
}

const itemSlot = (r: Ref): string => factSlot({ type: 'remove', ...r });
const isVirtual = (r: Ref): boolean =>
  (r.kind === 'user' && VIRTUAL_USERS.has(r.key)) ||
  (r.kind === 'group' && VIRTUAL_GROUPS.has(r.key));

/**
 * One pass of constraint propagation; returns true when it changed a conflict. Two facts
 * that cannot both apply are never both accepted, and wherever one of them may be chosen
 * (a conflict holding it) the other joins that conflict, so that choosing a side drops it:
 * (1) a fact and the removal of an item it needs; a fact needing an item that only an
 * excluded add creates joins that add's conflicts; (2) a base item kept by a conflict and
 * the removal of an item it refers to; (3) a feed-scoped grant and attribute additions
 * that make its task system-wide.
 */
export function propagate(ctx: Context): boolean {
  let changed = false;
  const holders = (e: Entry) =>
    [...(ctx.memberOf.get(e.id) ?? [])].map((id) => ctx.conflicts.get(id) as Building);
  const join = (c: Building, e: Entry) => {
    if (attach(ctx, c, e)) changed = true;
  };
  const apart = (a: Entry, b: Entry, create: () => Building) => {
    if (!a.excluded && !b.excluded) {
      const c = create();
      join(c, a);
      join(c, b);
    }
    for (const c of holders(a)) join(c, b);
    for (const c of holders(b)) join(c, a);
  };
  const onSlot = (r: Ref, type: 'add' | 'remove') =>
    (ctx.bySlot.get(itemSlot(r)) ?? []).filter((e) => e.fact.type === type);
  const removeConflict = (ref: Ref, rm: Entry) => () => {
    const c = conflictOf(ctx, `${ref.kind}:${ref.key}`, ref, '', sideValues(ctx, ref));
    c.remover ??= [...rm.sides][0] as Side;
    return c;
  };
  for (const e of [...ctx.entries.values()]) {
    for (const ref of requirements(e.fact)) {
      if (isVirtual(ref)) continue;
      if (ctx.baseItems[ref.kind].has(ref.key)) {
        for (const rm of onSlot(ref, 'remove')) apart(e, rm, removeConflict(ref, rm));
      } else {
        const adds = onSlot(ref, 'add');
        if (adds.length === 0)
          throw new Error(`merge: ${ref.kind} "${ref.key}" is needed but never added`);
        if (adds.every((a) => a.excluded))
          for (const a of adds) for (const c of holders(a)) join(c, e);
      }
    }
  }
  // (2) and (3): a base item stays unless the facts that would drop it (`keepers`) apply.
  const whileKept = (keepers: Entry[], what: string, f: (c: Building) => void) => {
    if (keepers.some((k) => !k.excluded)) return;
    if (keepers.length === 0) throw new Error(`merge: ${what} is kept for no reason`);
    for (const k of keepers) for (const c of holders(k)) f(c);
  };
  for (const [key, feed] of ctx.baseItems.feed) {
    const fg = feed.feedGroup;
    if (typeof fg !== 'string') continue;
    for (const rm of onSlot({ kind: 'feedGroup', key: fg }, 'remove')) {
      const keepers = [
        ...onSlot({ kind: 'feed', key }, 'remove'),
        ...(ctx.bySlot.get(JSON.stringify(['field', 'feed', key, 'feedGroup'])) ?? []),
      ];
      whileKept(keepers, `feed "${key}"`, (c) => join(c, rm));
    }
  }
  for (const [key, item] of ctx.baseItems.permission) {
    for (const ref of requirements({ type: 'add', kind: 'permission', key, item })) {
      for (const rm of onSlot(ref, 'remove'))
        whileKept(onSlot({ kind: 'permission', key }, 'remove'), `permission ${key}`, (c) =>
          join(c, rm),
        );
    }
  }
  const culprits = new Map<string, Entry[]>();
  for (const e of ctx.entries.values()) {
    if (e.fact.type === 'attribute' && e.fact.added && !isFeedScopedAttribute(e.fact.value))
      culprits.set(e.fact.key, [...(culprits.get(e.fact.key) ?? []), e]);
  }
  for (const [task, blamed] of culprits) {
    const scoped = (item: CanonItem) =>
      item.task === task && (item.feed !== undefined || item.feedGroup !== undefined);
    for (const [key, item] of ctx.baseItems.permission) {
      if (!scoped(item)) continue;
      whileKept(onSlot({ kind: 'permission', key }, 'remove'), `permission ${key}`, (c) =>
        blamed.forEach((u) => join(c, u)),
      );
    }
    for (const g of ctx.entries.values()) {
      if (g.fact.type !== 'add' || g.fact.kind !== 'permission' || !scoped(g.fact.item)) continue;
      const reason = `one side gives task "${task}" system attributes, the other grants it at feed scope (${describePermission(g.fact.item as never)})`;
      for (const u of blamed)
        apart(g, u, () =>
          conflictOf(
            ctx,
            `task:${task}:scope`,
            { kind: 'task', key: task },
            reason,
            sideValues(ctx, { kind: 'task', key: task }),
          ),
        );
    }
  }
  return changed;
}
