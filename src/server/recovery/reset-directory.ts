// "Reset to built-in directory" (security-model.md, lockout recovery): run on the instance's
// machine against its data dir, never over the API, by an operator who can no longer
// administer. In ONE immediate transaction it makes the built-in directory active, makes sure
// Admin exists, is enabled, is in Administrators, that Administrators holds Administer
// globally, that the engine then lets Admin administer, and sets Admin's password; then it
// writes an audit entry. It adds what is missing and removes nothing, with one exception:
// a global restriction naming Admin itself on a task that carries Admin_ConfigureProGet beats
// every permission (resolution order), so it is the only grant removed, and the audit entry
// records it. A running server sees the result at its next request (the policy cache checks
// the revision and the active directory per use; credentials are read per sign-in).
import { accessSync, constants, existsSync, statSync, type Stats } from 'node:fs';
import { userInfo } from 'node:os';
import {
  PROXY_ALL,
  compile,
  describePermission,
  permissionKey,
  type Permission,
  type Policy,
  type PolicyFile,
} from '../../core/index';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/passwords';
import { ADMINISTER, ADMINISTRATORS, ADMIN_USER, InstanceError } from '../instance/init';
import { StoreError, databaseFile, openStore, type Db } from '../store/database';
import { parseStoredPolicy, readPolicy, storedPolicyFile } from '../store/policy-read';
import { writePolicy } from '../store/policy-write';
import { appendAudit } from '../store/sql/audit';
import { activeDirectory, listDirectories, setActiveDirectory } from '../store/sql/directories';
import { bumpRevision, instanceRow } from '../store/sql/instance';
import {
  setUserEnabled,
  setUserPassword,
  userCredentials,
  type UserCredentials,
} from '../store/sql/principals';

/** The audit log's actor for this tool: it acts with machine access, not as a principal. */
export const RECOVERY_ACTOR = 'recovery (local)';
export const RECOVERY_ACTION = 'recovery.reset-directory';

/** The recovery could not be done safely; nothing was written (the CLI exits 1). */
export class RecoveryRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecoveryRefused';
  }
}

export interface ResetResult {
  /** The built-in directory's name (active now). */
  directory: string;
  /** The directory that was active before (the same when nothing was switched). */
  previousDirectory: string | null;
  /** What was changed besides the password, as sentences; empty on a second run. */
  changes: string[];
  /** Grants removed because they stopped Admin from administering (described). */
  removedRestrictions: string[];
  /** False when the password given already was Admin's. */
  passwordChanged: boolean;
  /** The policy revision after the run (bumped once when the policy or the active directory changed). */
  revision: number;
  auditId: number;
}

type Grant = PolicyFile extends { permissions?: (infer G)[] } ? G : never;

const isGlobal = (g: Grant) => g.feed === undefined && g.feedGroup === undefined;
const sameGrant = (a: Grant, b: Grant) => permissionKey(a) === permissionKey(b);

const canAdminister = (policy: Policy) => compile(policy).isAllowed(ADMIN_USER, PROXY_ALL);
const describe = (g: Grant) => describePermission(g as Permission);

function parsed(file: PolicyFile): Policy {
  try {
    return parseStoredPolicy(file);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    throw new RecoveryRefused(
      `${error.message}; it cannot be repaired automatically, nothing was changed`,
    );
  }
}

/**
 * The built-in directory's policy with what recovery needs added. Steps stop as soon as the
 * engine lets Admin administer: the group grant, then (if a group-level restriction still
 * wins) a user-level permission for Admin, and last the removal of Admin's own global
 * restrictions on tasks carrying Admin_ConfigureProGet.
 */
