// The access diff: which (user, attribute, feed) decisions flip between two policies,
// grouped by the grant that causes the flip so that a large change stays readable.
// Only the users and scopes a change can reach are evaluated (the change's footprint).
import { ANONYMOUS, AUTHENTICATED, EVERYONE } from './catalog';
import { compile } from './compile';
import type { Grant, Permission, Policy, Query } from './model';
import { indexPolicy, type PolicyIndex } from './policy-index';

export interface AccessFlip {
  user: string;
  attribute: string;
  /** null = system scope. */
  feed: string | null;
  from: boolean;
  to: boolean;
}

export interface AccessChangeGroup {
  change: 'granted' | 'revoked';
  /** The grant that decides the new outcome, or for a lost permission the grant that used to allow. */
  cause: Grant | null;
  causeSide: 'old' | 'new';
  users: string[];
  attributes: string[];
  feeds: (string | null)[];
  count: number;
  /** The flips themselves, the first MAX_FLIPS_PER_GROUP of them (count has them all). */
  flips: AccessFlip[];
  truncated: boolean;
}

/** A group keeps this many flips as examples; users, attributes, feeds and count cover all. */
export const MAX_FLIPS_PER_GROUP = 1000;

export interface AccessDiff {
  totals: { flips: number; users: number; granted: number; revoked: number };
  groups: AccessChangeGroup[];
}

/** Where a change can alter decisions: per user, a set of feeds (or every scope). */
interface Footprint {
  everyone: boolean;
  allScopesUsers: Set<string>;
  feedsByUser: Map<string, Set<string | null>>;
}

const permissionKey = (p: Permission): string =>
  JSON.stringify([
    p.user ?? null,
    p.group ?? null,
    p.task,
    p.feed ?? null,
    p.feedGroup ?? null,
    p.deny,
  ]);

/** Users that a principal reaches: a user itself, or every transitive member of a group. */
function membersOf(
  index: PolicyIndex,
  principal: { user?: string; group?: string },
  allUsers: readonly string[],
): string[] {
  if (principal.user !== undefined) return [principal.user];
  const group = principal.group as string;
  if (group === EVERYONE) return [...allUsers];
  if (group === AUTHENTICATED) return allUsers.filter((u) => u !== ANONYMOUS);
  const children = index.groupsByName;
  const seen = new Set<string>([group]);
  const stack = [group];
  const users = new Set<string>();
  while (stack.length > 0) {
    const g = children.get(stack.pop() as string);
    if (!g) continue;
    for (const u of g.users) users.add(u);
    for (const c of g.groups) {
      if (seen.has(c)) continue;
      seen.add(c);
      stack.push(c);
    }
  }
  return [...users];
}

function scopeFeeds(index: PolicyIndex, p: Permission): (string | null)[] | 'all' {
  if (p.feed !== undefined) return [p.feed];
  if (p.feedGroup !== undefined)
    return index.policy.feeds.filter((f) => f.feedGroup === p.feedGroup).map((f) => f.name);
  return 'all';
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}

function footprint(
  oldIdx: PolicyIndex,
  newIdx: PolicyIndex,
  allUsers: readonly string[],
): Footprint {
  const fp: Footprint = { everyone: false, allScopesUsers: new Set(), feedsByUser: new Map() };
  const touch = (users: readonly string[], feeds: (string | null)[] | 'all') => {
    if (feeds === 'all') {
      for (const u of users) fp.allScopesUsers.add(u);
      return;
    }
    for (const u of users) {
      let set = fp.feedsByUser.get(u);
      if (!set) fp.feedsByUser.set(u, (set = new Set()));
      for (const f of feeds) set.add(f);
    }
  };
  const oldPolicy = oldIdx.policy;
  const newPolicy = newIdx.policy;

  // Tasks whose met attributes changed make every grant of theirs a change.
  const changedTasks = new Set<string>();
  for (const [name, met] of oldIdx.taskMeets) {
    const other = newIdx.taskMeets.get(name);
    if (!other || other.size !== met.size || [...met].some((a) => !other.has(a)))
      changedTasks.add(name);
  }
  for (const name of newIdx.taskMeets.keys())
    if (!oldIdx.taskMeets.has(name)) changedTasks.add(name);

  const counts = new Map<string, number>();
  for (const p of oldPolicy.permissions)
    counts.set(permissionKey(p), (counts.get(permissionKey(p)) ?? 0) + 1);
  for (const p of newPolicy.permissions)
    counts.set(permissionKey(p), (counts.get(permissionKey(p)) ?? 0) - 1);
  const touchGrants = (idx: PolicyIndex) => {
    for (const p of idx.policy.permissions) {
      if (counts.get(permissionKey(p)) === 0 && !changedTasks.has(p.task)) continue;
      // A grant reaches the members it has in either policy, on the feeds it covers in either.
      for (const side of [oldIdx, newIdx]) touch(membersOf(side, p, allUsers), scopeFeeds(side, p));
    }
  };
  touchGrants(oldIdx);
  touchGrants(newIdx);

  // Membership changes: a user whose direct groups changed, or who is under a group whose nesting changed.
  for (const u of allUsers) {
    if (!sameSet(oldIdx.userGroups.get(u) ?? [], newIdx.userGroups.get(u) ?? [])) touch([u], 'all');
    if (oldIdx.users.has(u) !== newIdx.users.has(u)) touch([u], 'all');
  }
  const oldNesting = new Map(oldPolicy.groups.map((g) => [g.name, g.groups]));
  for (const g of newPolicy.groups) {
    const before = oldNesting.get(g.name);
    if (before !== undefined && !sameSet(before, g.groups)) {
      for (const side of [oldIdx, newIdx])
        touch(membersOf(side, { group: g.name }, allUsers), 'all');
    }
  }

  // Feed changes (access type, feed group, added or removed) reach every user on that feed.
  const oldFeeds = new Map(oldPolicy.feeds.map((f) => [f.name, f]));
  const newFeeds = new Map(newPolicy.feeds.map((f) => [f.name, f]));
  for (const name of new Set([...oldFeeds.keys(), ...newFeeds.keys()])) {
    const a = oldFeeds.get(name);
    const b = newFeeds.get(name);
    if (!a || !b || a.access !== b.access || a.feedGroup !== b.feedGroup) touch(allUsers, [name]);
  }
  return fp;
}

