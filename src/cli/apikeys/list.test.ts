// `feedgate apikeys list`, the real bundled CLI against a real instance on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/auth/api-keys';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import { startAdminTestInstance, type AdminTestInstance } from '../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
let feedKey: string;

beforeAll(async () => {
  admin = await startAdminTestInstance();
  feedKey = createApiKey(admin.server.db, {
    type: 'feed',
    feed: 'Production',
    packagePermissions: ['view', 'add'],
    displayName: 'deploy',
    expiration: '2099-06-30T00:00:00Z',
  }).key;
});
afterAll(async () => {
  await admin.server.close();
});

describe('feedgate apikeys list', () => {
  it('a table: id, type, name, scope, expiry, last used, revoked; never a key', async () => {
    const r = await feedgateAsync(['apikeys', 'list', ...source()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+NAME\s+SCOPE\s+EXPIRES\s+LAST USED\s+REVOKED$/);
    expect(lines[1]).toMatch(new RegExp(`^${admin.keyId}\\s+system\\s+-\\s+full control\\s+never`));
    expect(lines[2]).toMatch(
      /^\d+\s+feed\s+deploy\s+feed Production \(view,add\)\s+2099-06-30T00:00:00\.000Z\s+-\s+-$/,
    );
    expect(r.stdout).not.toContain(admin.key);
    expect(r.stdout).not.toContain(feedKey);
  });

  it('--json: the keys as the server describes them, without their text', async () => {
    const r = await feedgateAsync(['apikeys', 'list', '--json', ...source()]);
    expect(r.status).toBe(0);
    const keys = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(keys.map((k) => k.type)).toEqual(['system', 'feed']);
    expect(keys[1]).toMatchObject({ feed: 'Production', packagePermissions: ['view', 'add'] });
    for (const k of keys) expect(k).not.toHaveProperty('key');
    expect(r.stdout).not.toMatch(/fgk_/);
  });

  it('a feed key is refused: exit 1, never the key text', async () => {
    const r = await feedgateAsync([
      'apikeys',
      'list',
      '--source',
      admin.server.base,
      '--api-key',
      feedKey,
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('feedgate: access denied (check the API key)\n');
    expect(r.stdout + r.stderr).not.toContain(feedKey);
  });

  it('an unknown option: exit 2, nothing sent', async () => {
    const before = admin.server.logs.length;
    const r = await feedgateAsync(['apikeys', 'list', '--bogus', ...source()]);
    expect(r.status).toBe(2);
    expect(admin.server.logs.length).toBe(before);
  });
});
