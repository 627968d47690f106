// Reads the store into the core Policy model for one directory, through parsePolicy, so that
// what the server decides with is validated exactly as a policy file is.
import {
  PolicyError,
  parsePolicy,
  type FeedAccess,
  type FeedType,
  type Permission,
  type Policy,
  type PolicyFile,
} from '../../core/index';
import { StoreError, type Db } from './database';
import { listFeedGroups, listFeeds, listTasks } from './sql/catalog';
import { activeDirectory, directoryByName, type DirectoryRow } from './sql/directories';
import { policyRevision } from './sql/instance';
import { listNamedPermissions, type NamedPermissionRow } from './sql/permissions';
import { listMemberships, listPrincipals } from './sql/principals';

/** The named directory, or the active one; a StoreError when there is none. */
export function resolveDirectory(db: Db, directory?: string): DirectoryRow {
  const row = directory === undefined ? activeDirectory(db) : directoryByName(db, directory);
  if (!row)
    throw new StoreError(
      directory === undefined ? 'no directory is active' : `unknown directory "${directory}"`,
    );
  return row;
}

/** The stored policy of a directory (default: the active one) as a policy file object. */
export function storedPolicyFile(db: Db, directory?: string): PolicyFile {
  const dir = resolveDirectory(db, directory);
  const principals = listPrincipals(db, dir.id).filter((p) => p.virtual === 0);
  const groups = new Map<string, { name: string; users: string[]; groups: string[] }>();
  for (const p of principals)
    if (p.kind === 'group') groups.set(p.name, { name: p.name, users: [], groups: [] });
  for (const m of listMemberships(db, dir.id))
    groups.get(m.groupName)?.[m.memberKind === 'user' ? 'users' : 'groups'].push(m.memberName);
  return {
    format: 'feedgate-policy/1',
    directory: dir.name,
    users: principals
      .filter((p) => p.kind === 'user')
      .map((p) => ({
        name: p.name,
        ...(p.displayName !== null && { displayName: p.displayName }),
        ...(p.email !== null && { email: p.email }),
      })),
    groups: [...groups.values()],
    feedGroups: listFeedGroups(db).map((g) => ({ name: g.name })),
    feeds: listFeeds(db).map((f) => ({
      name: f.name,
      feedType: f.feedType as FeedType,
      ...(f.feedGroup !== null && { feedGroup: f.feedGroup }),
      access: f.access as FeedAccess,
    })),
    tasks: listTasks(db).map((t) => ({
      name: t.name,
      description: t.description,
      attributes: t.attributes,
    })),
    permissions: listNamedPermissions(db, dir.id).map(permissionOfRow),
  };
}

/** A stored grant as the policy file (and the security API) writes it: absent fields omitted. */
export function permissionOfRow(p: NamedPermissionRow): Permission {
  return {
    ...(p.user !== null && { user: p.user }),
    ...(p.group !== null && { group: p.group }),
    task: p.task,
    ...(p.feed !== null && { feed: p.feed }),
    ...(p.feedGroup !== null && { feedGroup: p.feedGroup }),
    deny: p.deny === 1,
  };
}

/** The stored policy of a directory (default: the active one), validated by the core. */
export function readPolicy(db: Db, directory?: string): Policy {
  return parseStoredPolicy(storedPolicyFile(db, directory));
}

/** A stored policy file validated by the core; a StoreError names its first problems. */
export function parseStoredPolicy(file: PolicyFile): Policy {
  try {
    return parsePolicy(file);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const first = error.problems
      .slice(0, 3)
      .map((p) => `${p.path}: ${p.message}`)
      .join('; ');
    throw new StoreError(`the stored policy of directory "${file.directory}" is invalid: ${first}`);
  }
}

/** The policy and its revision, read in one transaction (a consistent snapshot). */
export function readSnapshot(db: Db, directory?: string): { policy: Policy; revision: number } {
  return db.transaction(() => ({
    policy: readPolicy(db, directory),
    revision: policyRevision(db),
  }))();
}