/** Which decisions flip from `oldPolicy` to `newPolicy`, for every user either policy declares and Anonymous. */
export function accessDiff(oldPolicy: Policy, newPolicy: Policy): AccessDiff {
  const oldIdx = indexPolicy(oldPolicy);
  const newIdx = indexPolicy(newPolicy);
  const before = compile(oldPolicy);
  const after = compile(newPolicy);
  const allUsers = [
    ...new Set([
      ...oldPolicy.users.map((u) => u.name),
      ...newPolicy.users.map((u) => u.name),
      ANONYMOUS,
    ]),
  ];
  const fp = footprint(oldIdx, newIdx, allUsers);
  const allScopes: (string | null)[] = [
    null,
    ...new Set([...oldPolicy.feeds.map((f) => f.name), ...newPolicy.feeds.map((f) => f.name)]),
  ];
  const attributeIds = before.attributeIds;

  const oldFeedIds = new Map(oldPolicy.feeds.map((f, i) => [f.name, i]));
  const newFeedIds = new Map(newPolicy.feeds.map((f, i) => [f.name, i]));
  const feedUnion = allScopes.filter((f): f is string => f !== null);
  // Positions of each feed of the union in the old and new policy (-1 = absent there).
  const oldIndexOf = Int32Array.from(feedUnion, (f) => oldFeedIds.get(f) ?? -1);
  const newIndexOf = Int32Array.from(feedUnion, (f) => newFeedIds.get(f) ?? -1);

  interface Accumulator {
    group: AccessChangeGroup;
    users: Set<string>;
    attributes: number;
    feeds: Set<string | null>;
    lastUser: string | null;
  }
  // Grouped by the cause's identity (verdicts share their grant objects), then by direction:
  // slot = granted/revoked x cause in the new/old policy. No key strings are built per flip.
  const groups = new Map<Grant | null, (Accumulator | undefined)[]>();
  const changedUsers = new Set<string>();
  let granted = 0;
  let revoked = 0;
  // Reused query objects: check() keeps nothing, and a flip should not cost an allocation.
  const systemQuery: Query = { user: '', attribute: '' };
  const feedQuery: Query = { user: '', attribute: '', feed: '' };
  const causeIn = (
    compiled: typeof before,
    ids: Map<string, number>,
    user: string,
    attribute: string,
    feed: string | null,
  ): Grant | null => {
    if (feed === null) {
      systemQuery.user = user;
      systemQuery.attribute = attribute;
      return compiled.check(systemQuery).decidedBy;
    }
    if (!ids.has(feed)) return null;
    feedQuery.user = user;
    feedQuery.attribute = attribute;
    feedQuery.feed = feed;
    return compiled.check(feedQuery).decidedBy;
  };
  // On a feed no feed or feed-group grant reaches, a user's decision comes from global grants
  // and the access type alone: its cause is the same on every such feed of that access type.
  const baselineCause = new Map<number, Grant | null>();
  const ACCESS = ['private', 'public', 'community', 'organization'];
  const oldAccess = new Map(oldPolicy.feeds.map((f) => [f.name, ACCESS.indexOf(f.access)]));
  const newAccess = new Map(newPolicy.feeds.map((f) => [f.name, ACCESS.indexOf(f.access)]));
  const causeOf = (
    side: 0 | 1,
    baseline: boolean,
    user: string,
    bit: number,
    feed: string | null,
  ): Grant | null => {
    const compiled = side === 0 ? before : after;
    const ids = side === 0 ? oldFeedIds : newFeedIds;
    const attribute = attributeIds[bit] as string;
    if (!baseline || feed === null) return causeIn(compiled, ids, user, attribute, feed);
    const key =
      (side * attributeIds.length + bit) * 4 +
      ((side === 0 ? oldAccess : newAccess).get(feed) as number);
    const known = baselineCause.get(key);
    if (known !== undefined) return known;
    const cause = causeIn(compiled, ids, user, attribute, feed);
    if (cause === null || cause.implicit === undefined) baselineCause.set(key, cause); // implicit grants name their feed
    return cause;
  };
  const emit = (
    user: string,
    feed: string | null,
    oldMask: number,
    newMask: number,
    oldBaseline = false,
    newBaseline = false,
  ): void => {
    const diff = oldMask ^ newMask;
    if (diff === 0) return;
    changedUsers.add(user);
    for (let bit = 0; diff >>> bit !== 0; bit++) {
      if ((diff & (1 << bit)) === 0) continue;
      const attribute = attributeIds[bit] as string;
      const to = (newMask & (1 << bit)) !== 0;
      let cause = causeOf(1, newBaseline, user, bit, feed);
      let causeSide: 'old' | 'new' = 'new';
      if (!to && cause === null) {
        cause = causeOf(0, oldBaseline, user, bit, feed);
        causeSide = 'old';
      }
      let slots = groups.get(cause);
      if (!slots) groups.set(cause, (slots = [undefined, undefined, undefined, undefined]));
      const slot = (to ? 2 : 0) + (causeSide === 'new' ? 1 : 0);
      let acc = slots[slot];
      if (!acc) {
        const group: AccessChangeGroup = {
          change: to ? 'granted' : 'revoked',
          cause,
          causeSide,
          users: [],
          attributes: [],
          feeds: [],
          count: 0,
          flips: [],
          truncated: false,
        };
        slots[slot] = acc = {
          group,
          users: new Set(),
          attributes: 0,
          feeds: new Set(),
          lastUser: null,
        };
      }
      const group = acc.group;
      if (group.flips.length < MAX_FLIPS_PER_GROUP)
        group.flips.push({ user, attribute, feed, from: !to, to });
      else group.truncated = true;
      group.count++;
      if (acc.lastUser !== user) {
        acc.users.add(user);
        acc.lastUser = user;
      }
      acc.attributes |= 1 << bit;
      acc.feeds.add(feed);
      if (to) granted++;
      else revoked++;
    }
  };
  for (const user of fp.allScopesUsers) {
    const a = before.allowedMasks(user);
    const b = after.allowedMasks(user);
    baselineCause.clear();
    emit(user, null, a.system, b.system);
    for (let k = 0; k < feedUnion.length; k++) {
      const oi = oldIndexOf[k] as number;
      const ni = newIndexOf[k] as number;
      const oldMask = oi < 0 ? 0 : (a.feeds[oi] as number);
      const newMask = ni < 0 ? 0 : (b.feeds[ni] as number);
      if (oldMask === newMask) continue;
      emit(
        user,
        feedUnion[k] as string,
        oldMask,
        newMask,
        oi >= 0 && a.touched[oi] === 0,
        ni >= 0 && b.touched[ni] === 0,
      );
    }
  }
  for (const [user, feeds] of fp.feedsByUser) {
    if (fp.allScopesUsers.has(user)) continue;
    for (const feed of feeds) {
      const oldMask =
        feed === null
          ? before.allowedMask(user)
          : oldFeedIds.has(feed)
            ? before.allowedMask(user, feed)
            : 0;
      const newMask =
        feed === null
          ? after.allowedMask(user)
          : newFeedIds.has(feed)
            ? after.allowedMask(user, feed)
            : 0;
      emit(user, feed, oldMask, newMask);
    }
  }

  const result = [...groups.values()].flatMap((slots) =>
    slots
      .filter((acc): acc is Accumulator => acc !== undefined)
      .map((acc) => {
        const g = acc.group;
        g.flips.sort(
          (x, y) =>
            x.user.localeCompare(y.user) ||
            (x.feed ?? '').localeCompare(y.feed ?? '') ||
            x.attribute.localeCompare(y.attribute),
        );
        g.users = [...acc.users].sort();
        g.attributes = attributeIds.filter((_, bit) => (acc.attributes & (1 << bit)) !== 0);
        g.feeds = [...acc.feeds].sort((x, y) => (x ?? '').localeCompare(y ?? ''));
        return g;
      }),
  );
  result.sort((a, b) => b.count - a.count || a.change.localeCompare(b.change));
  return {
    totals: { flips: granted + revoked, users: changedUsers.size, granted, revoked },
    groups: result,
  };
}
