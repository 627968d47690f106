// Opens an instance's SQLite database (`feedgate.db` in its data dir) with the settings every
// connection needs: WAL journal, foreign keys enforced, a busy timeout, full sync on commit.
// Opening checks the applied migrations (an edited one is refused) and applies pending ones.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MigrationError, migrateUp, pendingMigrations, type Migration } from './migrate';
import { MIGRATIONS } from './migrations/index';

export type Db = Database.Database;

/** The database file inside a data dir (WAL adds `-wal` and `-shm` beside it). */
export const DB_FILE = 'feedgate.db';

/** How long a connection waits for another one's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** A store problem with a message meant for the operator (no SQL, no stack). */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface OpenOptions {
  /** Create the database file when missing (init); otherwise a missing file is an error. */
  create?: boolean;
  /** Apply pending migrations (default true). False only checks the applied ones. */
  migrate?: boolean;
  /** The migration list (tests pass their own). */
  migrations?: readonly Migration[];
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, DB_FILE);
}

/** Opens a database file: pragmas set and verified, migrations checked and (by default) applied. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (!options.create && !existsSync(file))
    throw new StoreError(`no feedgate database at ${file} (run \`feedgate instance init\`)`);
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    if (db.pragma('foreign_keys', { simple: true }) !== 1)
      throw new StoreError('SQLite refused to enforce foreign keys');
    const migrations = options.migrations ?? MIGRATIONS;
    if (options.migrate === false) pendingMigrations(db, migrations);
    else migrateUp(db, migrations);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof MigrationError) throw new StoreError(`${file}: ${error.message}`);
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB')
      throw new StoreError(`${file} is not a SQLite database`);
    throw error;
  }
}

/** Opens the database of a data dir. */
export function openStore(dataDir: string, options: OpenOptions = {}): Db {
  return openDatabase(databaseFile(dataDir), options);
}
