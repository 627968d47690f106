// A small typed client for a feedgate instance over HTTP (Node's global fetch): the v1
// snapshot (the whole policy with its revision) and v1 changes (a change set guarded by
// If-Match), and the security API (grants, users, groups, tasks, attributes). Every failure
// is a RemoteError with a plain message that never holds the key.
import type { ChangeSet } from '../core/index';
import type { ResolvedSource } from './sources';

export const DEFAULT_TIMEOUT_MS = 30_000;

export type RemoteErrorKind =
  | 'access-denied'
  | 'not-instance'
  | 'lockout'
  | 'conflict'
  | 'precondition'
  | 'rejected'
  | 'network'
  | 'timeout'
  | 'server';

export class RemoteError extends Error {
  constructor(
    readonly kind: RemoteErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

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

export interface RemoteClientOptions {
  timeoutMs?: number;
}

type Auth = Pick<ResolvedSource, 'auth'> &
  Partial<{ apiKey: string; username: string; password: string }>;

function authHeaders(source: Auth): Record<string, string> {
  if (source.auth === 'api-key' && source.apiKey !== undefined)
    return { 'X-ApiKey': source.apiKey };
  if (source.auth === 'password' && source.username !== undefined)
    return {
      authorization: `Basic ${Buffer.from(`${source.username}:${source.password ?? ''}`).toString('base64')}`,
    };
  return {};
}

/** Removes every secret from a text (a server or a proxy could echo it). */
function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join('***');
  return out;
}

function isPermission(value: unknown): value is SecurityPermission {
  const item = value as { id?: unknown; task?: unknown } | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.id === 'number' &&
    typeof item.task === 'string'
  );
}

function isNamed(value: unknown): value is { name: string } {
  const item = value as { name?: unknown } | null;
  return typeof item === 'object' && item !== null && typeof item.name === 'string';
}

const isUser = (value: unknown): value is SecurityUser => isNamed(value);

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** `users` is optional in the API's model (spec/http-api.md): absent means no members. */
function isGroup(value: unknown): value is { name: string; users?: string[] } {
  const users = (value as { users?: unknown } | null)?.users;
  return isNamed(value) && (users === undefined || isStringList(users));
}

function isTask(value: unknown): value is SecurityTask {
  const item = value as { feedScoped?: unknown; attributes?: unknown };
  return isNamed(value) && typeof item.feedScoped === 'boolean' && isStringList(item.attributes);
}

function isAttribute(value: unknown): value is SecurityTaskAttribute {
  return isNamed(value) && typeof (value as { feedScoped?: unknown }).feedScoped === 'boolean';
}

/** The user without a password, whatever the server sent. */
function withoutPassword(user: SecurityUser): SecurityUser {
  const { password: _password, ...rest } = user as SecurityUserWrite;
  return rest;
}

function isApiKeyInfo(value: unknown): value is ApiKeyInfo {
  const item = value as { id?: unknown; type?: unknown } | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.id === 'number' &&
    (item.type === 'system' || item.type === 'feed' || item.type === 'personal')
  );
}

const DIRECTORIES = '/api/feedgate/v1/directories';
const directoryPath = (name: string) => `${DIRECTORIES}/${encodeURIComponent(name)}`;

/** A directory (`/api/feedgate/v1/directories`); LDAP settings without the bind password. */
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

function isDirectoryPrincipal(value: unknown): value is DirectoryPrincipal {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return isNamed(value) && (kind === 'user' || kind === 'group');
}

function isDirectory(value: unknown): value is DirectoryInfo {
  const item = value as { type?: unknown; active?: unknown };
  return (
    isNamed(value) &&
    (item.type === 'builtin' || item.type === 'ldap') &&
    typeof item.active === 'boolean'
  );
}

/** The directory without a bind password, whatever the server sent. */
function withoutBindPassword(directory: DirectoryInfo): DirectoryInfo {
  if (directory.config === undefined) return directory;
  const { bindPassword: _secret, ...config } = directory.config;
  return { ...directory, config };
}

