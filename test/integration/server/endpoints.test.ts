// The instance's endpoints over real HTTP on 127.0.0.1: the v1 snapshot and check, the
// ProGet-compatible list endpoints with their models, and the error statuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTRIBUTES, BUILT_IN_TASKS } from '../../../src/core/index';
import { createApiKey } from '../../../src/server/auth/api-keys';
import { buildApp } from '../../../src/server/http/app';
import {
  openStore,
  policyRevision,
  readPolicy,
  writePolicy,
} from '../../../src/server/store/index';
import {
  jsonPost,
  startTestInstance,
  writePromoteExample,
  type TestInstance,
} from '../../helpers/server';

let server: TestInstance;
let auth: Record<string, string>;

beforeAll(async () => {
  server = await startTestInstance();
  const { key } = createApiKey(server.db, { type: 'system', fullControl: true });
  auth = { 'X-ApiKey': key };
});
afterAll(() => server.close());

const get = (target: string) => server.request(target, { headers: auth });
const check = (body: unknown) => server.request('/api/feedgate/v1/check', jsonPost(body, auth));

describe('GET /api/feedgate/v1/snapshot', () => {
  it('returns the policy file with its revision, and ETag "<revision>"', async () => {
    const first = await get('/api/feedgate/v1/snapshot');
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.json).toMatchObject({
      revision: 1,
      format: 'feedgate-policy/1',
      directory: 'Built-in',
      users: [{ name: 'Admin', displayName: 'Administrator' }],
      groups: [{ name: 'Administrators', users: ['Admin'] }],
      permissions: [{ group: 'Administrators', task: 'Administer', deny: false }],
    });
    expect(first.text).not.toMatch(/"(password|hash|salt|keyHash)/i);

    const revision = await writePromoteExample(server.db);
    expect(revision).toBe(2);
    const second = await get('/api/feedgate/v1/snapshot');
    expect(second.headers.get('etag')).toBe(`"${policyRevision(server.db)}"`);
    const body = second.json as { revision: number; feeds: { name: string }[] };
    expect(body.revision).toBe(2);
    expect(body.feeds.map((f) => f.name)).toEqual(['Production', 'Staging', 'public-npm']);
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const etag = (await get('/api/feedgate/v1/snapshot')).headers.get('etag') as string;
    const r = await server.request('/api/feedgate/v1/snapshot', {
      headers: { ...auth, 'If-None-Match': etag },
    });
    expect(r.status).toBe(304);
  });
});

describe('POST /api/feedgate/v1/check', () => {
  it('decides with the deciding grant and the trace (the worked example)', async () => {
    const staging = await check({ user: 'alice', attribute: 'Feeds_AddPackage', feed: 'Staging' });
    expect(staging.status).toBe(200);
    expect(staging.json).toMatchObject({
      allowed: true,
      decidedBy: { group: 'Developers', task: 'Promote Packages', deny: false },
    });
    const production = await check({
      user: 'alice',
      attribute: 'Feeds_AddPackage',
      feed: 'Production',
    });
    const denied = production.json as { allowed: boolean; decidedBy: unknown; trace: unknown[] };
    expect(denied.allowed).toBe(false);
    expect(denied.decidedBy).toMatchObject({ group: 'Developers', feed: 'Production', deny: true });
    expect(denied.trace).toHaveLength(2);
    // A user-level permission beats the group restriction.
    const bob = await check({ user: 'bob', attribute: 'Feeds_AddPackage', feed: 'Production' });
    expect(bob.json).toMatchObject({ allowed: true, decidedBy: { user: 'bob' } });
    const nobody = await check({ user: 'Anonymous', attribute: 'Feeds_ViewFeed', feed: 'Staging' });
    expect(nobody.json).toMatchObject({ allowed: false, decidedBy: null, trace: [] });
  });

  it('refuses a bad body with 400 and a message naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ attribute: 'Feeds_ViewFeed' }, 'user is required'],
      [{ user: 'alice' }, 'attribute is required'],
      [{ user: 'alice', attribute: 7 }, 'attribute must be a string'],
      [{ user: '', attribute: 'Feeds_ViewFeed' }, 'user: must not be empty'],
      [{ user: 'alice', attribute: 'Feeds_ViewFeed', feeed: 'x' }, 'unknown field "feeed"'],
      [[1, 2], 'the body must be a JSON object'],
      ['{"user": ', 'the body is not valid JSON'],
    ];
    for (const [body, message] of cases) {
      const r = await check(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json).toEqual({ error: message });
    }
  });

  it('an unknown attribute, user or feed is a 400, not a 500', async () => {
    const attribute = await check({ user: 'alice', attribute: 'Feeds_AddPackages' });
    expect(attribute.status).toBe(400);
    expect((attribute.json as { error: string }).error).toMatch(
      /^unknown attribute "Feeds_AddPackages".*Feeds_AddPackage/,
    );
    const user = await check({ user: 'mallory', attribute: 'Feeds_ViewFeed' });
    expect(user.status).toBe(400);
    expect((user.json as { error: string }).error).toContain('unknown user "mallory"');
    const feed = await check({ user: 'alice', attribute: 'Feeds_ViewFeed', feed: 'Nope' });
    expect(feed.json).toEqual({ error: 'unknown feed "Nope"' });
  });
});

