// The compiled evaluator: the same decisions as resolve(), precomputed into bit masks so
// that a check is a handful of map lookups. Proven equal to the reference by property tests.
//
// Shape: each group gets a view of every grant its members receive through it (its
// ancestors, transitively, plus the virtual groups), folded by sort tier and scope. A user's
// view is their own grants plus the views of their direct groups, which are shared between
// users, so compiling is proportional to groups and grants rather than users x grants.
import { ANONYMOUS, ATTRIBUTES, AUTHENTICATED, EVERYONE } from './catalog';
import type { Decision, Policy, Query, Verdict } from './model';
import {
  IMPLICIT_RULES,
  ancestorGroups,
  explicitGrant,
  implicitGrant,
  indexPolicy,
  type PolicyIndex,
} from './policy-index';
import { queryErrors, resolve } from './resolve';

interface TierGrant {
  /** Position in policy.permissions (policy order breaks ties); implicit grants come after all. */
  readonly index: number;
  readonly mask: number;
  readonly deny: boolean;
  readonly verdict: Verdict;
}

/** The grants of one sort tier and scope: their deny and allow masks, and the grants in policy order. */
interface Tier {
  deny: number;
  allow: number;
  readonly grants: TierGrant[];
  /** For long tiers, built on first use: per bit, the first deny and the first allow. */
  byBit?: { deny: (TierGrant | undefined)[]; allow: (TierGrant | undefined)[] };
}

/** Tiers longer than this get a per-bit lookup instead of a scan. */
const SCAN_LIMIT = 6;

/** Grants folded by scope: per feed, per feed group, and global. */
interface ScopedTiers {
  readonly feed: Map<number, Tier> | null;
  readonly feedGroup: Map<number, Tier> | null;
  readonly global: Tier | null;
}

interface FeedInfo {
  readonly id: number;
  readonly feedGroupId: number;
  /** Implicit permissions of the feed's access type. */
  readonly implicitEveryone: Tier | null;
  readonly implicitAuthenticated: Tier | null;
  readonly implicitOwner: Tier | null;
}

interface UserView {
  readonly isAnonymous: boolean;
  readonly own: ScopedTiers;
  /** One view per direct group (or the virtual groups' view for a user in no group). */
  readonly groups: readonly ScopedTiers[];
}

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
  /** Builds every declared user's view now instead of on first use. */
  warm(): void;
}

const NO_ERRORS: readonly string[] = Object.freeze([]);
const NO_GRANT: Verdict = Object.freeze({ allowed: false, decidedBy: null, errors: NO_ERRORS });
const FEED_SCOPED_MASK = ATTRIBUTES.reduce((m, a, i) => (a.feedScoped ? m | (1 << i) : m), 0);
const EMPTY_TIERS: ScopedTiers = { feed: null, feedGroup: null, global: null };

function addToTier(tier: Tier, grant: TierGrant): void {
  // Skip a grant that an earlier one of the same effect already decides for every bit it meets.
  if ((grant.mask & ~(grant.deny ? tier.deny : tier.allow)) === 0) return;
  tier.grants.push(grant);
  if (grant.deny) tier.deny |= grant.mask;
  else tier.allow |= grant.mask;
}

/** The first grant of a tier with the given effect that meets the bit. */
function firstIn(tier: Tier, bitValue: number, wantDeny: boolean): TierGrant {
  if (tier.grants.length > SCAN_LIMIT) {
    const byBit = (tier.byBit ??= indexByBit(tier));
    const found = (wantDeny ? byBit.deny : byBit.allow)[31 - Math.clz32(bitValue)];
    if (found) return found;
  } else {
    for (const g of tier.grants) if (g.deny === wantDeny && (g.mask & bitValue) !== 0) return g;
  }
  throw new Error('compiled tier is inconsistent'); // unreachable: the masks say such a grant exists
}

function indexByBit(tier: Tier): NonNullable<Tier['byBit']> {
  const deny: (TierGrant | undefined)[] = new Array(ATTRIBUTES.length).fill(undefined);
  const allow: (TierGrant | undefined)[] = new Array(ATTRIBUTES.length).fill(undefined);
  for (const g of tier.grants) {
    const target = g.deny ? deny : allow;
    for (let bit = 0; bit < ATTRIBUTES.length; bit++)
      if (g.mask & (1 << bit) && !target[bit]) target[bit] = g;
  }
  return { deny, allow };
}

