// `feedgate apikeys create system|feed|personal`, the real bundled CLI against a real instance
// on 127.0.0.1 (--source URL --api-key KEY: no keychain needed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import { startAdminTestInstance, type AdminTestInstance } from '../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const KEY = /fgk_[A-Za-z0-9_-]{43}/g;

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

describe('feedgate apikeys create', () => {
  it('creates each type: the key printed once on stdout, never in list output', async () => {
    const cases = [
      ['system', '--full-control', '--name', 'ci'],
      ['system', '--system-apis', 'Feeds,Security', '--description', 'two apis'],
      ['feed', '--feed', 'Production', '--permissions', 'view,add'],
      ['feed', '--feed-group', 'production-packages', '--permissions', 'promote'],
      ['personal', '--user', 'alice', '--expiration', '2099-01-31T00:00:00Z'],
    ];
    const keys: string[] = [];
    for (const args of cases) {
      const r = await feedgateAsync(['apikeys', 'create', ...args, ...source()]);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.status, args.join(' ')).toBe(0);
      const found = r.stdout.match(KEY) ?? [];
      expect(found).toHaveLength(1);
      expect(r.stdout).toContain(`Created ${args[0]} API key `);
      expect(r.stdout).toContain('will not be shown again');
      keys.push(found[0] as string);
    }
    for (const format of [[], ['--json']]) {
      const list = await feedgateAsync(['apikeys', 'list', ...source(), ...format]);
      expect(list.status).toBe(0);
      for (const key of keys) expect(list.stdout).not.toContain(key);
      expect(list.stdout).not.toMatch(KEY);
    }
    // The new keys work: the full-control one reads the snapshot, the feed one is refused.
    const snapshot = (key: string) =>
      admin.server.request('/api/feedgate/v1/snapshot', { headers: { 'X-ApiKey': key } });
    expect((await snapshot(keys[0] as string)).status).toBe(200);
    expect((await snapshot(keys[2] as string)).status).toBe(403);
  });

  it('--json: the info with the key, once', async () => {
    const r = await feedgateAsync([
      'apikeys',
      'create',
      'personal',
      '--user',
      'bob',
      '--name',
      'bob laptop',
      '--json',
      ...source(),
    ]);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ type: 'personal', user: 'bob', displayName: 'bob laptop' });
    expect(info.key).toMatch(/^fgk_/);
    expect(r.stdout.match(KEY)).toHaveLength(1);
  });

  it('a refusal by the server (unknown user, unknown feed): exit 1', async () => {
    for (const args of [
      ['personal', '--user', 'nobody'],
      ['feed', '--feed', 'NoSuchFeed', '--permissions', 'view'],
    ]) {
      const r = await feedgateAsync(['apikeys', 'create', ...args, ...source()]);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: the server refused the request: .*unknown/);
    }
  });

  it('malformed options: exit 2 and the server logged no request', async () => {
    const before = admin.server.logs.length;
    for (const args of [
      [
        'feed',
        '--feed',
        'Production',
        '--feed-group',
        'production-packages',
        '--permissions',
        'view',
      ],
      ['feed', '--feed', 'Production', '--permissions', 'view,publish'],
      ['feed', '--feed', 'Production', '--permissions', ''],
      ['feed', '--feed', 'Production'],
      ['feed', '--permissions', 'view'],
      ['system', '--full-control', '--expiration', 'tomorrow'],
      ['system', '--full-control', '--expiration', '2001-01-01'],
      ['system', '--full-control', '--expiration', '2027-13-45'],
      ['system', '--full-control', '--system-apis', 'Feeds'],
      ['system'],
      ['system', '--full-control', '--bogus'],
      ['personal'],
      ['personal', '--user', ' '],
      ['team', '--user', 'alice'],
    ]) {
      const r = await feedgateAsync(['apikeys', 'create', ...args, ...source()]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(/^feedgate: /m);
    }
    expect(admin.server.logs.length).toBe(before);
  });
});
