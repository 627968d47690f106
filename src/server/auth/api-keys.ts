// API keys of the instance: system (full control or a set of APIs), feed (one feed or feed
// group, with package permissions) and personal (acts as its user, never more).
//
// A key's text is 32 crypto-random bytes (256 bits) in base64url behind the prefix `fgk_`, so
// it is recognizable in a leaked file or a secret scanner. Only its SHA-256 hash is stored:
// a fast hash is enough here, unlike for passwords, because the input is high-entropy. Nobody
// can guess or brute-force a 256-bit random value, so slowing each guess down (scrypt) would
// add nothing but cost to every request; a fast hash also makes the lookup an index search.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/database';
import {
  apiKeyByHash,
  apiKeyById,
  insertApiKey,
  type ApiKeyLogging,
  type ApiKeyRow,
  type ApiKeyType,
} from '../store/sql/api-keys';
import { listFeedGroups, listFeeds } from '../store/sql/catalog';
import { findPrincipal } from '../store/sql/principals';
import { resolveDirectory } from '../store/policy-read';
import { storeVersion, type StoreVersion } from '../store/sql/instance';
import { now } from '../store/statements';

export const API_KEY_PREFIX = 'fgk_';
const KEY_BYTES = 32;
const KEY_PATTERN = /^fgk_[A-Za-z0-9_-]{43}$/;
export const PACKAGE_PERMISSIONS = ['view', 'add', 'promote', 'delete'] as const;
export type PackagePermission = (typeof PACKAGE_PERMISSIONS)[number];
/** last_used_at is written at most this often per key, so that a busy key costs no write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Bad input for a new key: the message names the field. */
export class ApiKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyError';
  }
}

export interface NewApiKey {
  type: ApiKeyType;
  displayName?: string;
  description?: string;
  /** System keys: every API, including the security API. */
  fullControl?: boolean;
  /** System keys without full control: the APIs they may call. */
  systemApis?: readonly string[];
  /** Feed keys. */
  packagePermissions?: readonly PackagePermission[];
  /** Feed keys: exactly one of feed and feedGroup. */
  feed?: string;
  feedGroup?: string;
  /** Personal keys: the user they act as, in `directory` (default: the active one). */
  user?: string;
  directory?: string;
  /** ISO 8601 date-time or Date; absent = never expires. */
  expiration?: string | Date;
  logging?: ApiKeyLogging;
  /** Who created it (audit), e.g. `Built-in/Admin` or `feedgate apikeys create`. */
  createdBy?: string;
}

/** What the API shows of a key: never its text or hash. */
export interface ApiKeyInfo {
  id: number;
  type: ApiKeyType;
  displayName?: string;
  description?: string;
  fullControl?: boolean;
  systemApis?: string[];
  packagePermissions?: string[];
  feed?: string;
  feedGroup?: string;
  user?: string;
  expiration?: string;
  logging: ApiKeyLogging;
  createdAt: string;
  /** Who created it (the actor of its audit entry). */
  createdBy?: string;
  lastUsed?: string;
  revoked?: string;
}

export interface CreatedApiKey {
  /** The key text: returned here once, stored nowhere. */
  key: string;
  info: ApiKeyInfo;
}

export function hashApiKey(key: string): Buffer {
  return hash('sha256', key, 'buffer');
}

export function apiKeyInfo(row: ApiKeyRow): ApiKeyInfo {
  const list = (text: string | null) =>
    text === null ? undefined : (JSON.parse(text) as string[]);
  const info: ApiKeyInfo = {
    id: row.id,
    type: row.type,
    logging: row.logging,
    createdAt: row.createdAt,
  };
  if (row.displayName !== null) info.displayName = row.displayName;
  if (row.description !== null) info.description = row.description;
  if (row.type === 'system') info.fullControl = row.fullControl === 1;
  const systemApis = list(row.systemApis);
  if (systemApis) info.systemApis = systemApis;
  const packagePermissions = list(row.packagePermissions);
  if (packagePermissions) info.packagePermissions = packagePermissions;
  if (row.feed !== null) info.feed = row.feed;
  if (row.feedGroup !== null) info.feedGroup = row.feedGroup;
  if (row.user !== null) info.user = row.user;
  if (row.expiresAt !== null) info.expiration = row.expiresAt;
  if (row.createdBy !== null) info.createdBy = row.createdBy;
  if (row.lastUsedAt !== null) info.lastUsed = row.lastUsedAt;
  if (row.revokedAt !== null) info.revoked = row.revokedAt;
  return info;
}