export function repairPolicy(stored: PolicyFile): {
  policy: Policy;
  changes: string[];
  removed: Grant[];
} {
  const file = structuredClone(stored);
  const users = (file.users ??= []);
  const groups = (file.groups ??= []);
  const tasks = (file.tasks ??= []);
  const permissions = (file.permissions ??= []);
  const changes: string[] = [];
  let admin = users.find((u) => u.name === ADMIN_USER);
  if (!admin) {
    admin = { name: ADMIN_USER, displayName: 'Administrator' };
    users.push(admin);
    changes.push(`added user ${ADMIN_USER}`);
  }
  let administrators = groups.find((g) => g.name === ADMINISTRATORS);
  if (!administrators) {
    administrators = { name: ADMINISTRATORS, users: [] };
    groups.push(administrators);
    changes.push(`added group ${ADMINISTRATORS}`);
  }
  if (
    !(administrators.users ?? []).includes(ADMIN_USER) &&
    !(admin.groups ?? []).includes(ADMINISTRATORS)
  ) {
    administrators.users = [...(administrators.users ?? []), ADMIN_USER];
    changes.push(`added ${ADMIN_USER} to group ${ADMINISTRATORS}`);
  }
  const task = tasks.find((t) => t.name === ADMINISTER);
  if (task && !task.attributes.includes(PROXY_ALL)) {
    task.attributes = [...task.attributes, PROXY_ALL];
    changes.push(`gave task ${ADMINISTER} back its attribute ${PROXY_ALL}`);
  }
  const addGrant = (grant: Grant) => {
    if (permissions.some((p) => sameGrant(p, grant))) return;
    permissions.push(grant);
    changes.push(`added grant "${describe(grant)}"`);
  };
  addGrant({ group: ADMINISTRATORS, task: ADMINISTER, deny: false });
  let policy = parsed(file);
  if (!canAdminister(policy)) {
    // A group-level restriction (on Administrators, Authenticated, Everyone...) still wins:
    // a user-level permission comes first in the resolution order.
    addGrant({ user: ADMIN_USER, task: ADMINISTER, deny: false });
    policy = parsed(file);
  }
  let removed: Grant[] = [];
  if (!canAdminister(policy)) {
    const carriesProxy = (name: string) =>
      policy.tasks.find((t) => t.name === name)?.attributes.includes(PROXY_ALL) === true;
    const blocks = (g: Grant) =>
      g.user === ADMIN_USER && g.deny === true && isGlobal(g) && carriesProxy(g.task);
    removed = permissions.filter(blocks);
    file.permissions = permissions.filter((g) => !blocks(g));
    for (const g of removed) changes.push(`removed restriction "${describe(g)}"`);
    policy = parsed(file);
  }
  if (!canAdminister(policy))
    throw new RecoveryRefused(
      `after the repair the engine still does not allow ${ADMIN_USER} ${PROXY_ALL}; nothing was changed`,
    );
  return { policy, changes, removed };
}

