// The feeds panel's edits as change sets (docs/change-sets.md), so each one is one undoable
// draft edit that shows in Changes and pushes like any other. A change set does not cascade,
// so deleting a feed also removes the grants scoped to it, and deleting a feed group moves
// its feeds out and removes the grants scoped to the group: the policy stays valid.
import {
  permissionKey,
  type FeedAccess,
  type FeedType,
  type Operation,
  type Policy,
  type PolicyFeed,
} from '../../../core/index';

export interface NewFeed {
  name: string;
  feedType: FeedType;
  access: FeedAccess;
  feedGroup?: string;
}

/** What is wrong with a new feed or feed group name, or null. */
export function nameProblem(
  policy: Policy,
  kind: 'feed' | 'feedGroup',
  name: string,
): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter a name.';
  if (trimmed.length > 256) return 'A name has at most 256 characters.';
  const taken =
    kind === 'feed'
      ? policy.feeds.some((f) => f.name.toLowerCase() === trimmed.toLowerCase())
      : policy.feedGroups.some((g) => g.name.toLowerCase() === trimmed.toLowerCase());
  return taken
    ? `A ${kind === 'feed' ? 'feed' : 'feed group'} named “${trimmed}” already exists: choose another name.`
    : null;
}

export function addFeed(feed: NewFeed): Operation[] {
  return [
    {
      op: 'add',
      kind: 'feed',
      item: {
        name: feed.name.trim(),
        feedType: feed.feedType,
        access: feed.access,
        ...(feed.feedGroup !== undefined && { feedGroup: feed.feedGroup }),
      },
    },
  ];
}

export function addFeedGroup(name: string): Operation[] {
  return [{ op: 'add', kind: 'feedGroup', item: { name: name.trim() } }];
}

/** The grants scoped to a feed or a feed group, as removals. */
function removeScopedGrants(policy: Policy, scope: { feed: string } | { feedGroup: string }) {
  const keys = new Set(
    policy.permissions
      .filter((p) => ('feed' in scope ? p.feed === scope.feed : p.feedGroup === scope.feedGroup))
      .map(permissionKey),
  );
  return [...keys].map((key): Operation => ({ op: 'remove', kind: 'permission', key }));
}

/** Grants a deletion takes along (they name the item and could not stay). */
export function scopedGrantCount(policy: Policy, scope: { feed: string } | { feedGroup: string }) {
  return removeScopedGrants(policy, scope).length;
}

export function deleteFeed(policy: Policy, name: string): Operation[] {
  return [...removeScopedGrants(policy, { feed: name }), { op: 'remove', kind: 'feed', key: name }];
}

export function deleteFeedGroup(policy: Policy, name: string): Operation[] {
  return [
    ...removeScopedGrants(policy, { feedGroup: name }),
    ...policy.feeds
      .filter((f) => f.feedGroup === name)
      .map((f): Operation => ({
        op: 'update',
        kind: 'feed',
        key: f.name,
        changes: { feedGroup: { from: name, to: null } },
      })),
    { op: 'remove', kind: 'feedGroup', key: name },
  ];
}

export function setFeedAccess(policy: Policy, name: string, access: FeedAccess): Operation[] {
  const feed = policy.feeds.find((f) => f.name === name);
  if (!feed || feed.access === access) return [];
  return [
    {
      op: 'update',
      kind: 'feed',
      key: name,
      changes: { access: { from: feed.access, to: access } },
    },
  ];
}

/** Moves a feed into a feed group, or out of its group (`null`). */
export function moveFeed(policy: Policy, name: string, feedGroup: string | null): Operation[] {
  const feed = policy.feeds.find((f) => f.name === name);
  const from = feed?.feedGroup ?? null;
  if (!feed || from === feedGroup) return [];
  return [
    { op: 'update', kind: 'feed', key: name, changes: { feedGroup: { from, to: feedGroup } } },
  ];
}

/** What each access type adds (spec/security-model.md), for the UI's explanations. */
export const ACCESS_EXPLAINED: Readonly<Record<FeedAccess, string>> = {
  private: 'Only granted users and groups.',
  public: 'Everyone may view and download; only granted principals may push.',
  community:
    'Everyone may view and download; signed-in users may add packages and manage the ones they own.',
  organization: 'Every signed-in user of the directory may view and download.',
};

/**
 * `feeds` by feed group: the groups in policy order, then the feeds in no group. Groups
 * without a listed feed are kept only when `withEmptyGroups` (nothing is filtered out).
 */
export function feedSections(
  policy: Policy,
  feeds: readonly PolicyFeed[],
  withEmptyGroups: boolean,
): { group: string | null; feeds: PolicyFeed[] }[] {
  const byGroup = new Map<string | null, PolicyFeed[]>();
  for (const feed of feeds) {
    const key = feed.feedGroup ?? null;
    const list = byGroup.get(key);
    if (list) list.push(feed);
    else byGroup.set(key, [feed]);
  }
  return [...policy.feedGroups.map((g) => g.name), null]
    .map((group) => ({ group, feeds: byGroup.get(group) ?? [] }))
    .filter((s) => s.feeds.length > 0 || (withEmptyGroups && s.group !== null));
}
