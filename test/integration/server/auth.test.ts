// Authentication and authorization of the instance's API over real HTTP on 127.0.0.1: every
// way of sending a key, every 403 case with one constant body, the sign-in throttle, and
// logs free of key text and passwords.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/server/auth/api-keys';
import { SignInThrottle } from '../../../src/server/auth/throttle';
import { FORBIDDEN_BODY } from '../../../src/server/http/errors';
import { apiKeyById, revokeApiKey } from '../../../src/server/store/index';
import {
  ADMIN_PASSWORD,
  startTestInstance,
  writePromoteExample,
  type TestInstance,
} from '../../helpers/server';

const SNAPSHOT = '/api/feedgate/v1/snapshot';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

let server: TestInstance;
let systemKey: string;
let systemKeyId: number;
const secrets: string[] = [ADMIN_PASSWORD];

beforeAll(async () => {
  // The throttle is generous here; its own test below uses a strict one.
  server = await startTestInstance({ throttle: new SignInThrottle({ freeFailures: 1000 }) });
  await writePromoteExample(server.db, { alice: 'alice-password-1', carol: 'carol-password-1' });
  secrets.push('alice-password-1', 'carol-password-1');
  const created = createApiKey(server.db, { type: 'system', fullControl: true, displayName: 'ci' });
  systemKey = created.key;
  systemKeyId = created.info.id;
  secrets.push(systemKey);
});
afterAll(() => server.close());

async function expectForbidden(headers: Record<string, string>, target = SNAPSHOT) {
  const r = await server.request(target, { headers });
  expect(r.status).toBe(403);
  expect(r.json).toEqual(FORBIDDEN_BODY);
}

describe('API keys: creation and storage', () => {
  it('returns the key text once, recognizable, and stores only its SHA-256 hash', () => {
    expect(systemKey).toMatch(/^fgk_[A-Za-z0-9_-]{43}$/);
    const row = apiKeyById(server.db, systemKeyId);
    expect(row?.keyHash).toHaveLength(32);
    expect(JSON.stringify(row)).not.toContain(systemKey.slice(4));
    const dump = server.db.prepare('SELECT * FROM api_keys').all();
    expect(JSON.stringify(dump)).not.toContain(systemKey.slice(4));
  });
});

describe('authentication: the three ways of sending a key, and the pseudo-key', () => {
  it('accepts X-ApiKey', async () => {
    const r = await server.request(SNAPSHOT, { headers: { 'X-ApiKey': systemKey } });
    expect(r.status).toBe(200);
  });

  it('accepts ?key=', async () => {
    expect((await server.request(`${SNAPSHOT}?key=${systemKey}`)).status).toBe(200);
  });

  it('accepts HTTP Basic with user "api" and the key as password', async () => {
    const r = await server.request(SNAPSHOT, {
      headers: { Authorization: basic('api', systemKey) },
    });
    expect(r.status).toBe(200);
  });

  it('accepts the pseudo-key user:password of a built-in user holding Admin_ConfigureProGet', async () => {
    const admin = await server.request(SNAPSHOT, {
      headers: { 'X-ApiKey': `Admin:${ADMIN_PASSWORD}` },
    });
    expect(admin.status).toBe(200);
    // carol is in Administrators too; Basic with her own name works like the pseudo-key.
    const carol = await server.request(SNAPSHOT, {
      headers: { Authorization: basic('carol', 'carol-password-1') },
    });
    expect(carol.status).toBe(200);
  });

  it('records when a key was last used', () => {
    expect(apiKeyById(server.db, systemKeyId)?.lastUsedAt).not.toBeNull();
  });
});

