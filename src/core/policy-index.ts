// Lookups over a parsed policy that both the reference resolver and the compiled
// evaluator need: memberships (transitive, cycle-safe), tasks' met attributes, feeds.
import { ANONYMOUS, AUTHENTICATED, EVERYONE, attributesMetBy, type FeedAccess } from './catalog';
import type { Grant, ImplicitSource, Permission, Policy, PolicyFeed, PolicyGroup } from './model';

export interface PolicyIndex {
  readonly policy: Policy;
  readonly feeds: ReadonlyMap<string, PolicyFeed>;
  readonly feedGroups: ReadonlySet<string>;
  readonly users: ReadonlySet<string>;
  /** Each declared user's direct groups. */
  readonly userGroups: ReadonlyMap<string, readonly string[]>;
  readonly groups: ReadonlySet<string>;
  readonly groupsByName: ReadonlyMap<string, PolicyGroup>;
  /** Attributes each task meets, directly or by proxy. */
  readonly taskMeets: ReadonlyMap<string, ReadonlySet<string>>;
  /** For each group, the groups it is nested in (its direct parents). */
  readonly groupParents: ReadonlyMap<string, readonly string[]>;
}

const indexCache = new WeakMap<Policy, PolicyIndex>();

/** Builds (once per policy object) the lookups used to resolve decisions. */
export function indexPolicy(policy: Policy): PolicyIndex {
  const cached = indexCache.get(policy);
  if (cached) return cached;
  const groupParents = new Map<string, string[]>();
  for (const g of policy.groups) {
    for (const child of g.groups) {
      let parents = groupParents.get(child);
      if (!parents) groupParents.set(child, (parents = []));
      parents.push(g.name);
    }
  }
  const index: PolicyIndex = {
    policy,
    feeds: new Map(policy.feeds.map((f) => [f.name, f])),
    feedGroups: new Set(policy.feedGroups.map((fg) => fg.name)),
    users: new Set(policy.users.map((u) => u.name)),
    userGroups: new Map(policy.users.map((u) => [u.name, u.groups])),
    groups: new Set(policy.groups.map((g) => g.name)),
    groupsByName: new Map(policy.groups.map((g) => [g.name, g])),
    taskMeets: new Map(policy.tasks.map((t) => [t.name, attributesMetBy(t.attributes)])),
    groupParents,
  };
  indexCache.set(policy, index);
  return index;
}

/**
 * Every group a set of groups belongs to, transitively (the groups themselves included).
 * Iterative walk with a visited set, so cycles and deep nesting neither hang nor overflow.
 */
export function ancestorGroups(index: PolicyIndex, start: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack: string[] = [];
  const visit = (g: string) => {
    if (seen.has(g)) return;
    seen.add(g);
    stack.push(g);
  };
  for (const g of start) visit(g);
  while (stack.length > 0)
    for (const parent of index.groupParents.get(stack.pop() as string) ?? []) visit(parent);
  return seen;
}

/**
 * The groups a user is in: their directory groups transitively, plus the virtual groups.
 * `Anonymous` is in `Everyone` only. A user the policy does not declare (e.g. an LDAP
 * user missing from the cached copy) is treated as a signed-in user with no groups.
 */
export function groupsOfUser(index: PolicyIndex, user: string): Set<string> {
  if (user === ANONYMOUS) return new Set([EVERYONE]);
  const direct = index.userGroups.get(user) ?? [];
  const groups = ancestorGroups(index, direct);
  groups.add(AUTHENTICATED);
  groups.add(EVERYONE);
  return groups;
}

/** One implicit grant rule of a feed access type. */
export interface ImplicitRule {
  readonly source: ImplicitSource;
  readonly group: typeof EVERYONE | typeof AUTHENTICATED;
  readonly task: string;
  readonly attributes: readonly string[];
  /** Applies only when the query's package owner is the user asking. */
  readonly ownerOnly: boolean;
}

const VIEW_DOWNLOAD = ['Feeds_ViewFeed', 'Feeds_DownloadPackage'];

