// The compiled evaluator: the same decisions as resolve(), precomputed into bit masks so
// that a check is a handful of map lookups. Proven equal to the reference by property tests.
import { ANONYMOUS, ATTRIBUTES, AUTHENTICATED } from './catalog';
import type { Decision, Grant, Policy, Query, Verdict } from './model';
import { IMPLICIT_RULES, ancestorGroups, explicitGrant, implicitGrant, indexPolicy, type PolicyIndex } from './policy-index';
import { queryErrors, resolve } from './resolve';

/** Grants of one sort tier and scope, folded: for each attribute bit, the first deny and first allow. */
interface Tier {
  deny: number;
  allow: number;
  readonly denyBy: Verdict[];
  readonly allowBy: Verdict[];
}

interface FeedInfo {
  readonly id: number;
  readonly feedGroupId: number;
  /** Implicit permissions of the feed's access type (always applicable / owner-only), by principal kind. */
  readonly implicitEveryone: Tier | null;
  readonly implicitAuthenticated: Tier | null;
  readonly implicitOwner: Tier | null;
}

/** What one user's principals are granted, by tier. Null = nothing in that tier. */
interface UserView {
  readonly isAnonymous: boolean;
  readonly userFeed: Map<number, Tier> | null;
  readonly userFeedGroup: Map<number, Tier> | null;
  readonly userGlobal: Tier | null;
  readonly groupFeed: Map<number, Tier> | null;
  readonly groupFeedGroup: Map<number, Tier> | null;
  readonly groupGlobal: Tier | null;
}

export interface CompiledPolicy {
  readonly policy: Policy;
  /** The decision and the grant that made it, without the trace; equal to resolve() on both. */
  check(query: Query): Verdict;
  /** Just the outcome. */
  isAllowed(user: string, attribute: string, feed?: string, owner?: string): boolean;
  /** The full decision with its trace (the reference resolver). */
  explain(query: Query): Decision;
  /** Attribute ids in bit order: bit i of a mask is ATTRIBUTES[i]. */
  readonly attributeIds: readonly string[];
  /** Bit mask of the attributes allowed to `user` on `feed` (or at system scope), for bulk comparisons. */
  allowedMask(user: string, feed?: string, owner?: string): number;
}

const NO_GRANT: Verdict = Object.freeze({ allowed: false, decidedBy: null, errors: Object.freeze([]) as readonly string[] });
const ATTRIBUTE_COUNT = ATTRIBUTES.length;
const FEED_SCOPED_MASK = ATTRIBUTES.reduce((m, a, i) => (a.feedScoped ? m | (1 << i) : m), 0);
const ALL_MASK = (1 << ATTRIBUTE_COUNT) - 1;

function newTier(): Tier {
  return { deny: 0, allow: 0, denyBy: new Array<Verdict>(ATTRIBUTE_COUNT), allowBy: new Array<Verdict>(ATTRIBUTE_COUNT) };
}

/** Adds a grant to a tier; earlier grants (policy order) keep precedence within the same effect. */
function addToTier(tier: Tier, mask: number, verdict: Verdict, deny: boolean): void {
  const fresh = mask & ~(deny ? tier.deny : tier.allow);
  if (fresh === 0) return;
  const by = deny ? tier.denyBy : tier.allowBy;
  for (let bit = 0; bit < ATTRIBUTE_COUNT; bit++) if (fresh & (1 << bit)) by[bit] = verdict;
  if (deny) tier.deny |= fresh;
  else tier.allow |= fresh;
}

