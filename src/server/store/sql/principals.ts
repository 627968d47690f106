// Principals of a directory: users (with their profile and password hash), groups, virtual
// principals (Anonymous, Authenticated, Everyone: rows only so that grants can name them),
// and memberships (user in group, group in group).
import type { Db } from '../database';
import { bit, prepared } from '../statements';

const SQL = {
  list: `SELECT p.id, p.kind, p.name, p.virtual, u.display_name AS displayName, u.email
    FROM principals p LEFT JOIN users u ON u.principal_id = p.id
    WHERE p.directory_id = ? ORDER BY p.id`,
  insert: `INSERT INTO principals (directory_id, kind, name, virtual)
    VALUES (@directoryId, @kind, @name, @virtual)
    ON CONFLICT (directory_id, kind, name) DO NOTHING`,
  find: 'SELECT id FROM principals WHERE directory_id = ? AND kind = ? AND name = ?',
  remove: 'DELETE FROM principals WHERE id = ?',
  upsertUser: `INSERT INTO users (principal_id, display_name, email)
    VALUES (@id, @displayName, @email)
    ON CONFLICT (principal_id) DO UPDATE
      SET display_name = excluded.display_name, email = excluded.email`,
  credentials: `SELECT u.principal_id AS id, u.enabled, u.password_hash AS hash,
      u.password_salt AS salt, u.password_params AS params
    FROM users u JOIN principals p ON p.id = u.principal_id
    WHERE p.directory_id = ? AND p.kind = 'user' AND p.name = ?`,
  setPassword: `UPDATE users SET password_hash = @hash, password_salt = @salt, password_params = @params
    WHERE principal_id = @id`,
  setEnabled: 'UPDATE users SET enabled = ? WHERE principal_id = ?',
  memberships: `SELECT g.name AS groupName, m.kind AS memberKind, m.name AS memberName
    FROM memberships ms
    JOIN principals g ON g.id = ms.group_id
    JOIN principals m ON m.id = ms.member_id
    WHERE ms.directory_id = ? ORDER BY ms.group_id, ms.member_id`,
  clearMemberships: 'DELETE FROM memberships WHERE directory_id = ?',
  addMembership: `INSERT INTO memberships (directory_id, group_id, member_id)
    VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
} as const;

export type PrincipalKind = 'user' | 'group';

export interface PrincipalRow {
  id: number;
  kind: PrincipalKind;
  name: string;
  virtual: 0 | 1;
  displayName: string | null;
  email: string | null;
}

export interface MembershipRow {
  groupName: string;
  memberKind: PrincipalKind;
  memberName: string;
}

/** A stored password: scrypt output, its salt and the parameters it was made with (JSON). */
export interface StoredPassword {
  hash: Buffer;
  salt: Buffer;
  params: string;
}

export interface UserCredentials {
  id: number;
  enabled: 0 | 1;
  hash: Buffer | null;
  salt: Buffer | null;
  params: string | null;
}

export function listPrincipals(db: Db, directoryId: number): PrincipalRow[] {
  return prepared(db, SQL).list.all(directoryId) as PrincipalRow[];
}

export function findPrincipal(
  db: Db,
  directoryId: number,
  kind: PrincipalKind,
  name: string,
): number | undefined {
  return (prepared(db, SQL).find.get(directoryId, kind, name) as { id: number } | undefined)?.id;
}

/** The id of a principal, inserted if missing. */
export function ensurePrincipal(
  db: Db,
  directoryId: number,
  kind: PrincipalKind,
  name: string,
  virtual = false,
): number {
  prepared(db, SQL).insert.run({ directoryId, kind, name, virtual: bit(virtual) });
  return findPrincipal(db, directoryId, kind, name) as number;
}

export function removePrincipal(db: Db, id: number): void {
  prepared(db, SQL).remove.run(id);
}

/** Sets a user's profile, creating its users row (without a password) if missing. */
export function upsertUserProfile(
  db: Db,
  id: number,
  displayName: string | undefined,
  email: string | undefined,
): void {
  prepared(db, SQL).upsertUser.run({ id, displayName: displayName ?? null, email: email ?? null });
}

export function userCredentials(
  db: Db,
  directoryId: number,
  name: string,
): UserCredentials | undefined {
  return prepared(db, SQL).credentials.get(directoryId, name) as UserCredentials | undefined;
}

export function setUserPassword(db: Db, id: number, password: StoredPassword): void {
  prepared(db, SQL).setPassword.run({ id, ...password });
}

export function setUserEnabled(db: Db, id: number, enabled: boolean): void {
  prepared(db, SQL).setEnabled.run(bit(enabled), id);
}

export function listMemberships(db: Db, directoryId: number): MembershipRow[] {
  return prepared(db, SQL).memberships.all(directoryId) as MembershipRow[];
}

export function clearMemberships(db: Db, directoryId: number): void {
  prepared(db, SQL).clearMemberships.run(directoryId);
}

export function addMembership(
  db: Db,
  directoryId: number,
  groupId: number,
  memberId: number,
): void {
  prepared(db, SQL).addMembership.run(directoryId, groupId, memberId);
}
