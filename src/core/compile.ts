// The compiled evaluator: the same decisions as resolve(), precomputed into flat tables of
// bit masks (see tier-table.ts). Proven equal to the reference by property tests.
//
// Shape: each group gets a view of every grant its members receive through it (its
// ancestors, transitively, plus the virtual groups), folded by sort tier and scope. A user's
// decision combines their own view with the views of their direct groups, which are shared
// between users, so compiling is proportional to groups and grants rather than users x grants.
import { ANONYMOUS, ATTRIBUTES, AUTHENTICATED, EVERYONE } from './catalog';
import type { Decision, Policy, Query, Verdict } from './model';
import {
  IMPLICIT_RULES,
  ancestorGroups,
  explicitGrant,
  implicitGrant,
  indexPolicy,
} from './policy-index';
import { queryErrors, resolve } from './resolve';
import { NO_GRANT, TierTable, type GrantColumns } from './tier-table';

export interface CompiledPolicy {
  readonly policy: Policy;
  /** The decision and the grant that made it, without the trace; equal to resolve() on both. */
  check(query: Query): Verdict;
  /** Just the outcome. */
  isAllowed(user: string, attribute: string, feed?: string, owner?: string): boolean;
  /** The full decision with its trace (the reference resolver). */
  explain(query: Query): Decision;
  /** Attribute ids in bit order: bit i of a mask is attributeIds[i]. */
  readonly attributeIds: readonly string[];
  /** Bit mask of the attributes allowed to `user` on `feed` (or at system scope), for bulk comparisons. */
  allowedMask(user: string, feed?: string, owner?: string): number;
  /**
   * Every feed's allowed mask for a user at once (index = position in policy.feeds), plus the
   * system-scope mask. Feeds with no feed-specific grant for the user share one fold per access type.
   */
  allowedMasks(user: string): { system: number; feeds: Int32Array };
  /** Kept for callers that prepare ahead: compile() already builds every view. */
  warm(): void;
}

const NO_ERRORS: readonly string[] = Object.freeze([]);
const NO_DECISION: Verdict = Object.freeze({ allowed: false, decidedBy: null, errors: NO_ERRORS });
const FEED_SCOPED_MASK = ATTRIBUTES.reduce((m, a, i) => (a.feedScoped ? m | (1 << i) : m), 0);
/** Implicit rule slots per feed: Everyone, Authenticated, owner-only (Authenticated). */
const SLOTS = 3;
/** Codes for implicit grants are negative: -(2 + feed * SLOTS + slot). */
const implicitCode = (slot: number) => -2 - slot;