function expiration(value: string | Date | undefined): string | null {
  if (value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new ApiKeyError(`expiration: "${String(value)}" is not an ISO 8601 date-time`);
  return date.toISOString();
}

function checkShape(info: NewApiKey): void {
  const only = (field: keyof NewApiKey, type: ApiKeyType) => {
    if (info[field] !== undefined && info.type !== type)
      throw new ApiKeyError(`${field} applies to ${type} keys only, not to ${info.type} keys`);
  };
  if (!['system', 'feed', 'personal'].includes(info.type))
    throw new ApiKeyError(`type: must be system, feed or personal, not "${String(info.type)}"`);
  only('fullControl', 'system');
  only('systemApis', 'system');
  only('packagePermissions', 'feed');
  only('feed', 'feed');
  only('feedGroup', 'feed');
  only('user', 'personal');
  only('directory', 'personal');
  if (info.type === 'feed' && (info.feed === undefined) === (info.feedGroup === undefined))
    throw new ApiKeyError('a feed key needs exactly one of feed and feedGroup');
  if (info.type === 'personal' && info.user === undefined)
    throw new ApiKeyError('user: a personal key needs the user it acts as');
  for (const p of info.packagePermissions ?? [])
    if (!(PACKAGE_PERMISSIONS as readonly string[]).includes(p))
      throw new ApiKeyError(
        `packagePermissions: unknown permission "${p}" (view, add, promote, delete)`,
      );
}

function idOf(
  rows: readonly { id: number; name: string }[],
  name: string | undefined,
  what: string,
) {
  if (name === undefined) return null;
  const row = rows.find((r) => r.name === name);
  if (!row) throw new ApiKeyError(`${what}: unknown ${what} "${name}"`);
  return row.id;
}

/** Creates a key and returns its text once. Bad input throws ApiKeyError. */
export function createApiKey(db: Db, info: NewApiKey): CreatedApiKey {
  checkShape(info);
  const key = API_KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
  const id = db.transaction(() => {
    let userId: number | null = null;
    if (info.type === 'personal') {
      const directory = resolveDirectory(db, info.directory);
      userId = findPrincipal(db, directory.id, 'user', info.user as string) ?? null;
      if (userId === null)
        throw new ApiKeyError(`user: unknown user "${info.user}" in directory "${directory.name}"`);
    }
    return insertApiKey(db, {
      type: info.type,
      displayName: info.displayName ?? null,
      description: info.description ?? null,
      keyHash: hashApiKey(key),
      fullControl: info.fullControl === true,
      systemApis: info.systemApis ?? null,
      packagePermissions: info.packagePermissions ?? null,
      feedId: idOf(listFeeds(db), info.feed, 'feed'),
      feedGroupId: idOf(listFeedGroups(db), info.feedGroup, 'feedGroup'),
      userId,
      logging: info.logging ?? 'none',
      createdAt: now(),
      createdBy: info.createdBy ?? null,
      expiresAt: expiration(info.expiration),
    });
  })();
  return { key, info: apiKeyInfo(apiKeyById(db, id) as ApiKeyRow) };
}

export type KeyLookup =
  | { status: 'valid'; key: ApiKeyRow }
  | { status: 'unknown' }
  | { status: 'revoked' | 'expired'; key: ApiKeyRow };

/** Finds the key with this text: valid, unknown, revoked or expired (at `at`). */
export function findApiKey(db: Db, text: string, at: Date = new Date()): KeyLookup {
  if (!KEY_PATTERN.test(text)) return { status: 'unknown' };
  return keyStatus(storedKey(db, hashApiKey(text)), at);
}

function storedKey(db: Db, keyHash: Buffer): ApiKeyRow | undefined {
  const key = apiKeyByHash(db, keyHash);
  // The index found it by equality already; the constant-time comparison states the intent.
  return key && key.keyHash.length === keyHash.length && timingSafeEqual(key.keyHash, keyHash)
    ? key
    : undefined;
}

function keyStatus(key: ApiKeyRow | undefined, at: Date): KeyLookup {
  if (!key) return { status: 'unknown' };
  if (key.revokedAt !== null) return { status: 'revoked', key };
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= at.getTime())
    return { status: 'expired', key };
  return { status: 'valid', key };
}

/** Verified key rows kept per process; beyond this many, the oldest is dropped. */
const MAX_CACHED_KEYS = 1024;

/**
 * findApiKey for a server answering many requests with the same few keys: the rows of keys
 * found are kept by hash while the store's key counter and policy revision are unchanged (one
 * single-row read per lookup, none when the request hands in the one it made; triggers bump
 * the counter on every key change, by any process), so a revoked or deleted key is refused on
 * the next request. Expiry is still checked against the row on every lookup. Unknown keys are
 * not kept: a caller guessing keys gets no cache.
 */
export class ApiKeyCache {
  private version = { revision: -1, apiKeysVersion: -1 };
  private readonly rows = new Map<string, ApiKeyRow>();

  constructor(private readonly db: Db) {}

  /** `known`: the store's version as the request read it when it began (see PolicyCache.current). */
  find(text: string, at: Date = new Date(), known?: StoreVersion): KeyLookup {
    if (!KEY_PATTERN.test(text)) return { status: 'unknown' };
    if (known === undefined || !this.isVersion(known)) {
      const version = storeVersion(this.db);
      if (!this.isVersion(version)) {
        this.rows.clear();
        this.version = { revision: version.revision, apiKeysVersion: version.apiKeysVersion };
      }
    }
    // The one-shot hash, straight to the map's key: ~0.5 µs, where createHash() and a
    // Buffer's base64 took ~5 µs of every request.
    const id = hash('sha256', text, 'base64');
    let key = this.rows.get(id);
    if (!key) {
      key = storedKey(this.db, Buffer.from(id, 'base64'));
      if (!key) return { status: 'unknown' };
      if (this.rows.size >= MAX_CACHED_KEYS)
        this.rows.delete(this.rows.keys().next().value as string);
      this.rows.set(id, key);
    }
    return keyStatus(key, at);
  }

  private isVersion({ revision, apiKeysVersion }: StoreVersion): boolean {
    return revision === this.version.revision && apiKeysVersion === this.version.apiKeysVersion;
  }

  /** Records a use written to the store, so that the kept row does not ask for it again. */
  used(id: number, at: string): void {
    for (const key of this.rows.values()) if (key.id === id) key.lastUsedAt = at;
  }
}
