// The access diff: which (user, attribute, feed) decisions flip between two policies,
// grouped by the grant that causes the flip so that a large change stays readable.
// Only the users and scopes a change can reach are evaluated (the change's footprint).
import { ANONYMOUS } from './catalog';
import { compile } from './compile';
import type { FeedMasks } from './compiled-masks';
import type { Grant, Policy, Query } from './model';
import { footprint } from './access-footprint';
import { indexPolicy } from './policy-index';

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
    /** Per example flip (parallel to group.flips): exampleOf(user id, scope slot, bit). */
    examples: number[];
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
  // Example flips are listed by user, feed and attribute, each in localeCompare order. Each
  // example keeps one number (user id, scope slot, attribute bit), and ranks made once at the
  // end turn it into its place: a large diff sorts over a million examples, and a small one
  // ranks only the few users its examples name.
  const rankBy = <T>(items: readonly T[], name: (item: T) => string): Int32Array => {
    const order = items
      .map((_, i) => i)
      .sort((x, y) => name(items[x] as T).localeCompare(name(items[y] as T)));
    const ranks = new Int32Array(items.length);
    order.forEach((item, i) => {
      const previous = order[i - 1];
      // Names that compare equal share a rank, as they did under a comparison sort.
      ranks[item] =
        previous !== undefined &&
        name(items[previous] as T).localeCompare(name(items[item] as T)) === 0
          ? (ranks[previous] as number)
          : i;
    });
    return ranks;
  };
  const exampleUsers: string[] = [];
  const exampleUserIds = new Map<string, number>();
  const userIdOf = (user: string): number => {
    let id = exampleUserIds.get(user);
    if (id === undefined) exampleUserIds.set(user, (id = exampleUsers.push(user) - 1));
    return id;
  };
  const exampleOf = (userId: number, slot: number, bit: number): number =>
    (userId * allScopes.length + slot) * attributeIds.length + bit;

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
        examples: [],
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
    if (group.flips.length < MAX_FLIPS_PER_GROUP) {
      group.flips.push({ user, attribute: attributeIds[bit] as string, feed, from: !to, to });
      acc.examples.push(exampleOf(userIdOf(user), slot, bit));
    } else group.truncated = true;
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
    /** Scope slots (feed k + 1) replayed for the current user, recorded together by flush. */
    slots: number[];
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
    let replay: Replay | null = { oldMask, newMask, flips: [], slots: [] };
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
  /**
   * Records a replay's flips on every scope it was replayed on for the user: the counts once
   * per flip, examples while the group keeps any (most flips of a large diff are replays).
   */
  const flush = (replay: Replay, user: string): void => {
    const n = replay.slots.length;
    if (n === 0) return;
    const userId = userIdOf(user);
    for (const { acc, bit, to } of replay.flips) {
      const group = acc.group;
      for (const slot of replay.slots) {
        acc.scopes[slot] = 1;
        if (group.flips.length < MAX_FLIPS_PER_GROUP) {
          group.flips.push({
            user,
            attribute: attributeIds[bit] as string,
            feed: feedUnion[slot - 1] as string,
            from: !to,
            to,
          });
          acc.examples.push(exampleOf(userId, slot, bit));
        }
      }
      group.count += n;
      if (group.count > group.flips.length) group.truncated = true;
      acc.users.add(user);
      acc.lastUser = user;
      if (to) granted += n;
      else revoked += n;
    }
    replay.slots.length = 0;
  };
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
        replay.slots.push(k + 1);
      } else {
        const made = emit(user, feed, oldMask, newMask, causeAt(user, feed));
        if (replay === undefined) replays[kind] = made;
      }
    }
    for (const replay of replays) if (replay) flush(replay, user);
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

  const userRank = rankBy(exampleUsers, (u) => u);
  const scopeRank = rankBy(allScopes, (s) => s ?? '');
  const attributeRank = rankBy(attributeIds, (a) => a);
  const scopesInOrder = allScopes
    .map((_, slot) => slot)
    .sort((x, y) => (scopeRank[x] as number) - (scopeRank[y] as number));
  const placeOf = (example: number): number => {
    const bit = example % attributeIds.length;
    const rest = (example - bit) / attributeIds.length;
    const slot = rest % allScopes.length;
    const userId = (rest - slot) / allScopes.length;
    return (
      ((userRank[userId] as number) * allScopes.length + (scopeRank[slot] as number)) *
        attributeIds.length +
      (attributeRank[bit] as number)
    );
  };
  const result = [...groups.values()].flatMap((slots) =>
    slots
      .filter((acc): acc is Accumulator => acc !== undefined)
      .map((acc) => {
        const g = acc.group;
        const flips = g.flips;
        const places = acc.examples.map(placeOf);
        g.flips = flips
          .map((_, i) => i)
          .sort((x, y) => (places[x] as number) - (places[y] as number))
          .map((i) => flips[i] as AccessFlip);
        g.users = [...acc.users].sort();
        g.attributes = attributeIds.filter((_, bit) => (acc.attributes & (1 << bit)) !== 0);
        g.feeds = [];
        for (const slot of scopesInOrder)
          if (acc.scopes[slot] === 1) g.feeds.push(allScopes[slot] as string | null);
        return g;
      }),
  );
  result.sort((a, b) => b.count - a.count || a.change.localeCompare(b.change));
  return {
    totals: { flips: granted + revoked, users: changedUsers, granted, revoked },
    groups: result,
  };
}
