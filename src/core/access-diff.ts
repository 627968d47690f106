// The access diff: which (user, attribute, feed) decisions flip between two policies,
// grouped by the grant that causes the flip so that a large change stays readable.
// Only the users and scopes a change can reach are evaluated (the change's footprint).
import { ANONYMOUS, AUTHENTICATED, EVERYONE } from './catalog';
import { compile } from './compile';
import type { FeedMasks } from './compiled-masks';
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

/** Length-prefixed fields: unambiguous whatever characters names hold, cheaper than JSON. */
const field = (tag: string, value: string | undefined): string =>
  value === undefined ? '' : `${tag}${value.length}:${value}`;
const permissionKey = (p: Permission): string =>
  field('u', p.user) +
  field('g', p.group) +
  field('t', p.task) +
  field('f', p.feed) +
  field('G', p.feedGroup) +
  (p.deny ? 'D' : 'A');

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
  // Users are in a few groups: a scan beats building a set per user.
  if (a.length <= 8) return b.every((x) => a.includes(x)) && a.every((x) => b.includes(x));
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

  // A grant is unchanged when the other policy holds as many equal copies of it.
  const oldKeys = oldPolicy.permissions.map(permissionKey);
  const newKeys = newPolicy.permissions.map(permissionKey);
  const counts = new Map<string, number>();
  for (const k of oldKeys) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const k of newKeys) counts.set(k, (counts.get(k) ?? 0) - 1);
  const touchGrants = (idx: PolicyIndex, keys: readonly string[]) => {
    idx.policy.permissions.forEach((p, i) => {
      if (counts.get(keys[i] as string) === 0 && !changedTasks.has(p.task)) return;
      // A grant reaches the members it has in either policy, on the feeds it covers in either.
      for (const side of [oldIdx, newIdx]) touch(membersOf(side, p, allUsers), scopeFeeds(side, p));
    });
  };
  touchGrants(oldIdx, oldKeys);
  touchGrants(newIdx, newKeys);

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

  // Scope slots: 0 = system, k + 1 = feedUnion[k]; an accumulator marks its feeds in a byte array.
  const scopeSlot = new Map<string, number>(feedUnion.map((f, k) => [f, k + 1]));
  interface Accumulator {
    group: AccessChangeGroup;
    users: Set<string>;
    attributes: number;
    scopes: Uint8Array;
    lastUser: string | null;
  }
  // Grouped by the cause's identity (verdicts share their grant objects), then by direction:
  // slot = granted/revoked x cause in the new/old policy. No key strings are built per flip.
  const groups = new Map<Grant | null, (Accumulator | undefined)[]>();
  let changedUsers = 0;
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
  const accumulatorFor = (cause: Grant | null, to: boolean, causeSide: 'old' | 'new') => {
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
        scopes: new Uint8Array(feedUnion.length + 1),
        lastUser: null,
      };
    }
    return acc;
  };
  const record = (
    acc: Accumulator,
    user: string,
    bit: number,
    feed: string | null,
    slot: number,
    to: boolean,
  ): void => {
    const group = acc.group;
    if (group.flips.length < MAX_FLIPS_PER_GROUP)
      group.flips.push({ user, attribute: attributeIds[bit] as string, feed, from: !to, to });
    else group.truncated = true;
    group.count++;
    if (acc.lastUser !== user) {
      acc.users.add(user);
      acc.lastUser = user;
    }
    acc.attributes |= 1 << bit;
    acc.scopes[slot] = 1;
    if (to) granted++;
    else revoked++;
  };
  /** Where each flipped bit of a scope went, to replay on scopes known to flip the same way. */
  interface Replay {
    oldMask: number;
    newMask: number;
    flips: { acc: Accumulator; bit: number; to: boolean }[];
  }
  /**
   * Records the flips of one scope. Returns how they can be replayed on another scope of the
   * same kind, or null when a cause names this scope itself (an implicit grant names its feed).
   */
  const emit = (
    user: string,
    feed: string | null,
    oldMask: number,
    newMask: number,
    cause: (side: 0 | 1, bit: number) => Grant | null,
  ): Replay | null => {
    const diff = oldMask ^ newMask;
    const slot = feed === null ? 0 : (scopeSlot.get(feed) as number);
    let replay: Replay | null = { oldMask, newMask, flips: [] };
    for (let bit = 0; diff >>> bit !== 0; bit++) {
      if ((diff & (1 << bit)) === 0) continue;
      const to = (newMask & (1 << bit)) !== 0;
      let causeGrant = cause(1, bit);
      let causeSide: 'old' | 'new' = 'new';
      if (!to && causeGrant === null) {
        causeGrant = cause(0, bit);
        causeSide = 'old';
      }
      const acc = accumulatorFor(causeGrant, to, causeSide);
      record(acc, user, bit, feed, slot, to);
      if (causeGrant?.implicit !== undefined) replay = null;
      else replay?.flips.push({ acc, bit, to });
    }
    return replay;
  };
  const causeAt =
    (user: string, feed: string | null) =>
    (side: 0 | 1, bit: number): Grant | null =>
      side === 0
        ? causeIn(before, oldFeedIds, user, attributeIds[bit] as string, feed)
        : causeIn(after, newFeedIds, user, attributeIds[bit] as string, feed);

  // On a feed that no feed or feed-group grant of the user reaches, in either policy, the
  // user's decision comes from global grants and the feed's access type alone: every such feed
  // with the same pair of access types flips the same bits for the same causes. The first one
  // is evaluated and the others replay it (unless a cause is an implicit grant, which names
  // its feed). "Absent" (the feed is not in that policy) is a kind too: mask 0, no cause.
  const ACCESS = ['private', 'public', 'community', 'organization'];
  const ABSENT = ACCESS.length;
  const KINDS = ACCESS.length + 1;
  const oldKind = Int32Array.from(oldIndexOf, (i) =>
    i < 0 ? ABSENT : ACCESS.indexOf(oldPolicy.feeds[i]?.access as string),
  );
  const newKind = Int32Array.from(newIndexOf, (i) =>
    i < 0 ? ABSENT : ACCESS.indexOf(newPolicy.feeds[i]?.access as string),
  );
  const replays: (Replay | null | undefined)[] = new Array<Replay | null | undefined>(
    KINDS * KINDS,
  );
  let a: FeedMasks | undefined;
  let b: FeedMasks | undefined;
  for (const user of fp.allScopesUsers) {
    const oldMasks = before.allowedMasks(user, a);
    const newMasks = after.allowedMasks(user, b);
    a = oldMasks;
    b = newMasks;
    const flipsBefore = granted + revoked;
    replays.fill(undefined);
    emit(user, null, oldMasks.system, newMasks.system, causeAt(user, null));
    for (let k = 0; k < feedUnion.length; k++) {
      const oi = oldIndexOf[k] as number;
      const ni = newIndexOf[k] as number;
      const oldMask = oi < 0 ? 0 : (oldMasks.feeds[oi] as number);
      const newMask = ni < 0 ? 0 : (newMasks.feeds[ni] as number);
      if (oldMask === newMask) continue;
      const feed = feedUnion[k] as string;
      const plain =
        (oi < 0 || oldMasks.touched[oi] === 0) && (ni < 0 || newMasks.touched[ni] === 0);
      if (!plain) {
        emit(user, feed, oldMask, newMask, causeAt(user, feed));
        continue;
      }
      const kind = (oldKind[k] as number) * KINDS + (newKind[k] as number);
      const replay = replays[kind];
      if (replay && replay.oldMask === oldMask && replay.newMask === newMask) {
        for (const flip of replay.flips) record(flip.acc, user, flip.bit, feed, k + 1, flip.to);
      } else {
        const made = emit(user, feed, oldMask, newMask, causeAt(user, feed));
        if (replay === undefined) replays[kind] = made;
      }
    }
    if (granted + revoked > flipsBefore) changedUsers++;
  }
  for (const [user, feeds] of fp.feedsByUser) {
    if (fp.allScopesUsers.has(user)) continue;
    const flipsBefore = granted + revoked;
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
      if (oldMask !== newMask) emit(user, feed, oldMask, newMask, causeAt(user, feed));
    }
    if (granted + revoked > flipsBefore) changedUsers++;
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
        g.feeds = allScopes.filter((_, slot) => acc.scopes[slot] === 1);
        g.feeds.sort((x, y) => (x ?? '').localeCompare(y ?? ''));
        return g;
      }),
  );
  result.sort((a, b) => b.count - a.count || a.change.localeCompare(b.change));
  return {
    totals: { flips: granted + revoked, users: changedUsers, granted, revoked },
    groups: result,
  };
}