export function compile(policy: Policy): CompiledPolicy {
  const index = indexPolicy(policy);
  const bitOf = new Map<string, number>(ATTRIBUTES.map((a, i) => [a.id, i]));
  const maskOf = (attributes: Iterable<string>): number => {
    let m = 0;
    for (const a of attributes) m |= 1 << (bitOf.get(a) as number);
    return m;
  };
  const taskMask = new Map<string, number>();
  for (const [task, met] of index.taskMeets) taskMask.set(task, maskOf(met));

  // Feeds: ids, feed groups, implicit grants of their access types.
  const feedGroupIds = new Map<string, number>(policy.feedGroups.map((fg, i) => [fg.name, i]));
  const feedIds = new Map<string, number>(policy.feeds.map((f, i) => [f.name, i]));
  const feedCount = policy.feeds.length;
  const feedGroupOf = new Int32Array(feedCount).fill(-1);
  const feedsOfGroup: number[][] = policy.feedGroups.map(() => []);
  const implicitMask = new Int32Array(feedCount * SLOTS);
  const implicitVerdicts: Verdict[] = new Array<Verdict>(feedCount * SLOTS);
  policy.feeds.forEach((feed, f) => {
    if (feed.feedGroup !== undefined) {
      const fg = feedGroupIds.get(feed.feedGroup) as number;
      feedGroupOf[f] = fg;
      feedsOfGroup[fg]?.push(f);
    }
    for (const rule of IMPLICIT_RULES[feed.access]) {
      const slot = f * SLOTS + (rule.ownerOnly ? 2 : rule.group === AUTHENTICATED ? 1 : 0);
      implicitMask[slot] = (implicitMask[slot] as number) | maskOf(rule.attributes);
      implicitVerdicts[slot] = Object.freeze({
        allowed: true,
        decidedBy: implicitGrant(rule, feed.name),
        errors: NO_ERRORS,
      });
    }
  });

  // Grants as columns, bucketed by principal.
  const count = policy.permissions.length;
  const columns: GrantColumns = {
    mask: new Int32Array(count),
    deny: new Uint8Array(count),
    scope: new Uint8Array(count),
    scopeId: new Int32Array(count),
  };
  const verdicts: Verdict[] = new Array<Verdict>(count);
  const byUser = new Map<string, number[]>();
  const byGroup = new Map<string, number[]>();
  policy.permissions.forEach((p, i) => {
    columns.mask[i] = taskMask.get(p.task) ?? 0;
    columns.deny[i] = p.deny ? 1 : 0;
    columns.scope[i] = p.feed !== undefined ? 0 : p.feedGroup !== undefined ? 1 : 2;
    columns.scopeId[i] =
      p.feed !== undefined
        ? (feedIds.get(p.feed) ?? -1)
        : p.feedGroup !== undefined
          ? (feedGroupIds.get(p.feedGroup) ?? -1)
          : -1;
    verdicts[i] = Object.freeze({
      allowed: !p.deny,
      decidedBy: explicitGrant(p, i),
      errors: NO_ERRORS,
    });
    const bucket = p.user !== undefined ? byUser : byGroup;
    const key = (p.user ?? p.group) as string;
    let list = bucket.get(key);
    if (!list) bucket.set(key, (list = []));
    list.push(i);
  });
  const grantsOf = (groups: Iterable<string>): number[] => {
    const out: number[] = [];
    for (const g of groups) for (const i of byGroup.get(g) ?? []) out.push(i);
    return out;
  };

  // Views: the virtual groups alone, each declared group with its ancestors, each user's own grants.
  const table = new TierTable(columns);
  const anonymousGroupsView = table.addView(grantsOf([EVERYONE]));
  const signedInView = table.addView(grantsOf([AUTHENTICATED, EVERYONE]));
  // Only groups some user is directly in need a view (a deep chain's inner groups do not).
  const groupViews = new Map<string, number>();
  const groupView = (group: string): number => {
    let view = groupViews.get(group);
    if (view === undefined) {
      const closure = ancestorGroups(index, [group]);
      closure.add(AUTHENTICATED);
      closure.add(EVERYONE);
      groupViews.set(group, (view = table.addView(grantsOf(closure))));
    }
    return view;
  };

  const userIds = new Map<string, number>();
  const ownView: number[] = [];
  const groupsFrom: number[] = [];
  const groupsTo: number[] = [];
  const groupList: number[] = [];
  const addUser = (name: string, own: number[] | undefined, views: number[]): number => {
    const uid = ownView.length;
    ownView.push(own && own.length > 0 ? table.addView(own) : -1);
    groupsFrom.push(groupList.length);
    groupList.push(...views);
    groupsTo.push(groupList.length);
    if (name !== '') userIds.set(name, uid);
    return uid;
  };
  const anonymousUid = addUser(ANONYMOUS, byUser.get(ANONYMOUS), [anonymousGroupsView]);
  for (const u of policy.users) {
    const direct = u.groups.map(groupView);
    addUser(u.name, byUser.get(u.name), direct.length > 0 ? direct : [signedInView]);
  }
  // Grants may name users the policy does not declare (hand-built policies): they are signed-in users in no group.
  for (const [name, own] of byUser) if (!userIds.has(name)) addUser(name, own, [signedInView]);
  // Every other user: signed in, in no group, no grant of their own.
  const undeclaredUid = addUser('', undefined, [signedInView]);
  table.seal();
  const own = Int32Array.from(ownView);
  const from = Int32Array.from(groupsFrom);
  const to = Int32Array.from(groupsTo);
  const views = Int32Array.from(groupList);

  // Per view, one bit per feed: set when the view has an entry for the feed or its feed
  // group. Most (view, feed) pairs have none, and one bit read then skips two searches.
  const words = (feedCount + 31) >>> 5;
  const touches = new Int32Array(table.viewCount * words);
  for (let view = 0; view < table.viewCount; view++) {
    const base = view * words;
    const mark = (f: number) =>
      (touches[base + (f >>> 5)] = (touches[base + (f >>> 5)] as number) | (1 << (f & 31)));
    for (let e = table.entriesFrom(view, 0); e < table.entriesTo(view, 0); e++)
      mark(table.entryKey(e));
    for (let e = table.entriesFrom(view, 1); e < table.entriesTo(view, 1); e++)
      for (const f of feedsOfGroup[table.entryKey(e)] ?? []) mark(f);
  }
  const touchesFeed = (view: number, feed: number): boolean =>
    ((touches[view * words + (feed >>> 5)] as number) & (1 << (feed & 31))) !== 0;

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

  // Per user, precomputed: the global deciders (own, then across their groups) for every
  // attribute, and one bit per feed that any of their views has a feed or feed-group entry
  // for. A check on an untouched feed (the common case) then reads two or three cache lines.
  const BITS = ATTRIBUTES.length;
  const userCount = ownView.length;
  const userTouches = new Int32Array(userCount * words);
  const globalDecider = new Int32Array(userCount * BITS * 2);
  for (let uid = 0; uid < userCount; uid++) {
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
  }

  /** The deciding grant's code: an index, an implicit code, or NO_GRANT. */
  function decide(uid: number, b: number, feed: number, owner: boolean): number {
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
      ? (verdicts[code] as Verdict)
      : code === NO_GRANT
        ? NO_DECISION
        : (implicitVerdicts[-2 - code] as Verdict);
  const uidOf = (user: string): number => userIds.get(user) ?? undeclaredUid;

  function check(query: Query): Verdict {
    const bit = bitOf.get(query.attribute);
    const feed = query.feed === undefined ? -1 : (feedIds.get(query.feed) ?? -2);
    if (bit === undefined || feed === -2 || !query.user) {
      return { allowed: false, decidedBy: null, errors: queryErrors(index, query) };
    }
    const owner = query.owner !== undefined && query.owner === query.user;
    return verdictOf(decide(uidOf(query.user), bit, feed, owner));
  }

  // Mask folding: tiers in order, whole masks at once. The state lives here rather than in
  // closures so that bulk callers (the access diff) allocate nothing per fold.
  let decided = 0;
  let allowed = 0;
  const fold = (deny: number, allow: number): void => {
    allowed |= allow & ~deny & ~decided;
    decided |= deny | allow;
  };
  const foldEntry = (view: number, scope: 0 | 1, key: number): void => {
    const e = table.entry(view, scope, key);
    if (e >= 0) fold(table.entryDeny(e), table.entryAllow(e));
  };
  const foldGroups = (uid: number, scope: 0 | 1 | 2, key: number): void => {
    let deny = 0;
    let allow = 0;
    for (let i = from[uid] as number, end = to[uid] as number; i < end; i++) {
      const view = views[i] as number;
      if (scope === 2) {
        deny |= table.globalDeny(view);
        allow |= table.globalAllow(view);
      } else {
        const e = table.entry(view, scope, key);
        if (e < 0) continue;
        deny |= table.entryDeny(e);
        allow |= table.entryAllow(e);
      }
    }
    fold(deny, allow);
  };

  function maskAt(uid: number, feed: number, owner: boolean): number {
    decided = 0;
    allowed = 0;
    const ownView = own[uid] as number;
    const feedGroup = feed >= 0 ? (feedGroupOf[feed] as number) : -1;
    if (ownView >= 0) {
      if (feed >= 0) foldEntry(ownView, 0, feed);
      if (feedGroup >= 0) foldEntry(ownView, 1, feedGroup);
      fold(table.globalDeny(ownView), table.globalAllow(ownView));
    }
    if (feed >= 0) {
      foldGroups(uid, 0, feed);
      const slot = feed * SLOTS;
      fold(0, implicitMask[slot] as number);
      if (uid !== anonymousUid) {
        fold(0, implicitMask[slot + 1] as number);
        if (owner) fold(0, implicitMask[slot + 2] as number);
      }
      if (feedGroup >= 0) foldGroups(uid, 1, feedGroup);
    }
    foldGroups(uid, 2, -1);
    return allowed;
  }

  function allowedMask(user: string, feedName?: string, owner?: string): number {
    const feed = feedName === undefined ? -1 : (feedIds.get(feedName) ?? -2);
    if (feed === -2) throw new Error(`unknown feed "${feedName}"`);
    return maskAt(uidOf(user), feed, owner !== undefined && owner === user);
  }

  // Scratch for allowedMasks: per feed and per feed group, the user's own and group tiers.
  const feedGroupCount = policy.feedGroups.length;
  const scratch = {
    ownFeed: new Int32Array(feedCount * 2),
    groupFeed: new Int32Array(feedCount * 2),
    ownFeedGroup: new Int32Array(feedGroupCount * 2),
    groupFeedGroup: new Int32Array(feedGroupCount * 2),
  };
  /** Adds a view's feed and feed-group entries into scratch (deny at 2k, allow at 2k+1). */
  const load = (view: number, feedTiers: Int32Array, groupTiers: Int32Array): void => {
    for (const [scope, target] of [
      [0, feedTiers],
      [1, groupTiers],
    ] as const) {
      for (
        let e = table.entriesFrom(view, scope), end = table.entriesTo(view, scope);
        e < end;
        e++
      ) {
        const k = table.entryKey(e) * 2;
        target[k] = (target[k] as number) | table.entryDeny(e);
        target[k + 1] = (target[k + 1] as number) | table.entryAllow(e);
      }
    }
  };

  /** Every feed's mask in one sweep: the user's entries are spread into per-feed arrays first. */
  function allowedMasks(user: string): { system: number; feeds: Int32Array } {
    const uid = uidOf(user);
    const ownView = own[uid] as number;
    const { ownFeed, groupFeed, ownFeedGroup, groupFeedGroup } = scratch;
    ownFeed.fill(0);
    groupFeed.fill(0);
    ownFeedGroup.fill(0);
    groupFeedGroup.fill(0);
    let ownDeny = 0;
    let ownAllow = 0;
    let groupDeny = 0;
    let groupAllow = 0;
    if (ownView >= 0) {
      load(ownView, ownFeed, ownFeedGroup);
      ownDeny = table.globalDeny(ownView);
      ownAllow = table.globalAllow(ownView);
    }
    for (let i = from[uid] as number, end = to[uid] as number; i < end; i++) {
      const view = views[i] as number;
      load(view, groupFeed, groupFeedGroup);
      groupDeny |= table.globalDeny(view);
      groupAllow |= table.globalAllow(view);
    }
    const signedIn = uid !== anonymousUid;
    const masks = new Int32Array(feedCount);
    for (let f = 0; f < feedCount; f++) {
      decided = 0;
      allowed = 0;
      const fg = (feedGroupOf[f] as number) * 2;
      fold(ownFeed[f * 2] as number, ownFeed[f * 2 + 1] as number);
      if (fg >= 0) fold(ownFeedGroup[fg] as number, ownFeedGroup[fg + 1] as number);
      fold(ownDeny, ownAllow);
      fold(groupFeed[f * 2] as number, groupFeed[f * 2 + 1] as number);
      fold(0, implicitMask[f * SLOTS] as number);
      if (signedIn) fold(0, implicitMask[f * SLOTS + 1] as number);
      if (fg >= 0) fold(groupFeedGroup[fg] as number, groupFeedGroup[fg + 1] as number);
      fold(groupDeny, groupAllow);
      masks[f] = allowed;
    }
    decided = 0;
    allowed = 0;
    fold(ownDeny, ownAllow);
    fold(groupDeny, groupAllow);
    return { system: allowed, feeds: masks };
  }

  return {
    policy,
    check,
    isAllowed: (user, attribute, feed, owner) => check({ user, attribute, feed, owner }).allowed,
    explain: (query) => resolve(policy, query),
    attributeIds: ATTRIBUTES.map((a) => a.id),
    allowedMask,
    allowedMasks,
    warm: () => undefined,
  };
}
