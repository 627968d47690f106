// What a feedgate instance answers over HTTP, as RemoteClient returns it, with the guards
// that check an answer's shape before it is trusted.

export interface Snapshot {
  /** The policy in the policy-file format, without `revision`. */
  policy: Record<string, unknown>;
  revision: number;
}

export type ApiKeyType = 'system' | 'feed' | 'personal';

/** A key as the server describes it (`/api/api-keys/`): `key` only in a create's answer. */
export interface ApiKeyInfo {
  id: number;
  type: ApiKeyType;
  key?: string;
  displayName?: string;
  description?: string;
  fullControl?: boolean;
  systemApis?: string[];
  packagePermissions?: string[];
  feed?: string;
  feedGroup?: string;
  user?: string;
  expiration?: string;
  logging?: string;
  createdAt?: string;
  /** Who created it (`Built-in/Admin`, `key 1 (system)`). */
  createdBy?: string;
  lastUsed?: string;
  revoked?: string;
}

/** The fields of a new key (the server generates its id and text). */
export type NewApiKeyInfo = Omit<
  ApiKeyInfo,
  'id' | 'key' | 'createdAt' | 'createdBy' | 'lastUsed' | 'revoked'
>;

/** A grant (`/api/security/permissions/`): one of user|group, one of feed|feedGroup or neither. */
export interface SecurityPermission {
  id: number;
  user?: string;
  group?: string;
  task: string;
  feed?: string;
  feedGroup?: string;
  deny: boolean;
}

export type NewSecurityPermission = Omit<SecurityPermission, 'id' | 'deny'> & { deny?: boolean };

/** A built-in user (`/api/security/users/`); the password is write-only. */
export interface SecurityUser {
  name: string;
  displayName?: string;
  email?: string;
  groups?: string[];
}

export type SecurityUserWrite = SecurityUser & { password?: string };

/** A group (`/api/security/groups/`) with its direct member users. */
export interface SecurityGroup {
  name: string;
  users: string[];
}

/** A task (`/api/security/tasks/`): feedScoped when every attribute may be granted at a feed. */
export interface SecurityTask {
  name: string;
  description?: string;
  feedScoped: boolean;
  attributes: string[];
}

export type NewSecurityTask = Omit<SecurityTask, 'feedScoped'>;

/** An attribute of the instance's catalog (`/api/security/attributes/list`). */
export interface SecurityTaskAttribute {
  name: string;
  feedScoped: boolean;
}

export function isPermission(value: unknown): value is SecurityPermission {
  const item = value as { id?: unknown; task?: unknown } | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.id === 'number' &&
    typeof item.task === 'string'
  );
}

export function isNamed(value: unknown): value is { name: string } {
  const item = value as { name?: unknown } | null;
  return typeof item === 'object' && item !== null && typeof item.name === 'string';
}

export const isUser = (value: unknown): value is SecurityUser => isNamed(value);

export const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** `users` is optional in the API's model (spec/http-api.md): absent means no members. */
export function isGroup(value: unknown): value is { name: string; users?: string[] } {
  const users = (value as { users?: unknown } | null)?.users;
  return isNamed(value) && (users === undefined || isStringList(users));
}

export function isTask(value: unknown): value is SecurityTask {
  const item = value as { feedScoped?: unknown; attributes?: unknown };
  return isNamed(value) && typeof item.feedScoped === 'boolean' && isStringList(item.attributes);
}

export function isAttribute(value: unknown): value is SecurityTaskAttribute {
  return isNamed(value) && typeof (value as { feedScoped?: unknown }).feedScoped === 'boolean';
}

/** The user without a password, whatever the server sent. */
export function withoutPassword(user: SecurityUser): SecurityUser {
  const { password: _password, ...rest } = user as SecurityUserWrite;
  return rest;
}

export function isApiKeyInfo(value: unknown): value is ApiKeyInfo {
  const item = value as { id?: unknown; type?: unknown } | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.id === 'number' &&
    (item.type === 'system' || item.type === 'feed' || item.type === 'personal')
  );
}

export interface DirectoryInfo {
  name: string;
  type: 'builtin' | 'ldap';
  active: boolean;
  config?: Record<string, unknown> & { hasBindPassword?: boolean };
  /** false for an LDAP directory without settings. */
  configured?: boolean;
}

/** What `directories/{name}/test` found, step by step. */
export interface DirectoryTestResult {
  ok: boolean;
  directory: string;
  connection?: { url: string; security: string };
  user?: {
    name: string;
    found: boolean;
    dn?: string;
    displayName?: string;
    email?: string;
    groups?: string[];
  };
  signIn?: { ok: boolean; code?: string; message?: string };
  error?: { code: string; message: string };
}

/** A user or group a directory search found (`directories/{name}/principals`). */
export interface DirectoryPrincipal {
  kind: 'user' | 'group';
  name: string;
  displayName?: string;
  email?: string;
}

export function isDirectoryPrincipal(value: unknown): value is DirectoryPrincipal {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return isNamed(value) && (kind === 'user' || kind === 'group');
}

export function isDirectory(value: unknown): value is DirectoryInfo {
  const item = value as { type?: unknown; active?: unknown };
  return (
    isNamed(value) &&
    (item.type === 'builtin' || item.type === 'ldap') &&
    typeof item.active === 'boolean'
  );
}

/** The directory without a bind password, whatever the server sent. */
export function withoutBindPassword(directory: DirectoryInfo): DirectoryInfo {
  if (directory.config === undefined) return directory;
  const { bindPassword: _secret, ...config } = directory.config;
  return { ...directory, config };
}

/** An audit entry (`/api/feedgate/v1/audit`): the key's id, never its text. */
export interface AuditEntry {
  id: number;
  time: string;
  /** The user acted for (`Built-in/Admin`) or the key (`key 3 (system)`). */
  actor: string | null;
  keyId: number | null;
  action: string;
  detail: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntry[];
  next: number | null;
}

export function isAuditEntry(value: unknown): value is AuditEntry {
  const item = value as Partial<Record<keyof AuditEntry, unknown>> | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.id === 'number' &&
    typeof item.time === 'string' &&
    (item.actor === null || typeof item.actor === 'string') &&
    (item.keyId === null || typeof item.keyId === 'number') &&
    typeof item.action === 'string' &&
    typeof item.detail === 'object' &&
    item.detail !== null
  );
}

/** A feed (`/api/management/feeds/`). */
export interface FeedInfo {
  name: string;
  feedType: string;
  access: string;
  feedGroup?: string;
  description: string;
  createdAt: string | null;
  packageCount: number;
}

export interface NewFeedInfo {
  name: string;
  feedType?: string;
  access?: string;
  feedGroup?: string;
  description?: string;
}

export interface FeedGroupInfo {
  name: string;
  feeds: string[];
}

export function isFeed(value: unknown): value is FeedInfo {
  const item = value as { feedType?: unknown; access?: unknown; packageCount?: unknown };
  return (
    isNamed(value) &&
    typeof item.feedType === 'string' &&
    typeof item.access === 'string' &&
    typeof item.packageCount === 'number'
  );
}

export function isFeedGroup(value: unknown): value is FeedGroupInfo {
  return isNamed(value) && Array.isArray((value as { feeds?: unknown }).feeds);
}