function tierIn(map: Map<number, Tier>, key: number): Tier {
  let tier = map.get(key);
  if (!tier) map.set(key, (tier = newTier()));
  return tier;
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
      const verdict: Verdict = Object.freeze({ allowed: true, decidedBy: implicitGrant(rule, feed.name), errors: NO_GRANT.errors });
      const tier = rule.ownerOnly ? (owner ??= newTier()) : rule.group === AUTHENTICATED ? (authenticated ??= newTier()) : (everyone ??= newTier());
      addToTier(tier, maskOf(rule.attributes), verdict, false);
    }
    feeds.set(feed.name, {
      id,
      feedGroupId: feed.feedGroup !== undefined ? (feedGroupIds.get(feed.feedGroup) as number) : -1,
      implicitEveryone: everyone,
      implicitAuthenticated: authenticated,
      implicitOwner: owner,
    });
  });

  // Grants bucketed by principal, each with its verdict object created once.
  interface CompiledGrant {
    readonly index: number;
    readonly mask: number;
    readonly deny: boolean;
    readonly scope: 0 | 1 | 2; // feed, feed group, global
    readonly scopeId: number;
    readonly verdict: Verdict;
  }
  const byUser = new Map<string, CompiledGrant[]>();
  const byGroup = new Map<string, CompiledGrant[]>();
  policy.permissions.forEach((p, i) => {
    const grant: Grant = explicitGrant(p, i);
    const compiled: CompiledGrant = {
      index: i,
      mask: taskMask.get(p.task) ?? 0,
      deny: p.deny,
      scope: p.feed !== undefined ? 0 : p.feedGroup !== undefined ? 1 : 2,
      scopeId: p.feed !== undefined ? (feeds.get(p.feed)?.id ?? -1) : p.feedGroup !== undefined ? (feedGroupIds.get(p.feedGroup) ?? -1) : -1,
      verdict: Object.freeze({ allowed: !p.deny, decidedBy: grant, errors: NO_GRANT.errors }),
    };
    const bucket = p.user !== undefined ? byUser : byGroup;
    const key = (p.user ?? p.group) as string;
    let list = bucket.get(key);
    if (!list) bucket.set(key, (list = []));
    list.push(compiled);
  });

  function fold(grants: readonly CompiledGrant[]): [Map<number, Tier> | null, Map<number, Tier> | null, Tier | null] {
    let feedTiers: Map<number, Tier> | null = null;
    let groupTiers: Map<number, Tier> | null = null;
    let global: Tier | null = null;
    for (const g of grants) {
      if (g.mask === 0) continue;
      const tier = g.scope === 0 ? tierIn((feedTiers ??= new Map()), g.scopeId) : g.scope === 1 ? tierIn((groupTiers ??= new Map()), g.scopeId) : (global ??= newTier());
      addToTier(tier, g.mask, g.verdict, g.deny);
    }
    return [feedTiers, groupTiers, global];
  }

  function buildView(user: string): UserView {
    const groups = user === ANONYMOUS ? null : ancestorGroups(index, index.userGroups.get(user) ?? []);
    const virtual = user === ANONYMOUS ? ['Everyone'] : ['Authenticated', 'Everyone'];
    const groupGrants: CompiledGrant[] = [];
    for (const g of groups ?? []) for (const cg of byGroup.get(g) ?? []) groupGrants.push(cg);
    for (const g of virtual) for (const cg of byGroup.get(g) ?? []) groupGrants.push(cg);
    groupGrants.sort((a, b) => a.index - b.index);
    const [userFeed, userFeedGroup, userGlobal] = fold(byUser.get(user) ?? []);
    const [groupFeed, groupFeedGroup, groupGlobal] = fold(groupGrants);
    return { isAnonymous: user === ANONYMOUS, userFeed, userFeedGroup, userGlobal, groupFeed, groupFeedGroup, groupGlobal };
  }

  const views = new Map<string, UserView>();
  // Undeclared signed-in users (e.g. LDAP users missing from the cache) all share one view:
  // no grant can name them, so only the virtual groups apply.
  let undeclaredView: UserView | null = null;
  function viewOf(user: string): UserView {
    let view = views.get(user);
    if (view) return view;
    if (user !== ANONYMOUS && !index.users.has(user)) return (undeclaredView ??= buildView(user));
    view = buildView(user);
    views.set(user, view);
    return view;
  }

  function pick(tier: Tier | null | undefined, bitValue: number, bit: number): Verdict | undefined {
    if (!tier) return undefined;
    if (tier.deny & bitValue) return tier.denyBy[bit];
    if (tier.allow & bitValue) return tier.allowBy[bit];
    return undefined;
  }

  function decide(view: UserView, bit: number, feed: FeedInfo | undefined, owner: boolean): Verdict {
    const bitValue = 1 << bit;
    if (feed === undefined || (FEED_SCOPED_MASK & bitValue) === 0) {
      return pick(view.userGlobal, bitValue, bit) ?? pick(view.groupGlobal, bitValue, bit) ?? NO_GRANT;
    }
    return (
      (view.userFeed && pick(view.userFeed.get(feed.id), bitValue, bit)) ??
      (view.userFeedGroup && feed.feedGroupId >= 0 ? pick(view.userFeedGroup.get(feed.feedGroupId), bitValue, bit) : undefined) ??
      pick(view.userGlobal, bitValue, bit) ??
      (view.groupFeed && pick(view.groupFeed.get(feed.id), bitValue, bit)) ??
      pick(feed.implicitEveryone, bitValue, bit) ??
      (view.isAnonymous ? undefined : (pick(feed.implicitAuthenticated, bitValue, bit) ?? (owner ? pick(feed.implicitOwner, bitValue, bit) : undefined))) ??
      (view.groupFeedGroup && feed.feedGroupId >= 0 ? pick(view.groupFeedGroup.get(feed.feedGroupId), bitValue, bit) : undefined) ??
      pick(view.groupGlobal, bitValue, bit) ??
      NO_GRANT
    );
  }

  function check(query: Query): Verdict {
    const bit = bitOf.get(query.attribute);
    const feed = query.feed === undefined ? undefined : feeds.get(query.feed);
    if (bit === undefined || (query.feed !== undefined && feed === undefined) || !query.user) {
      return { allowed: false, decidedBy: null, errors: queryErrors(index, query) };
    }
    return decide(viewOf(query.user), bit, feed, query.owner !== undefined && query.owner === query.user);
  }

  /** Folds the tiers in order with whole masks: 21 decisions for the price of one. */
  function allowedMask(user: string, feedName?: string, owner?: string): number {
    const feed = feedName === undefined ? undefined : feeds.get(feedName);
    if (feedName !== undefined && feed === undefined) throw new Error(`unknown feed "${feedName}"`);
    const view = viewOf(user);
    let decided = 0;
    let allowed = 0;
    const fold = (tier: Tier | null | undefined): void => {
      if (!tier) return;
      allowed |= tier.allow & ~tier.deny & ~decided;
      decided |= tier.deny | tier.allow;
    };
    if (feed !== undefined) {
      fold(view.userFeed?.get(feed.id));
      if (feed.feedGroupId >= 0) fold(view.userFeedGroup?.get(feed.feedGroupId));
    }
    fold(view.userGlobal);
    if (feed !== undefined) {
      fold(view.groupFeed?.get(feed.id));
      fold(feed.implicitEveryone);
      if (!view.isAnonymous) {
        fold(feed.implicitAuthenticated);
        if (owner !== undefined && owner === user) fold(feed.implicitOwner);
      }
      if (feed.feedGroupId >= 0) fold(view.groupFeedGroup?.get(feed.feedGroupId));
    }
    fold(view.groupGlobal);
    return allowed & ALL_MASK;
  }

  return {
    policy,
    check,
    isAllowed: (user, attribute, feed, owner) => check({ user, attribute, feed, owner }).allowed,
    explain: (query) => resolve(policy, query),
    attributeIds: ATTRIBUTES.map((a) => a.id),
    allowedMask,
  };
}
