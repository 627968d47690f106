// User directories: the built-in one (created by the first migration) and, later, LDAP ones.
// Exactly one is active: a partial unique index allows at most one, and switching clears and
// sets the flag in one transaction.
import type { Db } from '../database';
import { prepared } from '../statements';

const SQL = {
  list: 'SELECT id, name, kind, active FROM directories ORDER BY id',
  byName: 'SELECT id, name, kind, active FROM directories WHERE name = ?',
  active: 'SELECT id, name, kind, active FROM directories WHERE active = 1',
  clearActive: 'UPDATE directories SET active = 0 WHERE active = 1',
  setActive: 'UPDATE directories SET active = 1 WHERE id = ?',
  insert: 'INSERT INTO directories (name, kind) VALUES (?, ?) RETURNING id',
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
