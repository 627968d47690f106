// User directories: the built-in one (created by the first migration) and LDAP ones, whose
// settings are JSON without the bind password, which is stored sealed (migration 4).
// Exactly one is active: a partial unique index allows at most one, and switching clears and
// sets the flag in one transaction.
import type { Db } from '../database';
import { now, prepared } from '../statements';

const SQL = {
  list: 'SELECT id, name, kind, active FROM directories ORDER BY id',
  byName: 'SELECT id, name, kind, active FROM directories WHERE name = ?',
  active: 'SELECT id, name, kind, active FROM directories WHERE active = 1',
  clearActive: 'UPDATE directories SET active = 0 WHERE active = 1',
  setActive: 'UPDATE directories SET active = 1 WHERE id = ?',
  insert: 'INSERT INTO directories (name, kind) VALUES (?, ?) RETURNING id',
  ldapById: `SELECT id, name, kind, active, settings, bind_password_sealed AS bindPasswordSealed,
    updated_at AS updatedAt FROM directories WHERE id = ? AND kind = 'ldap'`,
  insertLdap: `INSERT INTO directories (name, kind, settings, bind_password_sealed, updated_at)
    VALUES (@name, 'ldap', @settings, @bindPasswordSealed, @updatedAt) RETURNING id`,
  updateLdap: `UPDATE directories SET name = @name, settings = @settings,
    bind_password_sealed = @bindPasswordSealed, updated_at = @updatedAt
    WHERE id = @id AND kind = 'ldap'`,
  sealPassword: "UPDATE directories SET bind_password_sealed = ? WHERE id = ? AND kind = 'ldap'",
  remove: "DELETE FROM directories WHERE id = ? AND kind = 'ldap' AND active = 0",
} as const;

export interface DirectoryRow {
  id: number;
  name: string;
  kind: 'builtin' | 'ldap';
  active: 0 | 1;
}

export function listDirectories(db: Db): DirectoryRow[] {
  return prepared(db, SQL).list.all() as DirectoryRow[];
}

export function directoryByName(db: Db, name: string): DirectoryRow | undefined {
  return prepared(db, SQL).byName.get(name) as DirectoryRow | undefined;
}

/** Adds an inactive directory (LDAP ones come with their settings later); returns its id. */
export function addDirectory(db: Db, name: string, kind: DirectoryRow['kind']): number {
  return (prepared(db, SQL).insert.get(name, kind) as { id: number }).id;
}

export function activeDirectory(db: Db): DirectoryRow | undefined {
  return prepared(db, SQL).active.get() as DirectoryRow | undefined;
}

/** Makes `id` the one active directory, in one transaction (a savepoint inside the caller's). */
export function setActiveDirectory(db: Db, id: number): void {
  const statements = prepared(db, SQL);
  db.transaction(() => {
    statements.clearActive.run();
    if (statements.setActive.run(id).changes !== 1) throw new Error(`no directory with id ${id}`);
  })();
}

/** An LDAP directory as stored: settings JSON (no password) and the sealed bind password. */
export interface LdapDirectoryRow extends DirectoryRow {
  kind: 'ldap';
  settings: string;
  bindPasswordSealed: Buffer | null;
  updatedAt: string;
}

export interface LdapDirectoryWrite {
  name: string;
  settings: string;
  bindPasswordSealed: Buffer | null;
}

export function ldapDirectoryById(db: Db, id: number): LdapDirectoryRow | undefined {
  return prepared(db, SQL).ldapById.get(id) as LdapDirectoryRow | undefined;
}

/** Adds an inactive LDAP directory; returns its id. */
export function insertLdapDirectory(db: Db, row: LdapDirectoryWrite): number {
  const inserted = prepared(db, SQL).insertLdap.get({ ...row, updatedAt: now() });
  return (inserted as { id: number }).id;
}

export function updateLdapDirectory(db: Db, id: number, row: LdapDirectoryWrite): void {
  prepared(db, SQL).updateLdap.run({ ...row, id, updatedAt: now() });
}

/** Seals a bind password again under its new context (`id` known only after the insert). */
export function setSealedBindPassword(db: Db, id: number, sealed: Buffer | null): void {
  prepared(db, SQL).sealPassword.run(sealed, id);
}

/** Deletes an inactive LDAP directory (its grants and principals go with it); false when none. */
export function removeLdapDirectory(db: Db, id: number): boolean {
  return prepared(db, SQL).remove.run(id).changes === 1;
}
