import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../../../../test/helpers/store';
import { MIGRATIONS, migrateDown, migrateUp } from '../index';

let store: TempStore;
afterEach(() => store.cleanup());

const version = (db: ReturnType<TempStore['open']>) =>
  (db.prepare('SELECT api_keys_version AS v FROM instance').get() as { v: number }).v;

describe('migration 0005 (api keys version)', () => {
  it('counts key inserts, changes and deletes, not the recording of last use', () => {
    store = tempStore();
    const db = store.open();
    expect(version(db)).toBe(0);
    db.prepare(
      "INSERT INTO api_keys (id, type, key_hash) VALUES (1, 'system', zeroblob(32))",
    ).run();
    expect(version(db)).toBe(1);
    db.prepare("UPDATE api_keys SET last_used_at = '2026-01-01T00:00:00Z'").run();
    expect(version(db)).toBe(1);
    db.prepare("UPDATE api_keys SET revoked_at = '2026-01-01T00:00:00Z'").run();
    expect(version(db)).toBe(2);
    db.prepare('DELETE FROM api_keys').run();
    expect(version(db)).toBe(3);
  });

  it('reverts to migration 4, dropping the counter and its triggers, and applies again', () => {
    store = tempStore();
    const db = store.open();
    expect(migrateDown(db, MIGRATIONS, 4)).toEqual([6, 5]);
    db.prepare("INSERT INTO api_keys (type, key_hash) VALUES ('system', zeroblob(32))").run();
    expect(migrateUp(db, MIGRATIONS)).toEqual([5, 6]);
    expect(version(db)).toBe(0);
  });
});