/** The data dir and the database files must be readable and writable by this process. */
function checkAccess(dataDir: string, files: readonly string[]): void {
  for (const [target, mode] of [
    [dataDir, constants.R_OK | constants.W_OK | constants.X_OK] as const,
    ...files.map((file) => [file, constants.R_OK | constants.W_OK] as const),
  ]) {
    try {
      accessSync(target, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // -wal, -shm come and go
      throw new InstanceError(
        `cannot read and write ${target}: permission denied; run the command as the user that owns the data dir (uid ${statSync(dataDir).uid})`,
      );
    }
  }
}

/** Checks the data dir before anything is opened: InstanceError (bad input) when it is not an instance. */
function checkDataDir(dataDir: string): void {
  if (dataDir.trim() === '') throw new InstanceError('the data dir is empty');
  let stat: Stats;
  try {
    stat = statSync(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new InstanceError(`data dir "${dataDir}" does not exist`);
    if (code === 'EACCES')
      throw new InstanceError(
        `cannot reach data dir "${dataDir}": permission denied; run the command as the user that owns the data dir`,
      );
    throw error;
  }
  if (!stat.isDirectory()) throw new InstanceError(`data dir "${dataDir}" is not a directory`);
  const file = databaseFile(dataDir);
  // Before the existence check: an unreadable directory hides its files.
  checkAccess(dataDir, [file, `${file}-wal`, `${file}-shm`]);
  if (!existsSync(file))
    throw new InstanceError(
      `data dir "${dataDir}" holds no feedgate instance (no ${file}); nothing to recover`,
    );
}

const storedHash = (user: UserCredentials | undefined) =>
  user?.hash && user.salt && user.params
    ? { hash: user.hash, salt: user.salt, params: user.params }
    : undefined;

function operatorName(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null; // no passwd entry for this uid (e.g. some containers)
  }
}

function resetInTransaction(
  db: Db,
  newPassword: Awaited<ReturnType<typeof hashPassword>>,
  keptHash: Buffer | undefined,
): ResetResult {
  const builtin = listDirectories(db).find((d) => d.kind === 'builtin');
  if (!builtin)
    throw new RecoveryRefused('this instance has no built-in directory; nothing was changed');
  const previous = activeDirectory(db);
  const changes: string[] = [];
  const switched = previous?.id !== builtin.id;
  if (switched) {
    setActiveDirectory(db, builtin.id);
    changes.push(
      `made directory "${builtin.name}" active (was ${previous ? `"${previous.name}"` : 'none'})`,
    );
  }
  let stored: PolicyFile;
  try {
    stored = storedPolicyFile(db, builtin.name);
  } catch (error) {
    if (error instanceof StoreError) throw new RecoveryRefused(error.message);
    throw error;
  }
  const repair = repairPolicy(stored);
  changes.push(...repair.changes);
  let revision = instanceRow(db).revision;
  if (repair.changes.length > 0) revision = writePolicy(db, repair.policy);
  else if (switched) revision = bumpRevision(db);

  const admin = userCredentials(db, builtin.id, ADMIN_USER) as UserCredentials;
  if (admin.enabled !== 1) {
    setUserEnabled(db, admin.id, true);
    changes.push(`enabled user ${ADMIN_USER}`);
  }
  // The given password is already Admin's when it matched the hash that is still stored.
  const passwordChanged = !(keptHash && admin.hash && keptHash.equals(admin.hash));
  if (passwordChanged) setUserPassword(db, admin.id, newPassword);

  // Checked on what is stored now, as the server will read it.
  if (activeDirectory(db)?.id !== builtin.id || !canAdminister(readPolicy(db, builtin.name)))
    throw new RecoveryRefused(
      `the repaired policy still does not let ${ADMIN_USER} administer; nothing was changed`,
    );
  const removedRestrictions = repair.removed.map(describe);
  const auditId = appendAudit(db, {
    actor: RECOVERY_ACTOR,
    action: RECOVERY_ACTION,
    detail: {
      directory: builtin.name,
      previousDirectory: previous?.name ?? null,
      user: ADMIN_USER,
      changes,
      removedRestrictions,
      passwordChanged,
      revision,
      operatingSystemUser: operatorName(),
    },
  });
  return {
    directory: builtin.name,
    previousDirectory: previous?.name ?? null,
    changes,
    removedRestrictions,
    passwordChanged,
    revision,
    auditId,
  };
}

/**
 * Resets the instance in `dataDir` to its built-in directory with a working Admin whose
 * password is `password` (see the top of this file). InstanceError or StoreError: bad input
 * (not an instance, bad password); RecoveryRefused: nothing could be done safely. In every
 * failure nothing is written.
 */
export async function resetDirectory(dataDir: string, password: string): Promise<ResetResult> {
  const problem = passwordProblem(password);
  if (problem !== undefined) throw new InstanceError(`invalid Admin password: ${problem}`);
  checkDataDir(dataDir);
  const db = openStore(dataDir);
  try {
    if (instanceRow(db).initializedAt === null)
      throw new InstanceError(
        `data dir "${dataDir}" holds an instance that was never initialized (run \`feedgate instance init\`); nothing to recover`,
      );
    // scrypt is asynchronous, the transaction is not: both hashes are computed before it.
    const builtin = listDirectories(db).find((d) => d.kind === 'builtin');
    const current = storedHash(builtin && userCredentials(db, builtin.id, ADMIN_USER));
    const keptHash =
      current && (await verifyPassword(password, current)) ? current.hash : undefined;
    const newPassword = await hashPassword(password);
    try {
      return db.transaction(() => resetInTransaction(db, newPassword, keptHash)).immediate();
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY')
        throw new RecoveryRefused(
          'the database stayed busy (another process held its write lock for more than 5 s); nothing was changed: run the command again',
        );
      throw error;
    }
  } finally {
    db.close();
  }
}