describe('ProGet-compatible list endpoints', () => {
  it('users/list: SecurityUser without password, filtered by search-term', async () => {
    const all = await get('/api/security/users/list');
    expect(all.status).toBe(200);
    expect(all.json).toContainEqual({ name: 'bob', displayName: 'Bob', groups: ['Developers'] });
    expect(all.text).not.toMatch(/"(password|hash|salt|keyHash)/i);
    const some = await get('/api/security/users/list?search-term=AL');
    expect((some.json as { name: string }[]).map((u) => u.name)).toEqual(['alice']);
  });

  it('groups/list: SecurityGroup', async () => {
    const r = await get('/api/security/groups/list');
    expect(r.json).toEqual([
      { name: 'Administrators', users: ['Admin', 'carol'] },
      { name: 'Developers', users: ['alice', 'bob'] },
    ]);
  });

  it('tasks/list: SecurityTask with feedScoped', async () => {
    const tasks = (await get('/api/security/tasks/list')).json as {
      name: string;
      feedScoped: boolean;
      attributes: string[];
    }[];
    expect(tasks.map((t) => t.name)).toEqual(BUILT_IN_TASKS.map((t) => t.name));
    expect(tasks.find((t) => t.name === 'Administer')?.feedScoped).toBe(false);
    expect(tasks.find((t) => t.name === 'Promote Packages')).toMatchObject({
      feedScoped: true,
      description: expect.any(String),
    });
  });

  it('attributes/list: SecurityTaskAttribute for the whole catalog', async () => {
    const r = await get('/api/security/attributes/list');
    expect(r.json).toEqual(ATTRIBUTES.map((a) => ({ name: a.id, feedScoped: a.feedScoped })));
  });

  it('permissions/list: SecurityPermission with ids', async () => {
    const r = await get('/api/security/permissions/list');
    const list = r.json as { id: number }[];
    expect(list).toHaveLength(4);
    expect(list.every((p) => Number.isInteger(p.id))).toBe(true);
    expect(list).toContainEqual({
      id: expect.any(Number),
      group: 'Developers',
      task: 'Promote Packages',
      feed: 'Production',
      deny: true,
    });
    expect(list).toContainEqual({
      id: expect.any(Number),
      user: 'bob',
      task: 'Promote Packages',
      feed: 'Production',
      deny: false,
    });
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('permissions/list follows a write by another connection at once (kept per revision)', async () => {
    const before = (await get('/api/security/permissions/list')).json as object[];
    const other = openStore(server.dir);
    try {
      const policy = readPolicy(other);
      writePolicy(other, { ...policy, permissions: policy.permissions.slice(1) });
    } finally {
      other.close();
    }
    const after = (await get('/api/security/permissions/list')).json as object[];
    expect(after).toEqual(before.slice(1));
  });
});

describe('errors', () => {
  it('an unknown route is a 404 with a JSON body', async () => {
    const r = await get('/api/security/nothing/here');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ error: 'no such endpoint: GET /api/security/nothing/here' });
  });

  it('an internal error is a plain 500: no stack, no internal message; logged server-side', async () => {
    const lines: string[] = [];
    const { Writable } = await import('node:stream');
    const stream = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const { openStore } = await import('../../../src/server/store/index');
    const db = openStore(server.dir);
    const { key } = createApiKey(db, { type: 'system', fullControl: true });
    const app = buildApp({ db, dataDir: server.dir, logger: { stream } });
    app.get('/boom', { config: { access: 'admin' } }, async () => {
      throw new Error('secret internal detail at /var/lib/x');
    });
    const r = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-apikey': key } });
    await app.close();
    db.close();
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ error: 'internal error (see the server log)' });
    expect(r.body).not.toContain('secret internal detail');
    expect(lines.join('')).toContain('secret internal detail');
    expect(lines.join('')).not.toContain(key);
  });
});