function pick(tier: Tier | null | undefined, bitValue: number): Verdict | undefined {
  if (!tier) return undefined;
  if (tier.deny & bitValue) return firstIn(tier, bitValue, true).verdict;
  if (tier.allow & bitValue) return firstIn(tier, bitValue, false).verdict;
  return undefined;
}

function tierAt(g: ScopedTiers, scope: 0 | 1 | 2, key: number): Tier | null | undefined {
  return scope === 0 ? g.feed?.get(key) : scope === 1 ? g.feedGroup?.get(key) : g.global;
}

/** The same tier across several group views: any deny beats any allow, then policy order. */
function pickAcross(
  groups: readonly ScopedTiers[],
  scope: 0 | 1 | 2,
  key: number,
  bitValue: number,
): Verdict | undefined {
  let best: TierGrant | undefined;
  for (const group of groups) {
    const t = tierAt(group, scope, key);
    if (!t || ((t.deny | t.allow) & bitValue) === 0) continue;
    const g = t.deny & bitValue ? firstIn(t, bitValue, true) : firstIn(t, bitValue, false);
    if (!best || (g.deny && !best.deny) || (g.deny === best.deny && g.index < best.index)) best = g;
  }
  return best?.verdict;
}

function foldTiers(
  grants: readonly (TierGrant & { scope: 0 | 1 | 2; scopeId: number })[],
): ScopedTiers {
  let feed: Map<number, Tier> | null = null;
  let feedGroup: Map<number, Tier> | null = null;
  let global: Tier | null = null;
  const tierIn = (map: Map<number, Tier>, key: number): Tier => {
    let tier = map.get(key);
    if (!tier) map.set(key, (tier = { deny: 0, allow: 0, grants: [] }));
    return tier;
  };
  for (const g of grants) {
    if (g.mask === 0) continue;
    const tier =
      g.scope === 0
        ? tierIn((feed ??= new Map()), g.scopeId)
        : g.scope === 1
          ? tierIn((feedGroup ??= new Map()), g.scopeId)
          : (global ??= { deny: 0, allow: 0, grants: [] });
    addToTier(tier, g);
  }
  return feed === null && feedGroup === null && global === null
    ? EMPTY_TIERS
    : { feed, feedGroup, global };
}