/** Feed access types as implicit permissions at feed scope (security-model.md, "Feed access types"). */
export const IMPLICIT_RULES: Readonly<Record<FeedAccess, readonly ImplicitRule[]>> = {
  private: [],
  public: [
    {
      source: 'public',
      group: EVERYONE,
      task: 'View & Download Packages (public feed)',
      attributes: VIEW_DOWNLOAD,
      ownerOnly: false,
    },
  ],
  community: [
    {
      source: 'community',
      group: EVERYONE,
      task: 'View & Download Packages (community feed)',
      attributes: VIEW_DOWNLOAD,
      ownerOnly: false,
    },
    {
      source: 'community',
      group: AUTHENTICATED,
      task: 'Add Packages (community feed)',
      attributes: ['Feeds_AddPackage'],
      ownerOnly: false,
    },
    {
      source: 'community-owner',
      group: AUTHENTICATED,
      task: 'Manage Own Packages (community feed)',
      attributes: ['Feeds_OverwritePackage', 'Feeds_DeletePackage', 'Feeds_UnlistPackage'],
      ownerOnly: true,
    },
  ],
  organization: [
    {
      source: 'organization',
      group: AUTHENTICATED,
      task: 'View & Download Packages (organization feed)',
      attributes: VIEW_DOWNLOAD,
      ownerOnly: false,
    },
  ],
};

/** The grant value of `policy.permissions[index]`, as decisions and traces show it. */
export function explicitGrant(p: Permission, index: number): Grant {
  return {
    index,
    ...(p.user !== undefined && { user: p.user }),
    ...(p.group !== undefined && { group: p.group }),
    task: p.task,
    ...(p.feed !== undefined && { feed: p.feed }),
    ...(p.feedGroup !== undefined && { feedGroup: p.feedGroup }),
    deny: p.deny,
  };
}

/** The implicit grant value for a rule on a feed, as it appears in decisions and traces. */
export function implicitGrant(rule: ImplicitRule, feed: string): Grant {
  return {
    index: -1,
    group: rule.group,
    task: rule.task,
    feed,
    deny: false,
    implicit: rule.source,
  };
}

/** Sort tiers: user before group; then feed before feed group before global. */
export function grantTier(grant: Grant): number {
  const scope = grant.feed !== undefined ? 0 : grant.feedGroup !== undefined ? 1 : 2;
  return (grant.user !== undefined ? 0 : 3) + scope;
}

const TIER_NAMES = [
  'user grants at feed scope',
  'user grants at feed-group scope',
  'user grants at global scope',
  'group grants at feed scope',
  'group grants at feed-group scope',
  'group grants at global scope',
];

/** Why `loser` lost to `winner` (both applicable, winner sorted first). */
export function lossReason(winner: Grant, loser: Grant): string {
  const wt = grantTier(winner);
  const lt = grantTier(loser);
  if (wt !== lt) {
    if (wt < 3 && lt >= 3) return 'a user-specific grant comes before group grants';
    return `${TIER_NAMES[wt]} come before ${TIER_NAMES[lt]}`;
  }
  if (winner.deny && !loser.deny)
    return 'a restriction comes before a permission at the same level';
  return 'an earlier grant at the same level and with the same effect decided (policy order)';
}

export function describeGrant(grant: Grant): string {
  const who = grant.user !== undefined ? `user ${grant.user}` : `group ${grant.group ?? '?'}`;
  const scope =
    grant.feed !== undefined
      ? `feed ${grant.feed}`
      : grant.feedGroup !== undefined
        ? `feed group ${grant.feedGroup}`
        : 'global';
  const kind = grant.implicit
    ? `implicit ${grant.deny ? 'restriction' : 'permission'} (${grant.implicit} access)`
    : grant.deny
      ? 'restriction'
      : 'permission';
  const at = grant.index >= 0 ? ` [permissions[${grant.index}]]` : '';
  return `${kind}: ${who} · ${grant.task} · ${scope}${at}`;
}
