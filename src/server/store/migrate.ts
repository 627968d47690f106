// Schema migrations: each has an id, a name, and `up`/`down` SQL. An applied migration is
// recorded with a SHA-256 hash of its text, so that a migration edited after it was applied
// is detected when the database is opened, instead of silently leaving two schemas that
// claim the same version. Each migration runs in its own transaction.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** Positive, increasing; never reused. */
  readonly id: number;
  readonly name: string;
  readonly up: string;
  readonly down: string;
}

export interface AppliedMigration {
  id: number;
  name: string;
  hash: string;
  appliedAt: string;
}

/** A schema problem that opening or migrating must not paper over. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;
const SELECT_APPLIED =
  'SELECT id, name, hash, applied_at AS appliedAt FROM schema_migrations ORDER BY id';
const INSERT_APPLIED =
  'INSERT INTO schema_migrations (id, name, hash, applied_at) VALUES (@id, @name, @hash, @appliedAt)';
const DELETE_APPLIED = 'DELETE FROM schema_migrations WHERE id = ?';

/** The content hash recorded for a migration: SHA-256 over its up and down text. */
export function migrationHash(migration: Migration): string {
  return createHash('sha256')
    .update(`up\n${migration.up}\n-- down\n${migration.down}`, 'utf8')
    .digest('hex');
}

const label = (m: { id: number; name: string }) => `migration ${m.id} (${m.name})`;

function checkList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.id) || m.id <= previous)
      throw new MigrationError(`${label(m)}: ids must be positive integers in increasing order`);
    previous = m.id;
  }
}

export function appliedMigrations(db: Database): AppliedMigration[] {
  db.exec(CREATE_TABLE);
  return db.prepare(SELECT_APPLIED).all() as AppliedMigration[];
}

/**
 * Checks the applied migrations against the known ones and returns the pending ones.
 * Throws MigrationError naming a migration that was edited after it was applied, or one that
 * this version does not know (a database written by a newer feedgate).
 */
export function pendingMigrations(db: Database, migrations: readonly Migration[]): Migration[] {
  checkList(migrations);
  const known = new Map(migrations.map((m) => [m.id, m]));
  const applied = appliedMigrations(db);
  for (const record of applied) {
    const migration = known.get(record.id);
    if (!migration)
      throw new MigrationError(
        `${label(record)} is applied to this database but unknown to this version of feedgate (was the database written by a newer version?)`,
      );
    const hash = migrationHash(migration);
    if (hash !== record.hash)
      throw new MigrationError(
        `${label(migration)} was edited after it was applied to this database (recorded hash ${record.hash.slice(0, 12)}…, now ${hash.slice(0, 12)}…); restore its original text and add a new migration instead`,
      );
  }
  const done = new Set(applied.map((r) => r.id));
  return migrations.filter((m) => !done.has(m.id));
}

/** Applies every pending migration, each in one transaction. Returns the ids applied. */
export function migrateUp(db: Database, migrations: readonly Migration[]): number[] {
  const pending = pendingMigrations(db, migrations);
  const insert = db.prepare(INSERT_APPLIED);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.up);
      insert.run({
        id: migration.id,
        name: migration.name,
        hash: migrationHash(migration),
        appliedAt: new Date().toISOString(),
      });
    })();
  }
  return pending.map((m) => m.id);
}

/**
 * Reverts applied migrations newer than `targetId` (0 = all), newest first, each in one
 * transaction. Returns the ids reverted.
 */
export function migrateDown(
  db: Database,
  migrations: readonly Migration[],
  targetId: number,
): number[] {
  pendingMigrations(db, migrations); // refuses an edited or unknown applied migration
  const known = new Map(migrations.map((m) => [m.id, m]));
  const toRevert = appliedMigrations(db)
    .filter((r) => r.id > targetId)
    .sort((a, b) => b.id - a.id);
  const remove = db.prepare(DELETE_APPLIED);
  for (const record of toRevert) {
    const migration = known.get(record.id) as Migration;
    db.transaction(() => {
      db.exec(migration.down);
      remove.run(migration.id);
    })();
  }
  return toRevert.map((r) => r.id);
}
