// The access rule of buildApp over real HTTP on 127.0.0.1, for EVERY endpoint of the admin APIs
// (security, feedgate v1, api-keys; the list is read from the app itself, so a new endpoint
// there without a row here fails):
// each way of signing in is accepted and audited as the right actor; every refusal (no key,
// unknown, expired, revoked, insufficient, feed key, non-administrator, wrong password,
// disabled user) is the same 403, decided before the body is read, and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys';
import { SignInThrottle } from '../auth/throttle';
import { auditAfter, findPrincipal, policyRevision, revokeApiKey } from '../store/index';
import { FORBIDDEN_BODY } from './errors';
import {
  ADMIN_PASSWORD,
  startTestInstance,
  writePromoteExample,
  type TestInstance,
} from '../../../test/helpers/server';

const ALICE_PASSWORD = 'alice-password-for-app'; // a developer: not an administrator
const CAROL_PASSWORD = 'carol-password-for-app'; // in Administrators

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** The route's path when the URL fills a parameter (`:name`). */
  route?: string;
  /** A valid body: a refusal is about the caller, never about the request. */
  body?: unknown;
}

/** One request per endpoint and method, each one that an administrator may send. */
const ENDPOINTS: Endpoint[] = [
  { method: 'GET', url: '/api/feedgate/v1/snapshot' },
  {
    method: 'POST',
    url: '/api/feedgate/v1/check',
    body: { user: 'alice', attribute: 'Feeds_ViewFeed' },
  },
  {
    method: 'POST',
    url: '/api/feedgate/v1/changes',
    body: { operations: [{ op: 'add', kind: 'user', item: { name: 'intruder' } }] },
  },
  { method: 'GET', url: '/api/feedgate/v1/audit' },
  { method: 'GET', url: '/api/feedgate/v1/directories' },
  { method: 'PUT', url: '/api/feedgate/v1/directories/active', body: { name: 'Built-in' } },
  ...(['GET', 'PUT', 'PATCH', 'DELETE'] as const).map((method) => ({
    method,
    url: '/api/feedgate/v1/directories/Built-in',
    route: '/api/feedgate/v1/directories/:name',
    ...(method.startsWith('P') && { body: { cacheTtlSeconds: 0 } }),
  })),
  {
    method: 'POST',
    url: '/api/feedgate/v1/directories',
    body: { name: 'X', url: 'ldap://127.0.0.1', userBase: 'dc=x', groupBase: 'dc=x' },
  },
  {
    method: 'POST',
    url: '/api/feedgate/v1/directories/Built-in/test',
    route: '/api/feedgate/v1/directories/:name/test',
    body: {},
  },
  {
    method: 'GET',
    url: '/api/feedgate/v1/directories/Built-in/principals?search=a',
    route: '/api/feedgate/v1/directories/:name/principals',
  },
  {
    method: 'POST',
    url: '/api/feedgate/v1/directories/Built-in/refresh?user=alice',
    route: '/api/feedgate/v1/directories/:name/refresh',
  },
  { method: 'GET', url: '/api/security/users/list' },
  { method: 'POST', url: '/api/security/users/add', body: { name: 'intruder' } },
  { method: 'POST', url: '/api/security/users/update', body: { name: 'alice', email: 'x@y.z' } },
  { method: 'DELETE', url: '/api/security/users/delete?user=alice' },
  { method: 'GET', url: '/api/security/groups/list' },
  { method: 'POST', url: '/api/security/groups/add', body: { name: 'Intruders' } },
  { method: 'POST', url: '/api/security/groups/update', body: { name: 'Developers', users: [] } },
  { method: 'DELETE', url: '/api/security/groups/delete?group=Developers' },
  { method: 'GET', url: '/api/security/tasks/list' },
  {
    method: 'POST',
    url: '/api/security/tasks/add',
    body: { name: 'T', attributes: ['Feeds_ViewFeed'] },
  },
  { method: 'DELETE', url: '/api/security/tasks/delete?task=Manage%20Projects' },
  { method: 'GET', url: '/api/security/attributes/list' },
  { method: 'GET', url: '/api/security/permissions/list' },
  {
    method: 'POST',
    url: '/api/security/permissions/add',
    body: { user: 'alice', task: 'Administer' },
  },
  { method: 'DELETE', url: '/api/security/permissions/delete?permissionId=1' },
  { method: 'POST', url: '/api/security/permissions/delete?permissionId=1' },
  { method: 'GET', url: '/api/api-keys/list' },
  { method: 'POST', url: '/api/api-keys/create', body: { type: 'system', fullControl: true } },
  { method: 'POST', url: '/api/api-keys/delete?id=1' },
];

