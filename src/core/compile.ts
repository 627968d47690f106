// The compiled evaluator: the same decisions as resolve(), precomputed into flat tables of
// bit masks (see tier-table.ts). Proven equal to the reference by property tests.
//
// Shape: each group gets a view of every grant its members receive through it (its
// ancestors, transitively, plus the virtual groups), folded by sort tier and scope. A user's
// decision combines their own view with the views of their direct groups, which are shared
// between users, so compiling is proportional to groups and grants rather than users x grants.
import { ATTRIBUTES } from './catalog';
import type { Decision, Policy, Query, Verdict } from './model';
import { queryErrors } from './resolve';
import { compiledExplainer } from './compiled-trace';
import { buildLayout, NO_ERRORS, SLOTS } from './compiled-layout';
import { maskFolder, type FeedMasks } from './compiled-masks';
import { NO_GRANT } from './tier-table';

export interface CompiledPolicy {
  readonly policy: Policy;
  /** The decision and the grant that made it, without the trace; equal to resolve() on both. */
  check(query: Query): Verdict;
  /** Just the outcome. */
  isAllowed(user: string, attribute: string, feed?: string, owner?: string): boolean;
  /** The full decision with its trace, equal to resolve() (see compiled-trace.ts). */
  explain(query: Query): Decision;
  /** Attribute ids in bit order: bit i of a mask is attributeIds[i]. */
  readonly attributeIds: readonly string[];
  /** Bit mask of the attributes allowed to `user` on `feed` (or at system scope), for bulk comparisons. */
  allowedMask(user: string, feed?: string, owner?: string): number;
  /**
   * Every feed's allowed mask for a user at once (index = position in policy.feeds), the
   * system-scope mask, and which feeds have a feed or feed-group grant reaching the user
   * (on the others, only global grants and the feed's access type decide). Given `out`
   * (the arrays of an earlier call on this policy), fills and returns those instead.
   */
  allowedMasks(user: string, out?: FeedMasks): FeedMasks & { system: number };
  /** Prepares every user's tables now (compile() builds them on each user's first check). */
  warm(): void;
}

const NO_DECISION: Verdict = Object.freeze({ allowed: false, decidedBy: null, errors: NO_ERRORS });
const FEED_SCOPED_MASK = ATTRIBUTES.reduce((m, a, i) => (a.feedScoped ? m | (1 << i) : m), 0);
/** Codes for implicit grants are negative: -(2 + feed * SLOTS + slot). */
const implicitCode = (slot: number) => -2 - slot;

