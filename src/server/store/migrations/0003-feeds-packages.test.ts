import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../../../../test/helpers/store';
import { MIGRATIONS, migrateDown, migrateUp, type Db } from '../index';

let store: TempStore;
afterEach(() => store.cleanup());

const SHA = 'a'.repeat(64);
const addFeed = (db: Db, name: string) =>
  Number(db.prepare('INSERT INTO feeds (name) VALUES (?)').run(name).lastInsertRowid);
const addPackage = (db: Db, feedId: number, version: string) =>
  db
    .prepare(
      `INSERT INTO packages (feed_id, name, version, size, sha256, created_at, updated_at)
       VALUES (?, 'lib', ?, 3, ?, 'now', 'now')`,
    )
    .run(feedId, version, SHA);

describe('migration 0003 (feeds and packages)', () => {
  it('gives every new feed a creation time and an empty description', () => {
    store = tempStore();
    const db = store.open();
    const id = addFeed(db, 'Main');
    const row = db
      .prepare('SELECT description, created_at AS createdAt FROM feeds WHERE id = ?')
      .get(id) as {
      description: string;
      createdAt: string;
    };
    expect(row.description).toBe('');
    expect(Date.parse(row.createdAt)).not.toBeNaN();
  });

  it('keeps one row per (feed, name, version) and refuses to delete a feed that holds packages', () => {
    store = tempStore();
    const db = store.open();
    const feed = addFeed(db, 'Main');
    addPackage(db, feed, '1.0.0');
    expect(() => addPackage(db, feed, '1.0.0')).toThrow(/UNIQUE/);
    addPackage(db, addFeed(db, 'Other'), '1.0.0'); // the same version on another feed is fine
    expect(() => db.prepare('DELETE FROM feeds WHERE id = ?').run(feed)).toThrow(/FOREIGN KEY/);
  });

  it('reverts to migration 2 and applies again, backfilling the creation time of existing feeds', () => {
    store = tempStore();
    const db = store.open();
    const upTo3 = MIGRATIONS.filter((m) => m.id <= 3);
    migrateDown(db, MIGRATIONS, 3);
    expect(migrateDown(db, upTo3, 2)).toEqual([3]);
    addFeed(db, 'Old');
    expect(migrateUp(db, upTo3)).toEqual([3]);
    const row = db
      .prepare("SELECT created_at AS createdAt FROM feeds WHERE name = 'Old'")
      .get() as {
      createdAt: string | null;
    };
    expect(row.createdAt).not.toBeNull();
  });
});