export function compile(policy: Policy): CompiledPolicy {
  const index: PolicyIndex = indexPolicy(policy);
  const bitOf = new Map<string, number>(ATTRIBUTES.map((a, i) => [a.id, i]));
  const maskOf = (attributes: Iterable<string>): number => {
    let m = 0;
    for (const a of attributes) m |= 1 << (bitOf.get(a) as number);
    return m;
  };
  const taskMask = new Map<string, number>();
  for (const [task, met] of index.taskMeets) taskMask.set(task, maskOf(met));

  const feedGroupIds = new Map<string, number>(policy.feedGroups.map((fg, i) => [fg.name, i]));
  const feeds = new Map<string, FeedInfo>();
  policy.feeds.forEach((feed, id) => {
    let everyone: Tier | null = null;
    let authenticated: Tier | null = null;
    let owner: Tier | null = null;
    for (const rule of IMPLICIT_RULES[feed.access]) {
      const verdict: Verdict = Object.freeze({
        allowed: true,
        decidedBy: implicitGrant(rule, feed.name),
        errors: NO_ERRORS,
      });
      const tier = rule.ownerOnly
        ? (owner ??= { deny: 0, allow: 0, grants: [] })
        : rule.group === AUTHENTICATED
          ? (authenticated ??= { deny: 0, allow: 0, grants: [] })
          : (everyone ??= { deny: 0, allow: 0, grants: [] });
      addToTier(tier, {
        index: Number.MAX_SAFE_INTEGER,
        mask: maskOf(rule.attributes),
        deny: false,
        verdict,
      });
    }
    feeds.set(feed.name, {
      id,
      feedGroupId: feed.feedGroup !== undefined ? (feedGroupIds.get(feed.feedGroup) as number) : -1,
      implicitEveryone: everyone,
      implicitAuthenticated: authenticated,
      implicitOwner: owner,
    });
  });

  type CompiledGrant = TierGrant & { scope: 0 | 1 | 2; scopeId: number };
  const byUser = new Map<string, CompiledGrant[]>();
  const byGroup = new Map<string, CompiledGrant[]>();
  policy.permissions.forEach((p, i) => {
    const compiled: CompiledGrant = {
      index: i,
      mask: taskMask.get(p.task) ?? 0,
      deny: p.deny,
      scope: p.feed !== undefined ? 0 : p.feedGroup !== undefined ? 1 : 2,
      scopeId:
        p.feed !== undefined
          ? (feeds.get(p.feed)?.id ?? -1)
          : p.feedGroup !== undefined
            ? (feedGroupIds.get(p.feedGroup) ?? -1)
            : -1,
      verdict: Object.freeze({
        allowed: !p.deny,
        decidedBy: explicitGrant(p, i),
        errors: NO_ERRORS,
      }),
    };
    const bucket = p.user !== undefined ? byUser : byGroup;
    const key = (p.user ?? p.group) as string;
    let list = bucket.get(key);
    if (!list) bucket.set(key, (list = []));
    list.push(compiled);
  });

  /** The folded grants of a set of groups, in policy order. */
  function groupTiers(groups: Iterable<string>): ScopedTiers {
    const grants: CompiledGrant[] = [];
    for (const g of groups) for (const cg of byGroup.get(g) ?? []) grants.push(cg);
    grants.sort((a, b) => a.index - b.index);
    return foldTiers(grants);
  }

  const anonymousGroups = groupTiers([EVERYONE]);
  const signedInGroups = groupTiers([AUTHENTICATED, EVERYONE]);
  const groupViews = new Map<string, ScopedTiers>();
  function groupView(group: string): ScopedTiers {
    let view = groupViews.get(group);
    if (!view) {
      const closure = ancestorGroups(index, [group]);
      closure.add(AUTHENTICATED);
      closure.add(EVERYONE);
      groupViews.set(group, (view = groupTiers(closure)));
    }
    return view;
  }

  const views = new Map<string, UserView>();
  // Undeclared signed-in users (e.g. LDAP users missing from the cache) share one view:
  // no grant can name them, so only the virtual groups apply.
  const undeclaredView: UserView = {
    isAnonymous: false,
    own: EMPTY_TIERS,
    groups: [signedInGroups],
  };
  function viewOf(user: string): UserView {
    let view = views.get(user);
    if (view) return view;
    if (user === ANONYMOUS)
      view = {
        isAnonymous: true,
        own: foldTiers(byUser.get(user) ?? []),
        groups: [anonymousGroups],
      };
    else if (!index.users.has(user) && !byUser.has(user)) return undeclaredView;
    else {
      const direct = index.userGroups.get(user) ?? [];
      view = {
        isAnonymous: false,
        own: foldTiers(byUser.get(user) ?? []),
        groups: direct.length === 0 ? [signedInGroups] : direct.map(groupView),
      };
    }
    views.set(user, view);
    return view;
  }

  function groupPick(
    view: UserView,
    bitValue: number,
    scope: 0 | 1 | 2,
    key: number,
  ): Verdict | undefined {
    const groups = view.groups;
    if (groups.length === 1) return pick(tierAt(groups[0] as ScopedTiers, scope, key), bitValue);
    return pickAcross(groups, scope, key, bitValue);
  }

  function decide(
    view: UserView,
    bit: number,
    feed: FeedInfo | undefined,
    owner: boolean,
  ): Verdict {
    const bitValue = 1 << bit;
    const own = view.own;
    if (feed === undefined || (FEED_SCOPED_MASK & bitValue) === 0) {
      // System-only attributes (or no feed): global grants alone decide.
      return pick(own.global, bitValue) ?? groupPick(view, bitValue, 2, -1) ?? NO_GRANT;
    }
    return (
      (own.feed && pick(own.feed.get(feed.id), bitValue)) ??
      (own.feedGroup && feed.feedGroupId >= 0
        ? pick(own.feedGroup.get(feed.feedGroupId), bitValue)
        : undefined) ??
      pick(own.global, bitValue) ??
      groupPick(view, bitValue, 0, feed.id) ??
      pick(feed.implicitEveryone, bitValue) ??
      (view.isAnonymous
        ? undefined
        : (pick(feed.implicitAuthenticated, bitValue) ??
          (owner ? pick(feed.implicitOwner, bitValue) : undefined))) ??
      (feed.feedGroupId >= 0 ? groupPick(view, bitValue, 1, feed.feedGroupId) : undefined) ??
      groupPick(view, bitValue, 2, -1) ??
      NO_GRANT
    );
  }

  function check(query: Query): Verdict {
    const bit = bitOf.get(query.attribute);
    const feed = query.feed === undefined ? undefined : feeds.get(query.feed);
    if (bit === undefined || (query.feed !== undefined && feed === undefined) || !query.user) {
      return { allowed: false, decidedBy: null, errors: queryErrors(index, query) };
    }
    return decide(
      viewOf(query.user),
      bit,
      feed,
      query.owner !== undefined && query.owner === query.user,
    );
  }

  /** Folds the tiers in order with whole masks: every attribute's outcome at once. */
  function allowedMask(user: string, feedName?: string, owner?: string): number {
    const feed = feedName === undefined ? undefined : feeds.get(feedName);
    if (feedName !== undefined && feed === undefined) throw new Error(`unknown feed "${feedName}"`);
    const view = viewOf(user);
    let decided = 0;
    let allowed = 0;
    const fold = (deny: number, allow: number): void => {
      allowed |= allow & ~deny & ~decided;
      decided |= deny | allow;
    };
    const foldTier = (tier: Tier | null | undefined): void => {
      if (tier) fold(tier.deny, tier.allow);
    };
    const foldGroups = (scope: 0 | 1 | 2, key: number): void => {
      let deny = 0;
      let allow = 0;
      for (const g of view.groups) {
        const tier = tierAt(g, scope, key);
        if (!tier) continue;
        deny |= tier.deny;
        allow |= tier.allow;
      }
      fold(deny, allow);
    };
    if (feed !== undefined) {
      foldTier(view.own.feed?.get(feed.id));
      if (feed.feedGroupId >= 0) foldTier(view.own.feedGroup?.get(feed.feedGroupId));
    }
    foldTier(view.own.global);
    if (feed !== undefined) {
      foldGroups(0, feed.id);
      foldTier(feed.implicitEveryone);
      if (!view.isAnonymous) {
        foldTier(feed.implicitAuthenticated);
        if (owner !== undefined && owner === user) foldTier(feed.implicitOwner);
      }
      if (feed.feedGroupId >= 0) foldGroups(1, feed.feedGroupId);
    }
    foldGroups(2, -1);
    return allowed;
  }

  const feedList = [...feeds.values()];
  const feedNames = policy.feeds.map((f) => f.name);
  function allowedMasks(user: string): { system: number; feeds: Int32Array } {
    const view = viewOf(user);
    const special = new Set<number>();
    const addKeys = (map: Map<number, Tier> | null) => map?.forEach((_, id) => special.add(id));
    const specialGroups = new Set<number>();
    const addGroupKeys = (map: Map<number, Tier> | null) =>
      map?.forEach((_, id) => specialGroups.add(id));
    addKeys(view.own.feed);
    addGroupKeys(view.own.feedGroup);
    for (const g of view.groups) {
      addKeys(g.feed);
      addGroupKeys(g.feedGroup);
    }
    const masks = new Int32Array(feedList.length);
    const baseline = new Map<string, number>();
    feedList.forEach((feed, id) => {
      if (special.has(id) || specialGroups.has(feed.feedGroupId)) {
        masks[id] = allowedMask(user, feedNames[id]);
        return;
      }
      // Same implicit tiers => same fold: feeds of one access type share it.
      const key = policy.feeds[id]?.access ?? 'private';
      let mask = baseline.get(key);
      if (mask === undefined) baseline.set(key, (mask = allowedMask(user, feedNames[id])));
      masks[id] = mask;
    });
    return { system: allowedMask(user), feeds: masks };
  }

  return {
    policy,
    check,
    allowedMasks,
    isAllowed: (user, attribute, feed, owner) => check({ user, attribute, feed, owner }).allowed,
    explain: (query) => resolve(policy, query),
    attributeIds: ATTRIBUTES.map((a) => a.id),
    allowedMask,
    warm: () => {
      viewOf(ANONYMOUS);
      for (const u of policy.users) viewOf(u.name);
    },
  };
}
