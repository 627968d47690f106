import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../../../../test/helpers/store';
import { MIGRATIONS, migrateDown, migrateUp } from '../index';

let store: TempStore;
afterEach(() => store.cleanup());

describe('migration 0004 (ldap directories)', () => {
  it('holds a sealed bind password for LDAP directories only', () => {
    store = tempStore();
    const db = store.open();
    db.prepare(
      "INSERT INTO directories (name, kind, bind_password_sealed) VALUES ('Corp', 'ldap', x'00')",
    ).run();
    expect(() =>
      db
        .prepare("UPDATE directories SET bind_password_sealed = x'00' WHERE kind = 'builtin'")
        .run(),
    ).toThrow(/CHECK/);
  });

  it('reverts to migration 3 and applies again, giving existing directories an update time', () => {
    store = tempStore();
    const db = store.open();
    expect(migrateDown(db, MIGRATIONS, 3)).toEqual([6, 5, 4]);
    expect(migrateUp(db, MIGRATIONS)).toEqual([4, 5, 6]);
    const row = db
      .prepare("SELECT updated_at AS updatedAt FROM directories WHERE kind = 'builtin'")
      .get() as { updatedAt: string | null };
    expect(row.updatedAt).not.toBeNull();
  });
});
