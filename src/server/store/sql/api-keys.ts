// API keys: only the SHA-256 hash of a key's text is stored (see auth/api-keys.ts). Lookups go
// through the unique index on key_hash.
import type { Db } from '../database';
import { bit, prepared } from '../statements';

const COLUMNS = `k.id, k.type, k.display_name AS displayName, k.description,
  k.key_hash AS keyHash, k.full_control AS fullControl, k.system_apis AS systemApis,
  k.package_permissions AS packagePermissions, f.name AS feed, fg.name AS feedGroup,
  k.user_id AS userId, u.name AS user, d.name AS directory, k.logging,
  k.created_at AS createdAt, k.created_by AS createdBy, k.expires_at AS expiresAt,
  k.revoked_at AS revokedAt, k.last_used_at AS lastUsedAt`;
const FROM = `FROM api_keys k
  LEFT JOIN feeds f ON f.id = k.feed_id
  LEFT JOIN feed_groups fg ON fg.id = k.feed_group_id
  LEFT JOIN principals u ON u.id = k.user_id
  LEFT JOIN directories d ON d.id = u.directory_id`;

const SQL = {
  insert: `INSERT INTO api_keys (type, display_name, description, key_hash, full_control,
      system_apis, package_permissions, feed_id, feed_group_id, user_id, logging, created_at,
      created_by, expires_at)
    VALUES (@type, @displayName, @description, @keyHash, @fullControl, @systemApis,
      @packagePermissions, @feedId, @feedGroupId, @userId, @logging, @createdAt, @createdBy,
      @expiresAt)`,
  byHash: `SELECT ${COLUMNS} ${FROM} WHERE k.key_hash = ?`,
  byId: `SELECT ${COLUMNS} ${FROM} WHERE k.id = ?`,
  list: `SELECT ${COLUMNS} ${FROM} ORDER BY k.id`,
  revoke: 'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  touch: 'UPDATE api_keys SET last_used_at = ? WHERE id = ?',
  remove: 'DELETE FROM api_keys WHERE id = ?',
} as const;

export type ApiKeyType = 'system' | 'feed' | 'personal';
export type ApiKeyLogging = 'none' | 'request' | 'response' | 'both';

export interface ApiKeyRow {
  id: number;
  type: ApiKeyType;
  displayName: string | null;
  description: string | null;
  keyHash: Buffer;
  fullControl: 0 | 1;
  /** JSON array or null. */
  systemApis: string | null;
  /** JSON array or null. */
  packagePermissions: string | null;
  feed: string | null;
  feedGroup: string | null;
  userId: number | null;
  user: string | null;
  directory: string | null;
  logging: ApiKeyLogging;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface ApiKeyInsert {
  type: ApiKeyType;
  displayName: string | null;
  description: string | null;
  keyHash: Buffer;
  fullControl: boolean;
  systemApis: readonly string[] | null;
  packagePermissions: readonly string[] | null;
  feedId: number | null;
  feedGroupId: number | null;
  userId: number | null;
  logging: ApiKeyLogging;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
}

const json = (list: readonly string[] | null) => (list === null ? null : JSON.stringify(list));

export function insertApiKey(db: Db, key: ApiKeyInsert): number {
  const result = prepared(db, SQL).insert.run({
    ...key,
    fullControl: bit(key.fullControl),
    systemApis: json(key.systemApis),
    packagePermissions: json(key.packagePermissions),
  });
  return Number(result.lastInsertRowid);
}

export function apiKeyByHash(db: Db, hash: Buffer): ApiKeyRow | undefined {
  return prepared(db, SQL).byHash.get(hash) as ApiKeyRow | undefined;
}

export function apiKeyById(db: Db, id: number): ApiKeyRow | undefined {
  return prepared(db, SQL).byId.get(id) as ApiKeyRow | undefined;
}

export function listApiKeys(db: Db): ApiKeyRow[] {
  return prepared(db, SQL).list.all() as ApiKeyRow[];
}

/** Marks a key revoked; false when it is unknown or already revoked. */
export function revokeApiKey(db: Db, id: number, at: string): boolean {
  return prepared(db, SQL).revoke.run(at, id).changes === 1;
}

export function touchApiKey(db: Db, id: number, at: string): void {
  prepared(db, SQL).touch.run(at, id);
}

export function removeApiKey(db: Db, id: number): boolean {
  return prepared(db, SQL).remove.run(id).changes === 1;
}
