// Creates an instance in a data dir: the database with its schema, the built-in directory
// (active), user Admin in group Administrators, Administrators holding Administer globally,
// and the built-in tasks. Admin's password is stored as a scrypt hash only.
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { BUILT_IN_DIRECTORY, parsePolicy, type Policy } from '../../core/index';
import { hashPassword, passwordProblem } from '../auth/passwords';
import {
  appendAudit,
  appliedMigrations,
  databaseFile,
  findPrincipal,
  instanceRow,
  markInitialized,
  openStore,
  resolveDirectory,
  setUserPassword,
  writePolicy,
} from '../store/index';

export const ADMIN_USER = 'Admin';
export const ADMINISTRATORS = 'Administrators';
export const ADMINISTER = 'Administer';

/** A problem with the operator's input (data dir, password): the CLI exits 2 with its message. */
export class InstanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstanceError';
  }
}

/** The policy of a new instance. */
export function initialPolicy(): Policy {
  return parsePolicy({
    format: 'feedgate-policy/1',
    directory: BUILT_IN_DIRECTORY,
    users: [{ name: ADMIN_USER, displayName: 'Administrator' }],
    groups: [{ name: ADMINISTRATORS, users: [ADMIN_USER] }],
    permissions: [{ group: ADMINISTRATORS, task: ADMINISTER }],
  });
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'EROFS') return 'read-only file system';
  return error instanceof Error ? error.message : String(error);
}

function prepareDataDir(dataDir: string): void {
  if (dataDir.trim() === '') throw new InstanceError('the data dir is empty');
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory())
    throw new InstanceError(`data dir "${dataDir}" exists and is not a directory`);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new InstanceError(`cannot create data dir "${dataDir}": ${reason(error)}`);
  }
}

const alreadyInitialized = (dataDir: string) =>
  new InstanceError(
    `data dir "${dataDir}" already holds an initialized feedgate instance; nothing was changed`,
  );

export interface InitResult {
  databaseFile: string;
  revision: number;
}

/** Initializes a data dir. Refuses (InstanceError) one that already holds an initialized instance. */
export async function initInstance(dataDir: string, adminPassword: string): Promise<InitResult> {
  const problem = passwordProblem(adminPassword);
  if (problem !== undefined) throw new InstanceError(`invalid Admin password: ${problem}`);
  prepareDataDir(dataDir);
  const file = databaseFile(dataDir);
  if (existsSync(file)) {
    const db = openStore(dataDir, { migrate: false });
    let initialized: boolean;
    try {
      initialized = appliedMigrations(db).length > 0 && instanceRow(db).initializedAt !== null;
    } finally {
      db.close();
    }
    if (initialized) throw alreadyInitialized(dataDir);
  }
  const password = await hashPassword(adminPassword);
  // Created empty first with mode 0600: SQLite gives its -wal and -shm files the same mode.
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const db = openStore(dataDir, { create: true });
  try {
    const revision = db
      .transaction(() => {
        // Checked again inside the write transaction: two concurrent inits cannot both succeed.
        if (instanceRow(db).initializedAt !== null) throw alreadyInitialized(dataDir);
        const policy = initialPolicy();
        const revision = writePolicy(db, policy);
        const directory = resolveDirectory(db, policy.directory);
        const admin = findPrincipal(db, directory.id, 'user', ADMIN_USER) as number;
        setUserPassword(db, admin, password);
        markInitialized(db);
        appendAudit(db, {
          actor: 'feedgate instance init',
          action: 'instance.init',
          detail: { directory: directory.name, user: ADMIN_USER, group: ADMINISTRATORS },
        });
        return revision;
      })
      .immediate();
    return { databaseFile: file, revision };
  } finally {
    db.close();
  }
}