export class RemoteClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];
  private readonly timeoutMs: number;

  constructor(source: { url: string } & Auth, options: RemoteClientOptions = {}) {
    this.base = source.url.replace(/\/+$/, '');
    this.headers = authHeaders(source);
    this.secrets = [source.apiKey, source.password].filter(
      (s): s is string => typeof s === 'string',
    );
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  get url(): string {
    return this.base;
  }

  async getSnapshot(): Promise<Snapshot> {
    const body = await this.call('GET', '/api/feedgate/v1/snapshot');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw this.notInstance();
    const { revision, ...policy } = body as Record<string, unknown>;
    if (typeof revision !== 'number' || !Number.isInteger(revision)) throw this.notInstance();
    return { policy, revision };
  }

  async postChanges(
    changeSet: ChangeSet,
    revision: number,
    options: { allowLockout?: boolean } = {},
  ): Promise<{ revision: number; applied: number }> {
    const payload = { ...changeSet, ...(options.allowLockout === true && { allowLockout: true }) };
    const body = await this.call('POST', '/api/feedgate/v1/changes', payload, {
      'if-match': `"${revision}"`,
    });
    const result = body as { revision?: unknown; applied?: unknown } | null;
    if (typeof result?.revision !== 'number') throw this.notInstance();
    return {
      revision: result.revision,
      applied: typeof result.applied === 'number' ? result.applied : 0,
    };
  }

  /** Every key of the instance (never their text). */
  async listApiKeys(): Promise<ApiKeyInfo[]> {
    const body = await this.call('GET', '/api/api-keys/list');
    if (!Array.isArray(body) || !body.every(isApiKeyInfo)) throw this.notInstance();
    return body;
  }

  /** A new key: the answer holds its text (`key`), shown this once. */
  async createApiKey(info: NewApiKeyInfo): Promise<ApiKeyInfo & { key: string }> {
    const body = await this.call('POST', '/api/api-keys/create', info);
    if (!isApiKeyInfo(body) || typeof body.key !== 'string') throw this.notInstance();
    return body as ApiKeyInfo & { key: string };
  }

  /** Revokes a key; `revoked` is false when it was already revoked. */
  async deleteApiKey(id: number): Promise<{ id: number; revoked: boolean }> {
    const body = await this.call('POST', `/api/api-keys/delete?id=${encodeURIComponent(id)}`);
    const result = body as { id?: unknown; revoked?: unknown } | null;
    if (typeof result?.id !== 'number' || typeof result.revoked !== 'boolean')
      throw this.notInstance();
    return { id: result.id, revoked: result.revoked };
  }

  /**
   * One page of the audit log, newest first: the entries below `before` (from the newest when
   * absent); `next` is the `before` of the following page, null after the last one.
   */
  async listAudit(options: { before?: number; limit?: number } = {}): Promise<AuditPage> {
    const query = new URLSearchParams({ order: 'newest' });
    if (options.before !== undefined) query.set('before', String(options.before));
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const body = await this.call('GET', `/api/feedgate/v1/audit?${query}`);
    const page = body as { entries?: unknown; next?: unknown } | null;
    if (
      !Array.isArray(page?.entries) ||
      !page.entries.every(isAuditEntry) ||
      (page.next !== null && typeof page.next !== 'number')
    )
      throw this.notInstance();
    return { entries: page.entries, next: page.next };
  }

  /** Every feed with its type, access, group, description and package count. */
  async listFeeds(): Promise<FeedInfo[]> {
    const body = await this.call('GET', '/api/management/feeds/list');
    if (!Array.isArray(body) || !body.every(isFeed)) throw this.notInstance();
    return body;
  }

  /** Creates a feed; an existing name is refused (409). */
  async createFeed(feed: NewFeedInfo): Promise<FeedInfo> {
    const body = await this.call('POST', '/api/management/feeds/create', feed);
    if (!isFeed(body)) throw this.notInstance();
    return body;
  }

  /** Deletes a feed; without `force`, one with grants, packages or feed keys is refused (409). */
  async deleteFeed(name: string, options: { force?: boolean } = {}): Promise<void> {
    const query = options.force === true ? '?force=true' : '';
    await this.missingAs(`feed "${name}"`, () =>
      this.call('POST', `/api/management/feeds/delete/${encodeURIComponent(name)}${query}`),
    );
  }

  /** Every feed group with its feeds. */
  async listFeedGroups(): Promise<FeedGroupInfo[]> {
    const body = await this.call('GET', '/api/management/feed-groups/list');
    if (!Array.isArray(body) || !body.every(isFeedGroup)) throw this.notInstance();
    return body;
  }

  async createFeedGroup(name: string): Promise<FeedGroupInfo> {
    const body = await this.call('POST', '/api/management/feed-groups/create', { name });
    if (!isFeedGroup(body)) throw this.notInstance();
    return body;
  }

  /** Deletes a feed group; without `force`, one with feeds, grants or feed keys is refused (409). */
  async deleteFeedGroup(name: string, options: { force?: boolean } = {}): Promise<void> {
    const query = options.force === true ? '?force=true' : '';
    await this.missingAs(`feed group "${name}"`, () =>
      this.call('POST', `/api/management/feed-groups/delete/${encodeURIComponent(name)}${query}`),
    );
  }

  /** A 404 of an item endpoint: the item is missing (the instance answered the list before). */
  private async missingAs<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof RemoteError && error.status === 404)
        throw new RemoteError('rejected', `the server refused the request: no ${what}`, 404);
      throw error;
    }
  }

  /** Every grant of the active directory. */
  async listPermissions(): Promise<SecurityPermission[]> {
    const body = await this.call('GET', '/api/security/permissions/list');
    if (!Array.isArray(body) || !body.every(isPermission)) throw this.notInstance();
    return body;
  }

  /** Adds a grant; the answer holds its new id. */
  async addPermission(permission: NewSecurityPermission): Promise<SecurityPermission> {
    const body = await this.call('POST', '/api/security/permissions/add', permission);
    if (!isPermission(body)) throw this.notInstance();
    return body;
  }

  /** Removes a grant; `found` is false when there was none with that id. */
  async deletePermission(id: number): Promise<{ id: number; found: boolean }> {
    const body = await this.call(
      'POST',
      `/api/security/permissions/delete?permissionId=${encodeURIComponent(id)}`,
    );
    const result = body as { found?: unknown } | null;
    if (typeof result?.found !== 'boolean') throw this.notInstance();
    return { id, found: result.found };
  }

  /** The built-in users (never a password). */
  async listUsers(searchTerm?: string): Promise<SecurityUser[]> {
    const query = searchTerm === undefined ? '' : `?search-term=${encodeURIComponent(searchTerm)}`;
    const body = await this.call('GET', `/api/security/users/list${query}`);
    if (!Array.isArray(body) || !body.every(isUser)) throw this.notInstance();
    return body.map(withoutPassword);
  }

  async addUser(user: SecurityUserWrite): Promise<SecurityUser> {
    const body = await this.call('POST', '/api/security/users/add', user);
    if (!isUser(body)) throw this.notInstance();
    return withoutPassword(body);
  }

  /** Absent fields are left unchanged. */
  async updateUser(user: SecurityUserWrite): Promise<SecurityUser> {
    const body = await this.call('POST', '/api/security/users/update', user);
    if (!isUser(body)) throw this.notInstance();
    return withoutPassword(body);
  }

  /** Deletes a user with its memberships, grants and personal keys. */
  async deleteUser(name: string): Promise<{ grantsRemoved: number }> {
    return this.deletePrincipal('user', name);
  }

  /** Every group with its direct member users. */
  async listGroups(): Promise<SecurityGroup[]> {
    const body = await this.call('GET', '/api/security/groups/list');
    if (!Array.isArray(body) || !body.every(isGroup)) throw this.notInstance();
    return body.map((g) => ({ name: g.name, users: g.users ?? [] }));
  }

  async addGroup(group: SecurityGroup): Promise<SecurityGroup> {
    return this.groupWrite('add', group);
  }

  /** Replaces the group's whole list of member users (nested groups are kept). */
  async updateGroup(group: SecurityGroup): Promise<SecurityGroup> {
    return this.groupWrite('update', group);
  }

  /** Deletes a group with its memberships and grants. */
  async deleteGroup(name: string): Promise<{ grantsRemoved: number }> {
    return this.deletePrincipal('group', name);
  }

  /** Every task, the built-in ones included. */
  async listTasks(): Promise<SecurityTask[]> {
    const body = await this.call('GET', '/api/security/tasks/list');
    if (!Array.isArray(body) || !body.every(isTask)) throw this.notInstance();
    return body;
  }

  /** Creates a task, or replaces one of the same name (`edited` is then true). */
  async addTask(task: NewSecurityTask): Promise<SecurityTask & { edited: boolean }> {
    const body = await this.call('POST', '/api/security/tasks/add', task);
    if (!isTask(body)) throw this.notInstance();
    const { edited, ...rest } = body as SecurityTask & { edited?: unknown };
    return { ...rest, edited: edited === true };
  }

  /** Deletes a task; the server refuses a built-in task or one used by a grant. */
  async deleteTask(name: string): Promise<void> {
    await this.call('DELETE', `/api/security/tasks/delete?task=${encodeURIComponent(name)}`);
  }

  /** The instance's attribute catalog. */
  async listAttributes(): Promise<SecurityTaskAttribute[]> {
    const body = await this.call('GET', '/api/security/attributes/list');
    if (!Array.isArray(body) || !body.every(isAttribute)) throw this.notInstance();
    return body;
  }

  private async groupWrite(verb: 'add' | 'update', group: SecurityGroup): Promise<SecurityGroup> {
    const body = await this.call('POST', `/api/security/groups/${verb}`, group);
    if (!isGroup(body)) throw this.notInstance();
    return { name: body.name, users: body.users ?? [] };
  }

  private async deletePrincipal(
    kind: 'user' | 'group',
    name: string,
  ): Promise<{ grantsRemoved: number }> {
    const body = await this.call(
      'DELETE',
      `/api/security/${kind}s/delete?${kind}=${encodeURIComponent(name)}`,
    );
    const result = body as { grantsRemoved?: unknown } | null;
    if (typeof result !== 'object' || result === null) throw this.notInstance();
    return { grantsRemoved: typeof result.grantsRemoved === 'number' ? result.grantsRemoved : 0 };
  }

  /** Every directory of the instance; LDAP ones with their settings (never a bind password). */
  async listDirectories(): Promise<DirectoryInfo[]> {
    const body = await this.call('GET', DIRECTORIES);
    if (!Array.isArray(body) || !body.every(isDirectory)) throw this.notInstance();
    return body.map(withoutBindPassword);
  }

  /** Adds an inactive LDAP directory (a preset fills what `config` leaves out). */
  async addDirectory(config: Record<string, unknown>): Promise<DirectoryInfo> {
    return this.directoryWrite('POST', DIRECTORIES, config);
  }

  /** Changes the given settings of an LDAP directory; the bind password is kept unless given. */
  async editDirectory(
    name: string,
    changes: Record<string, unknown>,
    options: { force?: boolean } = {},
  ): Promise<DirectoryInfo> {
    const query = options.force === true ? '?force=true' : '';
    return this.directoryWrite('PATCH', `${directoryPath(name)}${query}`, changes);
  }

  async removeDirectory(name: string): Promise<void> {
    await this.call('DELETE', directoryPath(name));
  }

  /** Binds, looks `user` up with their groups, and tries `password`: changes nothing. */
  async testDirectory(
    name: string,
    login: { user?: string; password?: string } = {},
  ): Promise<DirectoryTestResult> {
    const body = await this.call('POST', `${directoryPath(name)}/test`, login);
    const result = body as { ok?: unknown } | null;
    if (typeof result?.ok !== 'boolean') throw this.notInstance();
    return body as DirectoryTestResult;
  }

  /** A page of the users and groups of directory `name` (LDAP searched by the server) whose names contain `term`. */
  async searchDirectoryPrincipals(
    name: string,
    term: string,
    options: { kind?: 'user' | 'group' | 'both'; pageSize?: number } = {},
  ): Promise<DirectoryPrincipal[]> {
    const query = new URLSearchParams({
      search: term,
      kind: options.kind ?? 'both',
      ...(options.pageSize !== undefined && { pageSize: String(options.pageSize) }),
    });
    const body = await this.call('GET', `${directoryPath(name)}/principals?${query}`);
    const principals = (body as { principals?: unknown } | null)?.principals;
    if (!Array.isArray(principals) || !principals.every(isDirectoryPrincipal))
      throw this.notInstance();
    return principals.map((p) => ({
      kind: p.kind,
      name: p.name,
      ...(typeof p.displayName === 'string' && { displayName: p.displayName }),
      ...(typeof p.email === 'string' && { email: p.email }),
    }));
  }

  /** Makes `name` the active directory; `force` accepts a lockout. */
  async activateDirectory(
    name: string,
    options: { force?: boolean } = {},
  ): Promise<{ name: string; changed: boolean; revision: number }> {
    const body = await this.call('PUT', `${DIRECTORIES}/active`, {
      name,
      ...(options.force === true && { force: true }),
    });
    const result = body as { changed?: unknown; revision?: unknown } | null;
    if (typeof result?.changed !== 'boolean' || typeof result.revision !== 'number')
      throw this.notInstance();
    return { name, changed: result.changed, revision: result.revision };
  }

  private async directoryWrite(
    method: 'POST' | 'PATCH',
    target: string,
    payload: Record<string, unknown>,
  ): Promise<DirectoryInfo> {
    const body = await this.call(method, target, payload);
    if (!isDirectory(body)) throw this.notInstance();
    return withoutBindPassword(body);
  }

  private notInstance(): RemoteError {
    return new RemoteError('not-instance', `${this.base} is not a feedgate instance`);
  }

  private async call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    target: string,
    payload?: unknown,
    extra: Record<string, string> = {},
  ): Promise<unknown> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.base + target, {
        method,
        headers: {
          accept: 'application/json',
          ...(payload !== undefined && { 'content-type': 'application/json' }),
          ...this.headers,
          ...extra,
        },
        ...(payload !== undefined && { body: JSON.stringify(payload) }),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      throw this.transportError(error);
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok) {
      if (body === undefined) throw this.notInstance();
      return body;
    }
    const serverMessage = redact(
      typeof (body as { error?: unknown } | undefined)?.error === 'string'
        ? (body as { error: string }).error
        : `HTTP ${response.status}`,
      this.secrets,
    );
    switch (response.status) {
      case 401:
      case 403:
        throw new RemoteError(
          'access-denied',
          'access denied (check the API key)',
          response.status,
        );
      case 404:
        throw new RemoteError('not-instance', `${this.base} is not a feedgate instance`, 404);
      case 409:
        throw new RemoteError('lockout', serverMessage, 409);
      case 412:
        throw new RemoteError(
          'conflict',
          'the policy changed on the server since it was read; run the command again',
          412,
        );
      case 428:
        throw new RemoteError('precondition', serverMessage, 428);
      case 400:
        throw new RemoteError('rejected', `the server refused the request: ${serverMessage}`, 400);
      default:
        throw new RemoteError(
          'server',
          `${this.base} answered HTTP ${response.status}: ${serverMessage}`,
          response.status,
        );
    }
  }

  private transportError(error: unknown): RemoteError {
    const name = (error as Error | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError')
      return new RemoteError(
        'timeout',
        `cannot reach ${this.base}: no answer within ${this.timeoutMs / 1000} s`,
      );
    const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error | null)?.message ?? 'unknown';
    return new RemoteError(
      'network',
      `cannot reach ${this.base}: ${redact(String(reason), this.secrets)}`,
    );
  }
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

function isAuditEntry(value: unknown): value is AuditEntry {
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

function isFeed(value: unknown): value is FeedInfo {
  const item = value as { feedType?: unknown; access?: unknown; packageCount?: unknown };
  return (
    isNamed(value) &&
    typeof item.feedType === 'string' &&
    typeof item.access === 'string' &&
    typeof item.packageCount === 'number'
  );
}

function isFeedGroup(value: unknown): value is FeedGroupInfo {
  return isNamed(value) && Array.isArray((value as { feeds?: unknown }).feeds);
}