/** The APIs reserved to administrators (the feed and package APIs have rules of their own). */
const ADMIN_APIS = /^\/api\/(security|feedgate|api-keys)\//;

/** Every (method, path) of the admin APIs, from the app's route tree (HEAD goes with GET). */
function registeredAdminRoutes(server: TestInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of server.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = (match[1] as string).length / 4;
    const path = (depth > 0 ? (stack[depth - 1] as string) : '') + (match[2] as string);
    stack[depth] = path;
    for (const method of (match[3] as string).split(', '))
      if (method !== 'HEAD' && ADMIN_APIS.test(path)) routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

let server: TestInstance;
const keys: Record<string, string> = {};
let systemKeyId: number;

beforeAll(async () => {
  server = await startTestInstance({ throttle: new SignInThrottle({ freeFailures: 10_000 }) });
  await writePromoteExample(server.db, { alice: ALICE_PASSWORD, carol: CAROL_PASSWORD });
  const system = createApiKey(server.db, { type: 'system', fullControl: true });
  keys.system = system.key;
  systemKeyId = system.info.id;
  keys.notFullControl = createApiKey(server.db, { type: 'system', systemApis: ['feeds'] }).key;
  keys.feed = createApiKey(server.db, {
    type: 'feed',
    feed: 'Production',
    packagePermissions: ['view', 'add', 'promote', 'delete'],
  }).key;
  keys.alice = createApiKey(server.db, { type: 'personal', user: 'alice' }).key;
  keys.carol = createApiKey(server.db, { type: 'personal', user: 'carol' }).key;
  keys.expired = createApiKey(server.db, {
    type: 'system',
    fullControl: true,
    expiration: new Date(Date.now() - 60_000),
  }).key;
  const revoked = createApiKey(server.db, { type: 'system', fullControl: true });
  revokeApiKey(server.db, revoked.info.id, new Date().toISOString());
  keys.revoked = revoked.key;
});
afterAll(() => server.close());

function send(endpoint: Endpoint, headers: Record<string, string>, query = '') {
  const url =
    endpoint.url + (query === '' ? '' : `${endpoint.url.includes('?') ? '&' : '?'}${query}`);
  return server.request(url, {
    method: endpoint.method,
    headers: {
      ...headers,
      ...(endpoint.body !== undefined && { 'content-type': 'application/json' }),
      ...(endpoint.url.endsWith('/changes') && { 'If-Match': `"${policyRevision(server.db)}"` }),
    },
    ...(endpoint.body !== undefined && { body: JSON.stringify(endpoint.body) }),
  });
}

/** Everything a refused request must leave as it was. */
function state() {
  return {
    revision: policyRevision(server.db),
    audit: auditAfter(server.db).length,
    keys: server.db.prepare('SELECT id, revoked_at FROM api_keys ORDER BY id').all(),
  };
}

describe('every endpoint', () => {
  it('of the admin APIs is in the table of this test (one row per method and path)', () => {
    const covered = [
      ...new Set(ENDPOINTS.map((e) => `${e.method} ${e.route ?? (e.url.split('?')[0] as string)}`)),
    ].sort();
    expect(
      covered,
      'a new endpoint of the admin APIs: add a row to ENDPOINTS (a request an administrator may send)',
    ).toEqual(registeredAdminRoutes(server));
  });

  it('refuses every kind of caller that is not an administrator with the same 403, writing nothing', async () => {
    const refused: Record<string, Record<string, string>> = {
      'no credentials': {},
      'an empty X-ApiKey': { 'X-ApiKey': '' },
      'an unknown key': { 'X-ApiKey': `fgk_${'Z'.repeat(43)}` },
      'an unknown key as Basic api:KEY': { Authorization: basic('api', 'fgk_unknown') },
      'an expired key': { 'X-ApiKey': keys.expired as string },
      'a revoked key': { 'X-ApiKey': keys.revoked as string },
      'a system key without full control': { 'X-ApiKey': keys.notFullControl as string },
      'a feed key': { 'X-ApiKey': keys.feed as string },
      "a non-administrator's personal key": { 'X-ApiKey': keys.alice as string },
      'a non-administrator signing in': { 'X-ApiKey': `alice:${ALICE_PASSWORD}` },
      'a non-administrator with Basic': { Authorization: basic('alice', ALICE_PASSWORD) },
      'a wrong password': { 'X-ApiKey': 'Admin:not-the-password' },
      'an unknown user': { Authorization: basic('nobody', ADMIN_PASSWORD) },
      'a Basic header that is not base64 user:password': { Authorization: 'Basic %%%' },
      'a Bearer token': { Authorization: `Bearer ${keys.system as string}` },
    };
    const before = state();
    for (const endpoint of ENDPOINTS)
      for (const [why, headers] of Object.entries(refused)) {
        const r = await send(endpoint, headers);
        expect(r.status, `${endpoint.method} ${endpoint.url}: ${why}`).toBe(403);
        expect(r.json).toEqual(FORBIDDEN_BODY);
      }
    // The key in the query string: unknown, and a feed key.
    for (const endpoint of ENDPOINTS)
      for (const key of ['fgk_unknown', keys.feed as string]) {
        const r = await send(endpoint, {}, `key=${encodeURIComponent(key)}`);
        expect(r.status, `${endpoint.method} ${endpoint.url}?key=`).toBe(403);
      }
    expect(state()).toEqual(before);
  }, 60_000);

  it('authenticates before reading the body: no key and a bad body is a 403, not a 400', async () => {
    for (const endpoint of ENDPOINTS.filter((e) => e.body !== undefined)) {
      const r = await server.request(endpoint.url, {
        method: endpoint.method,
        headers: { 'content-type': 'application/json' },
        body: '{"not json',
      });
      expect(r.status, endpoint.url).toBe(403);
    }
  });

  it('answers a GET to every reading endpoint with each way of signing in', async () => {
    const ways: Record<string, { headers?: Record<string, string>; query?: string }> = {
      'X-ApiKey': { headers: { 'X-ApiKey': keys.system as string } },
      '?key=': { query: `key=${keys.system as string}` },
      'Basic api:KEY': { headers: { Authorization: basic('api', keys.system as string) } },
      'pseudo-key user:password': { headers: { 'X-ApiKey': `Admin:${ADMIN_PASSWORD}` } },
      'Basic user:password': { headers: { Authorization: basic('carol', CAROL_PASSWORD) } },
      "an administrator's personal key": { headers: { 'X-ApiKey': keys.carol as string } },
    };
    for (const endpoint of ENDPOINTS.filter((e) => e.method === 'GET'))
      for (const [way, { headers = {}, query = '' }] of Object.entries(ways)) {
        const r = await send(endpoint, headers, query);
        expect(r.status, `${endpoint.url} with ${way}: ${r.text}`).toBe(200);
      }
  }, 30_000);

  it('X-ApiKey wins over Authorization, which wins over ?key=', async () => {
    const snapshot = ENDPOINTS[0] as Endpoint;
    const good = keys.system as string;
    const status = async (headers: Record<string, string>, query = '') =>
      (await send(snapshot, headers, query)).status;
    expect(await status({ 'X-ApiKey': 'fgk_bad', Authorization: basic('api', good) })).toBe(403);
    expect(await status({ 'X-ApiKey': good, Authorization: basic('api', 'fgk_bad') })).toBe(200);
    expect(await status({ Authorization: basic('api', 'fgk_bad') }, `key=${good}`)).toBe(403);
    expect(await status({ Authorization: basic('api', good) }, 'key=fgk_bad')).toBe(200);
    expect(await status({ 'X-ApiKey': good }, 'key=fgk_bad')).toBe(200);
  });

  it('audits a write as the key or the user that made it, whichever way it signed in', async () => {
    const ways: [string, Record<string, string>, string, string | number | null][] = [
      ['X-ApiKey', { 'X-ApiKey': keys.system as string }, 'x-apikey', systemKeyId],
      [
        'Basic api:KEY',
        { Authorization: basic('api', keys.system as string) },
        'basic-key',
        systemKeyId,
      ],
      ['pseudo-key', { 'X-ApiKey': `Admin:${ADMIN_PASSWORD}` }, 'pseudo', null],
      ['Basic user', { Authorization: basic('carol', CAROL_PASSWORD) }, 'basic-user', null],
      ['personal key', { 'X-ApiKey': keys.carol as string }, 'personal', 'personal'],
    ];
    for (const [way, headers, name, keyId] of ways) {
      const r = await send(
        { method: 'POST', url: '/api/security/groups/add', body: { name } },
        headers,
      );
      expect(r.status, `${way}: ${r.text}`).toBe(200);
      const entry = auditAfter(server.db).at(-1);
      expect(entry?.action, way).toBe('security.groups.add');
      if (keyId === null) expect(entry?.keyId, way).toBeNull();
      else if (keyId === 'personal') expect(entry?.keyId, way).toEqual(expect.any(Number));
      else expect(entry?.keyId, way).toBe(keyId);
      const expectedActor =
        way === 'pseudo-key'
          ? 'Built-in/Admin'
          : way === 'Basic user' || way === 'personal key'
            ? 'Built-in/carol'
            : `key ${systemKeyId} (system)`;
      expect(entry?.actor, way).toBe(expectedActor);
    }
    const viaQuery = await send(
      { method: 'POST', url: '/api/security/groups/add', body: { name: 'query' } },
      {},
      `key=${keys.system as string}`,
    );
    expect(viaQuery.status).toBe(200);
    expect(auditAfter(server.db).at(-1)).toMatchObject({ keyId: systemKeyId });
  });

  it('a disabled user is refused, by password and by personal key', async () => {
    const carol = findPrincipal(server.db, 1, 'user', 'carol') as number;
    const snapshot = ENDPOINTS[0] as Endpoint;
    expect((await send(snapshot, { 'X-ApiKey': keys.carol as string })).status).toBe(200);
    server.db.prepare('UPDATE users SET enabled = 0 WHERE principal_id = ?').run(carol);
    try {
      const ways: Record<string, string>[] = [
        { 'X-ApiKey': `carol:${CAROL_PASSWORD}` },
        { Authorization: basic('carol', CAROL_PASSWORD) },
        { 'X-ApiKey': keys.carol as string },
      ];
      for (const headers of ways) {
        const r = await send(snapshot, headers);
        expect(r.status).toBe(403);
        expect(r.json).toEqual(FORBIDDEN_BODY);
      }
    } finally {
      server.db.prepare('UPDATE users SET enabled = 1 WHERE principal_id = ?').run(carol);
    }
  });

  it('an unknown path or method is a 404 naming it, with or without a key', async () => {
    const callers: Record<string, string>[] = [{}, { 'X-ApiKey': keys.system as string }];
    for (const headers of callers) {
      const r = await server.request('/api/security/users/remove?user=alice', { headers });
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error: 'no such endpoint: GET /api/security/users/remove' });
      const method = await server.request('/api/security/users/add', { headers });
      expect(method.status).toBe(404);
    }
  });
});
