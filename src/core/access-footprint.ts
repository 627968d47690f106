// The footprint of a change between two policies: which users, on which scopes, a change can
// reach (the grants that differ, membership and nesting changes, feed changes). The access
// diff evaluates only there.
import { ANONYMOUS, AUTHENTICATED, EVERYONE } from './catalog';
import type { Permission } from './model';
import type { PolicyIndex } from './policy-index';

/** Where a change can alter decisions: per user, a set of feeds (or every scope). */
export interface Footprint {
  everyone: boolean;
  allScopesUsers: Set<string>;
  feedsByUser: Map<string, Set<string | null>>;
}

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

/**
 * A key per grant (principal, task, scope, effect) of each list, equal for equal grants: each
 * name gets an id, and the ids combine into one number (a short string should the product of
 * the name counts ever pass 2^53). Keys built of the names cost most of a diff's footprint at
 * L (100,000 grants). `numericLimit` is for tests.
 */
export function grantKeys(
  lists: readonly (readonly Permission[])[],
  numericLimit = Number.MAX_SAFE_INTEGER,
): (number | string)[][] {
  const kinds = [0, 1, 2, 3, 4].map(() => new Map<string, number>());
  const id = (kind: number, name: string): number => {
    const names = kinds[kind] as Map<string, number>;
    let value = names.get(name);
    if (value === undefined) names.set(name, (value = names.size));
    return value;
  };
  const parts = lists.map((list) =>
    list.map((p) => ({
      user: p.user !== undefined ? id(0, p.user) : -1,
      group: p.user !== undefined ? -1 : id(1, p.group ?? ''),
      task: id(2, p.task),
      feed: p.feed !== undefined ? id(3, p.feed) : -1,
      feedGroup: p.feed === undefined && p.feedGroup !== undefined ? id(4, p.feedGroup) : -1,
      deny: p.deny === true ? 1 : 0,
    })),
  );
  const [users, groups, tasks, feeds, feedGroups] = kinds.map((k) => k.size) as number[];
  const principals = (users as number) + (groups as number);
  const scopes = 1 + (feeds as number) + (feedGroups as number);
  const numeric = principals * (tasks as number) * scopes * 2 < numericLimit;
  return parts.map((list) =>
    list.map((g) => {
      const who = g.user >= 0 ? g.user : (users as number) + g.group;
      const scope =
        g.feed >= 0 ? 1 + g.feed : g.feedGroup >= 0 ? 1 + (feeds as number) + g.feedGroup : 0;
      return numeric
        ? ((who * (tasks as number) + g.task) * scopes + scope) * 2 + g.deny
        : `${who},${g.task},${scope},${g.deny}`;
    }),
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  // Users are in a few groups: a scan beats building a set per user.
  if (a.length <= 8) return b.every((x) => a.includes(x)) && a.every((x) => b.includes(x));
  const s = new Set(a);
  return b.every((x) => s.has(x));
}

export function footprint(
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
  const [oldKeys = [], newKeys = []] = grantKeys([oldPolicy.permissions, newPolicy.permissions]);
  const counts = new Map<number | string, number>();
  for (const k of oldKeys) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const k of newKeys) counts.set(k, (counts.get(k) ?? 0) - 1);
  const touchGrants = (idx: PolicyIndex, keys: readonly (number | string)[]) => {
    idx.policy.permissions.forEach((p, i) => {
      if (counts.get(keys[i] as number | string) === 0 && !changedTasks.has(p.task)) return;
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