describe('every refusal is a 403 with the same body', () => {
  it('no key at all', () => expectForbidden({}));

  it('an unknown key, well-formed or not', async () => {
    await expectForbidden({ 'X-ApiKey': `fgk_${'A'.repeat(43)}` });
    await expectForbidden({ 'X-ApiKey': 'not-a-key' });
    await expectForbidden({ Authorization: basic('api', 'not-a-key') });
    const r = await server.request(`${SNAPSHOT}?key=fgk_${'B'.repeat(43)}`);
    expect(r.status).toBe(403);
    expect(r.json).toEqual(FORBIDDEN_BODY);
  });

  it('a revoked key', async () => {
    const { key, info } = createApiKey(server.db, { type: 'system', fullControl: true });
    secrets.push(key);
    expect((await server.request(SNAPSHOT, { headers: { 'X-ApiKey': key } })).status).toBe(200);
    expect(revokeApiKey(server.db, info.id, new Date().toISOString())).toBe(true);
    await expectForbidden({ 'X-ApiKey': key });
  });

  it('an expired key', async () => {
    const { key } = createApiKey(server.db, {
      type: 'system',
      fullControl: true,
      expiration: new Date(Date.now() - 1000),
    });
    secrets.push(key);
    await expectForbidden({ 'X-ApiKey': key });
    const { key: later } = createApiKey(server.db, {
      type: 'system',
      fullControl: true,
      expiration: new Date(Date.now() + 3_600_000).toISOString(),
    });
    secrets.push(later);
    expect((await server.request(SNAPSHOT, { headers: { 'X-ApiKey': later } })).status).toBe(200);
  });

  it('a feed key, on every security endpoint', async () => {
    const { key } = createApiKey(server.db, {
      type: 'feed',
      feed: 'Production',
      packagePermissions: ['view', 'add'],
    });
    secrets.push(key);
    for (const target of [SNAPSHOT, '/api/security/users/list', '/api/security/permissions/list'])
      await expectForbidden({ 'X-ApiKey': key }, target);
  });

  it('a system key without full control', async () => {
    const { key } = createApiKey(server.db, { type: 'system', systemApis: ['feeds'] });
    secrets.push(key);
    await expectForbidden({ 'X-ApiKey': key });
  });

  it('a personal key or pseudo-key of a user without Admin_ConfigureProGet; allowed for an admin', async () => {
    const { key: alices } = createApiKey(server.db, { type: 'personal', user: 'alice' });
    const { key: carols } = createApiKey(server.db, { type: 'personal', user: 'carol' });
    secrets.push(alices, carols);
    await expectForbidden({ 'X-ApiKey': alices });
    await expectForbidden({ 'X-ApiKey': 'alice:alice-password-1' });
    expect((await server.request(SNAPSHOT, { headers: { 'X-ApiKey': carols } })).status).toBe(200);
  });

  it('a wrong password, an unknown user, a user without a password', async () => {
    await expectForbidden({ 'X-ApiKey': 'Admin:wrong-password' });
    await expectForbidden({ 'X-ApiKey': `nobody:${ADMIN_PASSWORD}` });
    await expectForbidden({ 'X-ApiKey': 'bob:' });
    await expectForbidden({ Authorization: basic('Admin', 'wrong-password') });
  });

  it('the 403 is the same whatever the reason: it tells nothing about which keys exist', async () => {
    const bodies = new Set<string>();
    const cases: Record<string, string>[] = [
      {},
      { 'X-ApiKey': 'nope' },
      { 'X-ApiKey': 'Admin:nope' },
    ];
    for (const headers of cases) bodies.add((await server.request(SNAPSHOT, { headers })).text);
    expect(bodies.size).toBe(1);
  });
});

describe('logs', () => {
  it('hold requests but no key text and no password; the key query value is redacted', async () => {
    await server.request(`/api/security/users/list?key=${systemKey}&search-term=a`);
    const text = server.logs.join('\n');
    expect(text).toContain('/api/security/users/list?key=[REDACTED]&search-term=a');
    expect(text).toContain('authentication failed');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain(systemKey.slice(4, 20));
  });
});

describe('the sign-in throttle', () => {
  it('locks a user after repeated failures, before checking any password, with Retry-After', async () => {
    const strict = await startTestInstance({
      throttle: new SignInThrottle({ freeFailures: 2, baseLockMs: 60_000 }),
    });
    try {
      const attempt = (password: string) =>
        strict.request(SNAPSHOT, { headers: { 'X-ApiKey': `Admin:${password}` } });
      expect((await attempt('wrong-1')).status).toBe(403);
      expect((await attempt('wrong-2')).status).toBe(403);
      expect((await attempt('wrong-3')).status).toBe(403); // third failure: now locked
      const locked = await attempt(ADMIN_PASSWORD);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(locked.text).not.toContain('Admin');
    } finally {
      await strict.close();
    }
  });
});
