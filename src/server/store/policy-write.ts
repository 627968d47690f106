// Writes a whole Policy into the store for its directory, in ONE transaction, and bumps the
// policy revision. Items are matched by name so that ids (and what hangs off them: password
// hashes, API keys, grant ids) survive; what the policy no longer holds is removed.
import { parsePolicy, type Permission, type Policy } from '../../core/index';
import { StoreError, type Db } from './database';
import { resolveDirectory } from './policy-read';
import {
  listFeedGroups,
  listFeeds,
  listTasks,
  removeFeed,
  removeFeedGroup,
  removeTask,
  upsertFeed,
  upsertFeedGroup,
  upsertTask,
  usedByOtherDirectory,
  type CatalogKind,
  type NamedRow,
} from './sql/catalog';
import { bumpRevision } from './sql/instance';
import { feedDependents } from './sql/packages';
import {
  insertPermission,
  listPermissionIds,
  removePermission,
  type PermissionIds,
} from './sql/permissions';
import {
  addMembership,
  clearMemberships,
  ensurePrincipal,
  listPrincipals,
  removePrincipal,
  upsertUserProfile,
} from './sql/principals';

const idsByName = (rows: readonly NamedRow[]) => new Map(rows.map((r) => [r.name, r.id]));

function lookup(map: ReadonlyMap<string, number>, name: string, what: string): number {
  const id = map.get(name);
  if (id === undefined) throw new StoreError(`unknown ${what} "${name}"`);
  return id;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const grantKey = (g: PermissionIds) =>
  [g.userId, g.groupId, g.taskId, g.feedId, g.feedGroupId, g.deny ? 1 : 0].join('|');

interface Ids {
  users: ReadonlyMap<string, number>;
  groups: ReadonlyMap<string, number>;
  tasks: ReadonlyMap<string, number>;
  feeds: ReadonlyMap<string, number>;
  feedGroups: ReadonlyMap<string, number>;
}

function grantIds(p: Permission, ids: Ids): PermissionIds {
  return {
    userId: p.user === undefined ? null : lookup(ids.users, p.user, 'user'),
    groupId: p.group === undefined ? null : lookup(ids.groups, p.group, 'group'),
    taskId: lookup(ids.tasks, p.task, 'task'),
    feedId: p.feed === undefined ? null : lookup(ids.feeds, p.feed, 'feed'),
    feedGroupId:
      p.feedGroup === undefined ? null : lookup(ids.feedGroups, p.feedGroup, 'feed group'),
    deny: p.deny,
  };
}

function writeCatalog(db: Db, policy: Policy): Pick<Ids, 'tasks' | 'feeds' | 'feedGroups'> {
  for (const fg of policy.feedGroups) upsertFeedGroup(db, fg.name);
  const feedGroups = idsByName(listFeedGroups(db));
  for (const f of policy.feeds)
    upsertFeed(db, {
      name: f.name,
      feedType: f.feedType,
      feedGroupId: f.feedGroup === undefined ? null : lookup(feedGroups, f.feedGroup, 'feed group'),
      access: f.access,
    });
  const stored = new Map(listTasks(db).map((t) => [t.name, t]));
  for (const t of policy.tasks) {
    const old = stored.get(t.name);
    if (!old || old.description !== t.description || !sameList(old.attributes, t.attributes))
      upsertTask(db, t.name, t.description, t.attributes);
  }
  return { tasks: idsByName(listTasks(db)), feeds: idsByName(listFeeds(db)), feedGroups };
}

function writePrincipals(
  db: Db,
  directoryId: number,
  policy: Policy,
): Pick<Ids, 'users' | 'groups'> {
  const users = new Map<string, number>();
  const groups = new Map<string, number>();
  for (const u of policy.users) {
    const id = ensurePrincipal(db, directoryId, 'user', u.name);
    upsertUserProfile(db, id, u.displayName, u.email);
    users.set(u.name, id);
  }
  for (const g of policy.groups)
    groups.set(g.name, ensurePrincipal(db, directoryId, 'group', g.name));
  // Virtual principals get rows on first use, so that grants can reference them.
  for (const p of policy.permissions) {
    if (p.user !== undefined && !users.has(p.user))
      users.set(p.user, ensurePrincipal(db, directoryId, 'user', p.user, true));
    if (p.group !== undefined && !groups.has(p.group))
      groups.set(p.group, ensurePrincipal(db, directoryId, 'group', p.group, true));
  }
  clearMemberships(db, directoryId);
  for (const g of policy.groups) {
    const groupId = lookup(groups, g.name, 'group');
    for (const u of g.users) addMembership(db, directoryId, groupId, lookup(users, u, 'user'));
    for (const c of g.groups) addMembership(db, directoryId, groupId, lookup(groups, c, 'group'));
  }
  return { users, groups };
}

/** Keeps the stored grants that the policy still holds (and their ids), removes and adds the rest. */
function writePermissions(db: Db, directoryId: number, policy: Policy, ids: Ids): void {
  const kept = new Map<string, number[]>();
  for (const row of listPermissionIds(db, directoryId)) {
    const key = grantKey({ ...row, deny: row.deny === 1 });
    kept.set(key, [...(kept.get(key) ?? []), row.id]);
  }
  const toAdd: PermissionIds[] = [];
  for (const p of policy.permissions) {
    const grant = grantIds(p, ids);
    const same = kept.get(grantKey(grant));
    if (same && same.length > 0) same.shift();
    else toAdd.push(grant);
  }
  for (const rest of kept.values()) for (const id of rest) removePermission(db, id);
  for (const grant of toAdd) insertPermission(db, directoryId, grant);
}

function removeUnlisted(
  db: Db,
  directoryId: number,
  kind: CatalogKind,
  rows: readonly NamedRow[],
  keep: ReadonlySet<string>,
  remove: (db: Db, id: number) => void,
): void {
  const what = { feed: 'feed', feedGroup: 'feed group', task: 'task' }[kind];
  for (const row of rows) {
    if (keep.has(row.name)) continue;
    const other = usedByOtherDirectory(db, kind, row.id, directoryId);
    if (other !== undefined)
      throw new StoreError(
        `cannot remove ${what} "${row.name}": grants of directory "${other}" still use it`,
      );
    // Packages are no part of the policy: a push never deletes them (the feed API can, forced).
    const packages = kind === 'feed' ? feedDependents(db, row.id).packages : 0;
    if (packages > 0)
      throw new StoreError(
        `cannot remove feed "${row.name}": it holds ${packages} package${packages === 1 ? '' : 's'} (delete them, or the feed with the feed API's ?force=true)`,
      );
    remove(db, row.id);
  }
}

/**
 * Replaces the stored policy of `policy.directory` (which must exist) by `policy`, validated
 * by the core first (a PolicyError names every problem). Feeds, feed groups and tasks are
 * instance-wide: one still used by another directory's grants is not removed (StoreError).
 * Returns the new revision.
 */
export function writePolicy(db: Db, input: Policy): number {
  const policy = parsePolicy(input);
  const write = db.transaction(() => {
    const directoryId = resolveDirectory(db, policy.directory).id;
    const catalog = writeCatalog(db, policy);
    const principals = writePrincipals(db, directoryId, policy);
    writePermissions(db, directoryId, policy, { ...catalog, ...principals });
    const names = (list: readonly { name: string }[]) => new Set(list.map((x) => x.name));
    const users = names(policy.users);
    const groups = names(policy.groups);
    for (const p of listPrincipals(db, directoryId)) {
      const listed = p.kind === 'user' ? users.has(p.name) : groups.has(p.name);
      if (p.virtual === 0 && !listed) removePrincipal(db, p.id);
    }
    removeUnlisted(db, directoryId, 'feed', listFeeds(db), names(policy.feeds), removeFeed);
    removeUnlisted(
      db,
      directoryId,
      'feedGroup',
      listFeedGroups(db),
      names(policy.feedGroups),
      removeFeedGroup,
    );
    removeUnlisted(db, directoryId, 'task', listTasks(db), names(policy.tasks), removeTask);
    return bumpRevision(db);
  });
  return write.immediate();
}
