// Every 400 (and the other client errors: 409, 412, 413, 415, 428) of every endpoint over real
// HTTP on 127.0.0.1, sent by an administrator: the status, a plain message naming the field
// or the item (never a stack or "bad request"), and nothing written by any of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAfter, policyRevision } from '../store/index';
import { BODY_LIMIT } from './app';
import { startAdminTestInstance, type AdminTestInstance } from '../../../test/helpers/admin-server';

let admin: AdminTestInstance;
beforeAll(async () => {
  admin = await startAdminTestInstance();
  // A task used by a grant, for the "still used" refusal.
  const { server, auth } = admin;
  for (const [url, body] of [
    ['/api/security/tasks/add', { name: 'Viewers', attributes: ['Feeds_ViewFeed'] }],
    ['/api/security/permissions/add', { group: 'Developers', task: 'Viewers', feed: 'Staging' }],
  ] as const) {
    const r = await server.request(url, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(r.status, r.text).toBe(200);
  }
});
afterAll(() => admin.server.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface BadRequest {
  method: Method;
  url: string;
  /** A string is sent as is (application/json unless `contentType`); anything else as JSON. */
  body?: unknown;
  contentType?: string;
  /** The If-Match header for POST changes; `current` sends the current revision. */
  ifMatch?: string;
  status: number;
  /** The whole `error` message, or a pattern it matches. */
  error: string | RegExp;
}

const post = (url: string, body: unknown, status: number, error: string | RegExp): BadRequest => ({
  method: 'POST',
  url,
  body,
  status,
  error,
});
const get = (url: string, error: string | RegExp): BadRequest => ({
  method: 'GET',
  url,
  status: 400,
  error,
});
const del = (url: string, error: string | RegExp): BadRequest => ({
  method: 'DELETE',
  url,
  status: 400,
  error,
});
const changes = (
  body: unknown,
  ifMatch: string | undefined,
  status: number,
  error: string | RegExp,
) => ({
  method: 'POST' as const,
  url: '/api/feedgate/v1/changes',
  body,
  ...(ifMatch !== undefined && { ifMatch }),
  status,
  error,
});

const addUser = { operations: [{ op: 'add', kind: 'user', item: { name: 'newcomer' } }] };

const CASES: Record<string, BadRequest[]> = {
  'any JSON endpoint': [
    post('/api/security/users/add', '{"name": ', 400, 'the body is not valid JSON'),
    post(
      '/api/security/users/add',
      '',
      400,
      'the body is empty but the content type is application/json',
    ),
    post('/api/security/users/add', '[1, 2]', 400, 'the body must be a JSON object'),
    {
      ...post(
        '/api/security/users/add',
        'name=x',
        415,
        'unsupported content type: send application/json',
      ),
      contentType: 'application/x-www-form-urlencoded',
    },
    post(
      '/api/security/users/add',
      JSON.stringify({ name: 'big', description: 'x'.repeat(BODY_LIMIT) }),
      413,
      'the body is too large',
    ),
  ],
  'POST v1/check': [
    post('/api/feedgate/v1/check', {}, 400, 'user is required'),
    post('/api/feedgate/v1/check', { user: 'alice' }, 400, 'attribute is required'),
    post(
      '/api/feedgate/v1/check',
      { user: 'alice', attribute: 'Feeds_ViewFeed', fed: 'x' },
      400,
      'unknown field "fed"',
    ),
    post('/api/feedgate/v1/check', { user: 'nobody', attribute: 'Feeds_ViewFeed' }, 400, /nobody/),
    post(
      '/api/feedgate/v1/check',
      { user: 'alice', attribute: 'Feeds_ViewFed' },
      400,
      /Feeds_ViewFed.*did you mean/,
    ),
    post(
      '/api/feedgate/v1/check',
      { user: 'alice', attribute: 'Feeds_ViewFeed', feed: 'Nope' },
      400,
      /Nope/,
    ),
  ],
  'POST v1/changes': [
    changes(addUser, undefined, 428, /If-Match/),
    changes(addUser, '*', 400, /If-Match/),
    changes(addUser, 'W/"2"', 400, /If-Match/),
    changes(addUser, '"two"', 400, /If-Match/),
    changes(addUser, '"1"', 412, /changed|revision/),
    changes({ operations: 'all' }, 'current', 400, /^invalid change set: operations/),
    changes(
      { operations: [{ op: 'remove', kind: 'user', key: 'nobody' }] },
      'current',
      400,
      /operations\[0\] \(remove user "nobody"\): no such user/,
    ),
    changes(
      { ...addUser, directory: 'LDAP' },
      'current',
      400,
      'directory: unknown directory "LDAP"',
    ),
    changes(
      { operations: [{ op: 'add', kind: 'permission', item: { user: 'alice', task: 'Nope' } }] },
      'current',
      400,
      /^the change set leaves an invalid policy: .*Nope/,
    ),
  ],
  'GET v1/audit': [
    get('/api/feedgate/v1/audit?limit=0', /^limit/),
    get('/api/feedgate/v1/audit?limit=1001', /^limit/),
    get('/api/feedgate/v1/audit?limit=ten', /^limit/),
    get('/api/feedgate/v1/audit?after=-1', /^after/),
    get('/api/feedgate/v1/audit?after=1.5', 'after: must be a whole number'),
    get('/api/feedgate/v1/audit?limit=2.5', 'limit: must be a whole number'),
  ],
  'PUT v1/directories/active': [
    {
      method: 'PUT',
      url: '/api/feedgate/v1/directories/active',
      body: {},
      status: 400,
      error: 'name is required',
    },
    {
      method: 'PUT',
      url: '/api/feedgate/v1/directories/active',
      body: { name: 'LDAP' },
      status: 400,
      error: 'name: unknown directory "LDAP"',
    },
    {
      method: 'PUT',
      url: '/api/feedgate/v1/directories/active',
      body: { name: 'Built-in', force: 'yes' },
      status: 400,
      error: /^force/,
    },
  ],
  'users/add, users/update, users/delete': [
    post('/api/security/users/add', {}, 400, 'name is required'),
    post('/api/security/users/add', { name: '' }, 400, /^name/),
    post(
      '/api/security/users/add',
      { name: 'alice' },
      400,
      'user "alice" already exists (use users/update)',
    ),
    post('/api/security/users/add', { name: 'x1', pasword: 'p' }, 400, 'unknown field "pasword"'),
    post(
      '/api/security/users/add',
      { name: 'x1', password: 'short' },
      400,
      /^password: the password is too short/,
    ),
    post('/api/security/users/add', { name: 'x1', groups: ['NoSuchGroup'] }, 400, /NoSuchGroup/),
    post('/api/security/users/add', { name: 'x1', groups: 'Developers' }, 400, /^groups/),
    post(
      '/api/security/users/update',
      { name: 'nobody', email: 'n@example.org' },
      400,
      'unknown user "nobody"',
    ),
    post('/api/security/users/update', { email: 'n@example.org' }, 400, 'name is required'),
    del('/api/security/users/delete', 'user is required'),
  ],
  'groups/add, groups/update, groups/delete': [
    post('/api/security/groups/add', {}, 400, 'name is required'),
    post(
      '/api/security/groups/add',
      { name: 'Developers' },
      400,
      'group "Developers" already exists (use groups/update)',
    ),
    post('/api/security/groups/add', { name: 'G1', users: ['nobody'] }, 400, /nobody/),
    post(
      '/api/security/groups/update',
      { name: 'NoSuchGroup', users: [] },
      400,
      'unknown group "NoSuchGroup"',
    ),
    del('/api/security/groups/delete', 'group is required'),
  ],
  'tasks/add, tasks/delete': [
    post('/api/security/tasks/add', { name: 'T1' }, 400, 'attributes is required'),
    post(
      '/api/security/tasks/add',
      { name: 'T1', attributes: ['Feeds_AddPackages'] },
      400,
      /unknown attribute "Feeds_AddPackages" \(did you mean/,
    ),
    post(
      '/api/security/tasks/add',
      { name: 'T1', attributes: ['Admin_ConfigureProGet'], feedScoped: true },
      400,
      /feedScoped/,
    ),
    del('/api/security/tasks/delete', 'task is required'),
    del(
      '/api/security/tasks/delete?task=Administer',
      'task "Administer" is built-in: it can be edited but not deleted',
    ),
    del(
      '/api/security/tasks/delete?task=Viewers',
      /^task "Viewers" is used by grant "group Developers · Viewers · feed Staging/,
    ),
  ],
  'permissions/add, permissions/delete': [
    post(
      '/api/security/permissions/add',
      { task: 'Administer' },
      400,
      'one of user or group is required',
    ),
    post(
      '/api/security/permissions/add',
      { user: 'alice', group: 'Developers', task: 'Administer' },
      400,
      /user and group/,
    ),
    post(
      '/api/security/permissions/add',
      {
        user: 'alice',
        task: 'Publish Packages',
        feed: 'Staging',
        feedGroup: 'production-packages',
      },
      400,
      'feed and feedGroup cannot both be set',
    ),
    post(
      '/api/security/permissions/add',
      { user: 'alice', task: 'Publsh Packages' },
      400,
      /unknown task "Publsh Packages" \(did you mean "Publish Packages"\?\)/,
    ),
    post(
      '/api/security/permissions/add',
      { user: 'alice', task: 'Publish Packages', feed: 'Nope' },
      400,
      /unknown feed "Nope"/,
    ),
    post(
      '/api/security/permissions/add',
      { user: 'nobody', task: 'Publish Packages' },
      400,
      /nobody/,
    ),
    post(
      '/api/security/permissions/add',
      { user: 'alice', task: 'Administer', feed: 'Staging' },
      400,
      /is not feed-scopable/,
    ),
    post(
      '/api/security/permissions/add',
      { group: 'Administrators', task: 'Administer' },
      400,
      'the same grant already exists',
    ),
    post(
      '/api/security/permissions/add',
      { user: 'alice', task: 'Administer', deny: 'yes' },
      400,
      /^deny/,
    ),
    del('/api/security/permissions/delete', /^permissionId/),
    del('/api/security/permissions/delete?permissionId=abc', /^permissionId/),
    del('/api/security/permissions/delete?permissionId=0', 'permissionId: must be positive'),
    post(
      '/api/security/permissions/delete?permissionId=1.5',
      undefined,
      400,
      'permissionId: must be a whole number',
    ),
  ],
  'api-keys/create, api-keys/delete': [
    post('/api/api-keys/create', {}, 400, 'type is required'),
    post('/api/api-keys/create', { type: 'admin' }, 400, 'type: must be system, feed or personal'),
    post(
      '/api/api-keys/create',
      { type: 'system', key: 'fgk_mine' },
      400,
      'key: the key text is generated by the server; do not send one',
    ),
    post(
      '/api/api-keys/create',
      { type: 'system', fullControl: true, expiration: '2020-01-01' },
      400,
      'expiration: is in the past',
    ),
    post(
      '/api/api-keys/create',
      { type: 'system', fullControl: true, expiration: 'tomorrow' },
      400,
      'expiration: must be an ISO 8601 date or date-time',
    ),
    post(
      '/api/api-keys/create',
      { type: 'system', fullControl: true, expiration: '2099-13-45' },
      400,
      'expiration: not a valid date',
    ),
    post(
      '/api/api-keys/create',
      { type: 'feed', packagePermissions: ['view'] },
      400,
      'a feed key needs exactly one of feed and feedGroup',
    ),
    post(
      '/api/api-keys/create',
      { type: 'feed', feed: 'Nope', packagePermissions: ['view'] },
      400,
      'feed: unknown feed "Nope"',
    ),
    post(
      '/api/api-keys/create',
      { type: 'feed', feed: 'Staging', packagePermissions: ['fly'] },
      400,
      /^packagePermissions\[0\]/,
    ),
    post(
      '/api/api-keys/create',
      { type: 'personal', user: 'mallory' },
      400,
      'user: unknown user "mallory"',
    ),
    post(
      '/api/api-keys/create',
      { type: 'system', fullControl: true, logging: 'all' },
      400,
      'logging: must be none, request, response or both',
    ),
    post(
      '/api/api-keys/create',
      { type: 'feed', feed: 'Staging', fullControl: true },
      400,
      /fullControl/,
    ),
    post('/api/api-keys/delete', undefined, 400, /^id/),
    post('/api/api-keys/delete?id=abc', undefined, 400, /^id/),
    post('/api/api-keys/delete?id=-3', undefined, 400, 'id: must be positive'),
    post('/api/api-keys/delete?id=2.5', undefined, 400, 'id: must be a whole number'),
  ],
};

async function send(c: BadRequest) {
  const headers: Record<string, string> = { ...admin.auth };
  if (c.body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
  if (c.ifMatch !== undefined)
    headers['If-Match'] =
      c.ifMatch === 'current' ? `"${policyRevision(admin.server.db)}"` : c.ifMatch;
  return admin.server.request(c.url, {
    method: c.method,
    headers,
    ...(c.body !== undefined && {
      body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
    }),
  });
}

describe('client errors of every endpoint', () => {
  for (const [group, cases] of Object.entries(CASES))
    it(`${group}: the status, a message naming the problem, nothing written`, async () => {
      const revision = policyRevision(admin.server.db);
      const audit = auditAfter(admin.server.db).length;
      const keys = admin.server.db.prepare('SELECT count(*) AS n FROM api_keys').get();
      for (const c of cases) {
        const r = await send(c);
        const what = `${c.method} ${c.url} ${typeof c.body === 'string' ? c.body.slice(0, 40) : JSON.stringify(c.body)}`;
        expect(r.status, `${what}: ${r.text}`).toBe(c.status);
        const error = (r.json as { error?: unknown } | undefined)?.error;
        expect(typeof error, `${what}: ${r.text}`).toBe('string');
        if (typeof c.error === 'string') expect(error, what).toBe(c.error);
        else expect(error, what).toMatch(c.error);
        expect(r.text, what).not.toMatch(/\n\s+at |bad request \(|internal error/);
      }
      expect(policyRevision(admin.server.db)).toBe(revision);
      expect(auditAfter(admin.server.db)).toHaveLength(audit);
      expect(admin.server.db.prepare('SELECT count(*) AS n FROM api_keys').get()).toEqual(keys);
    });
});