export function compile(policy: Policy): CompiledPolicy {
  const layout = buildLayout(policy);
  const {
    index,
    bitOf,
    feedIds,
    feedGroupOf,
    implicitMask,
    implicitVerdicts,
    explicitVerdict,
    table,
    userIds,
    ownView,
    own,
    from,
    to,
    views,
    anonymousUid,
    undeclaredUid,
    words,
    touches,
    touchesFeed,
  } = layout;
  const pickEntry = (view: number, scope: 0 | 1, key: number, bit: number): number => {
    const e = table.entry(view, scope, key);
    if (e < 0) return NO_GRANT;
    if (table.entryDeny(e) & bit) return table.firstInEntry(e, bit, true);
    if (table.entryAllow(e) & bit) return table.firstInEntry(e, bit, false);
    return NO_GRANT;
  };
  const pickGlobal = (view: number, bit: number): number => {
    if (table.globalDeny(view) & bit) return table.firstInGlobal(view, bit, true);
    if (table.globalAllow(view) & bit) return table.firstInGlobal(view, bit, false);
    return NO_GRANT;
  };
  /** One tier across the user's group views: any restriction beats any permission, then policy order. */
  const pickGroups = (
    uid: number,
    scope: 0 | 1 | 2,
    key: number,
    bit: number,
    feed: number,
  ): number => {
    let best = NO_GRANT;
    let bestDeny = false;
    for (let i = from[uid] as number, end = to[uid] as number; i < end; i++) {
      const view = views[i] as number;
      let deny: number;
      let allow: number;
      let e = -1;
      if (scope === 2) {
        deny = table.globalDeny(view) & bit;
        allow = table.globalAllow(view) & bit;
      } else {
        if (!touchesFeed(view, feed)) continue;
        e = table.entry(view, scope, key);
        if (e < 0) continue;
        deny = table.entryDeny(e) & bit;
        allow = table.entryAllow(e) & bit;
      }
      if (deny) {
        const g =
          scope === 2 ? table.firstInGlobal(view, bit, true) : table.firstInEntry(e, bit, true);
        if (!bestDeny || g < best) {
          best = g;
          bestDeny = true;
        }
      } else if (allow && !bestDeny) {
        const g =
          scope === 2 ? table.firstInGlobal(view, bit, false) : table.firstInEntry(e, bit, false);
        if (best === NO_GRANT || g < best) best = g;
      }
    }
    return best;
  };

  // Per user, precomputed on the user's first check: the global deciders (own, then across
  // their groups) for every attribute, and one bit per feed that any of their views has a feed
  // or feed-group entry for. A check on an untouched feed (the common case) then reads two or
  // three cache lines. Built lazily because a policy is compiled for every revision and every
  // diff, and most compiled policies are asked about few of their users.
  const BITS = ATTRIBUTES.length;
  const userCount = ownView.length;
  const userTouches = new Int32Array(userCount * words);
  const globalDecider = new Int32Array(userCount * BITS * 2);
  const userReady = new Uint8Array(userCount);
  const prepareUser = (uid: number): void => {
    const base = uid * words;
    const orView = (view: number) => {
      for (let w = 0; w < words; w++)
        userTouches[base + w] =
          (userTouches[base + w] as number) | (touches[view * words + w] as number);
    };
    const ownV = own[uid] as number;
    if (ownV >= 0) orView(ownV);
    for (let i = from[uid] as number; i < (to[uid] as number); i++) orView(views[i] as number);
    for (let b = 0; b < BITS; b++) {
      globalDecider[(uid * BITS + b) * 2] = ownV >= 0 ? pickGlobal(ownV, 1 << b) : NO_GRANT;
      globalDecider[(uid * BITS + b) * 2 + 1] = pickGroups(uid, 2, -1, 1 << b, -1);
    }
    userReady[uid] = 1;
  };
  const warm = (): void => {
    for (let uid = 0; uid < userCount; uid++) if (userReady[uid] === 0) prepareUser(uid);
  };

  /** The deciding grant's code: an index, an implicit code, or NO_GRANT. */
  function decide(uid: number, b: number, feed: number, owner: boolean): number {
    if (userReady[uid] === 0) prepareUser(uid);
    const bit = 1 << b;
    const global = (uid * BITS + b) * 2;
    let g: number;
    if (feed < 0 || (FEED_SCOPED_MASK & bit) === 0) {
      // System-only attributes (or no feed): global grants alone decide.
      g = globalDecider[global] as number;
      return g !== NO_GRANT ? g : (globalDecider[global + 1] as number);
    }
    const touched =
      ((userTouches[uid * words + (feed >>> 5)] as number) & (1 << (feed & 31))) !== 0;
    const ownView = own[uid] as number;
    const feedGroup = feedGroupOf[feed] as number;
    if (touched && ownView >= 0 && touchesFeed(ownView, feed)) {
      if ((g = pickEntry(ownView, 0, feed, bit)) !== NO_GRANT) return g;
      if (feedGroup >= 0 && (g = pickEntry(ownView, 1, feedGroup, bit)) !== NO_GRANT) return g;
    }
    if ((g = globalDecider[global] as number) !== NO_GRANT) return g;
    if (touched && (g = pickGroups(uid, 0, feed, bit, feed)) !== NO_GRANT) return g;
    const slot = feed * SLOTS;
    if ((implicitMask[slot] as number) & bit) return implicitCode(slot);
    if (uid !== anonymousUid) {
      if ((implicitMask[slot + 1] as number) & bit) return implicitCode(slot + 1);
      if (owner && (implicitMask[slot + 2] as number) & bit) return implicitCode(slot + 2);
    }
    if (touched && feedGroup >= 0 && (g = pickGroups(uid, 1, feedGroup, bit, feed)) !== NO_GRANT)
      return g;
    return globalDecider[global + 1] as number;
  }

  const verdictOf = (code: number): Verdict =>
    code >= 0
      ? explicitVerdict(code)
      : code === NO_GRANT
        ? NO_DECISION
        : (implicitVerdicts[-2 - code] as Verdict);
  // Name lookups on the hot path go through null-prototype dictionaries: V8 probes their
  // entries in place, one dependent load fewer than a Map (measured ~35% faster at 20,000 users).
  const dictionary = (entries: Iterable<[string, number]>): Record<string, number | undefined> => {
    const dict = Object.create(null) as Record<string, number | undefined>;
    for (const [name, id] of entries) dict[name] = id;
    return dict;
  };
  const uidByName = dictionary(userIds);
  const feedByName = dictionary(feedIds);
  const bitByName = dictionary(bitOf);
  const uidOf = (user: string): number => uidByName[user] ?? undeclaredUid;
  /** -1: no feed (system scope); -2: a feed the policy does not have. */
  const feedOf = (feed: string | undefined): number =>
    feed === undefined ? -1 : (feedByName[feed] ?? -2);

  function check(query: Query): Verdict {
    const bit = bitByName[query.attribute];
    const feed = feedOf(query.feed);
    if (bit === undefined || feed === -2 || !query.user) {
      return { allowed: false, decidedBy: null, errors: queryErrors(index, query) };
    }
    const owner = query.owner !== undefined && query.owner === query.user;
    return verdictOf(decide(uidOf(query.user), bit, feed, owner));
  }

  // The outcome alone, for authorization: no verdict object to reach, just the grant's effect.
  const denies = Uint8Array.from(policy.permissions, (p) => (p.deny ? 1 : 0));
  function isAllowed(user: string, attribute: string, feedName?: string, owner?: string): boolean {
    const bit = bitByName[attribute];
    const feed = feedOf(feedName);
    if (bit === undefined || feed === -2 || !user) return false;
    const code = decide(uidOf(user), bit, feed, owner !== undefined && owner === user);
    return code >= 0 ? denies[code] === 0 : code !== NO_GRANT;
  }

  const masks = maskFolder(layout, policy.feedGroups.length);
  function allowedMask(user: string, feedName?: string, owner?: string): number {
    const feed = feedOf(feedName);
    if (feed === -2) throw new Error(`unknown feed "${feedName}"`);
    return masks.maskAt(uidOf(user), feed, owner !== undefined && owner === user);
  }
  const allowedMasks = (user: string, out?: FeedMasks) => masks.allowedMasks(uidOf(user), out);

  return {
    policy,
    check,
    isAllowed,
    explain: compiledExplainer(policy),
    attributeIds: ATTRIBUTES.map((a) => a.id),
    allowedMask,
    allowedMasks,
    warm,
  };
}
