import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  appliedMigrations,
  migrateDown,
  migrateUp,
  migrationHash,
  openStore,
  type Db,
  type Migration,
} from '../../../src/server/store/index';
import { tempStore, type TempStore } from '../../helpers/store';

let store: TempStore;
afterEach(() => store.cleanup());

// An id far above the real migrations, so that adding one does not change these tests.
const extra: Migration = {
  id: 1000,
  name: 'notes',
  up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT;',
  down: 'DROP TABLE notes;',
};
const ids = MIGRATIONS.map((m) => m.id);
const lastId = ids[ids.length - 1] as number;
const tables = (db: Db) =>
  (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((t) => t.name);

describe('store migrations', () => {
  it('opens with WAL, foreign keys on and a busy timeout, and applies every migration', () => {
    store = tempStore();
    const db = store.open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const applied = appliedMigrations(db);
    expect(applied.map((m) => m.id)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(applied[0]?.hash).toBe(migrationHash(MIGRATIONS[0] as Migration));
    expect(applied[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['directories', 'principals', 'users', 'permissions', 'api_keys']),
    );
  });

  it('applies pending migrations once, each recorded with its hash', () => {
    store = tempStore();
    const db = store.open();
    expect(migrateUp(db, [...MIGRATIONS, extra])).toEqual([1000]);
    expect(migrateUp(db, [...MIGRATIONS, extra])).toEqual([]);
    expect(appliedMigrations(db).find((m) => m.id === 1000)).toMatchObject({
      name: 'notes',
      hash: migrationHash(extra),
    });
    expect(tables(db)).toContain('notes');
  });

  it('detects an applied migration whose text was edited, names it, and refuses to open', () => {
    store = tempStore();
    store.open({ migrations: [...MIGRATIONS, extra] }).close();
    const edited = { ...extra, up: extra.up.replace('text TEXT', 'body TEXT') };
    expect(() => store.open({ migrations: [...MIGRATIONS, edited] })).toThrow(
      /migration 1000 \(notes\) was edited after it was applied/,
    );
    const editedDown = { ...extra, down: 'DROP TABLE IF EXISTS notes;' };
    expect(() => store.open({ migrations: [...MIGRATIONS, editedDown] })).toThrow(
      /migration 1000 \(notes\) was edited/,
    );
    // The original text still opens.
    expect(() => store.open({ migrations: [...MIGRATIONS, extra] })).not.toThrow();
  });

  it('refuses a database with a migration this version does not know', () => {
    store = tempStore();
    store.open({ migrations: [...MIGRATIONS, extra] }).close();
    expect(() => openStore(store.dir)).toThrow(
      /migration 1000 \(notes\) is applied to this database but unknown to this version/,
    );
  });

  it('rolls back a failing migration entirely and records nothing', () => {
    store = tempStore();
    const db = store.open();
    const broken: Migration = {
      id: 1000,
      name: 'broken',
      up: 'CREATE TABLE half (id INTEGER); INSERT INTO no_such_table VALUES (1);',
      down: 'DROP TABLE half;',
    };
    expect(() => migrateUp(db, [...MIGRATIONS, broken])).toThrow(/no such table/);
    expect(tables(db)).not.toContain('half');
    expect(appliedMigrations(db).map((m) => m.id)).toEqual(ids);
  });

  it('migrates down to a target id, newest first, and up again', () => {
    store = tempStore();
    const db = store.open({ migrations: [...MIGRATIONS, extra] });
    expect(migrateDown(db, [...MIGRATIONS, extra], lastId)).toEqual([1000]);
    expect(tables(db)).not.toContain('notes');
    expect(appliedMigrations(db).map((m) => m.id)).toEqual(ids);
    expect(migrateUp(db, [...MIGRATIONS, extra])).toEqual([1000]);
    expect(migrateDown(db, [...MIGRATIONS, extra], 0)).toEqual([1000, ...[...ids].reverse()]);
    expect(tables(db)).toEqual(['schema_migrations']);
    expect(migrateUp(db, MIGRATIONS)).toEqual(ids);
    expect(tables(db)).toContain('permissions');
  });

  it('refuses migration lists out of order', () => {
    store = tempStore();
    const db = store.open();
    expect(() => migrateUp(db, [extra, ...MIGRATIONS])).toThrow(/increasing order/);
  });

  it('refuses a missing database unless asked to create it, and a file that is not SQLite', () => {
    store = tempStore();
    expect(() => openStore(store.dir)).toThrow(/no feedgate database at .*feedgate\.db/);
    writeFileSync(path.join(store.dir, 'feedgate.db'), 'this is not a database, '.repeat(100));
    expect(() => openStore(store.dir)).toThrow(/feedgate\.db is not a SQLite database/);
  });
});
