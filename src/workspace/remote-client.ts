// A small typed client for a feedgate instance over HTTP (Node's global fetch): the v1
// snapshot (the whole policy with its revision) and v1 changes (a change set guarded by
// If-Match), API keys, audit, feeds, directories and the security API (grants, users, groups,
// tasks, attributes). The HTTP and its errors are in remote-http.ts, the answers' shapes in
// remote-models.ts.
import type { ChangeSet } from '../core/index';
import { RemoteError, RemoteHttp } from './remote-http';
import {
  type ApiKeyInfo,
  type AuditPage,
  type DirectoryInfo,
  type DirectoryPrincipal,
  type DirectoryTestResult,
  type FeedGroupInfo,
  type FeedInfo,
  type NewApiKeyInfo,
  type NewFeedInfo,
  type NewSecurityPermission,
  type NewSecurityTask,
  type SecurityGroup,
  type SecurityPermission,
  type SecurityTask,
  type SecurityTaskAttribute,
  type SecurityUser,
  type SecurityUserWrite,
  type Snapshot,
  isApiKeyInfo,
  isAttribute,
  isAuditEntry,
  isDirectory,
  isDirectoryPrincipal,
  isFeed,
  isFeedGroup,
  isGroup,
  isPermission,
  isTask,
  isUser,
  withoutBindPassword,
  withoutPassword,
} from './remote-models';

export * from './remote-models';
export {
  DEFAULT_TIMEOUT_MS,
  RemoteError,
  type RemoteClientOptions,
  type RemoteErrorKind,
} from './remote-http';

const DIRECTORIES = '/api/feedgate/v1/directories';
const directoryPath = (name: string) => `${DIRECTORIES}/${encodeURIComponent(name)}`;

/** A directory (`/api/feedgate/v1/directories`); LDAP settings without the bind password. */

export class RemoteClient extends RemoteHttp {
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
}
