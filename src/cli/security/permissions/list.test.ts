// `feedgate security permissions list`, the real bundled CLI against a real
// instance on 127.0.0.1; with a named source whose key is in a real keychain (gnome-keyring in
// a private D-Bus session) too.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/cli';
import { feedgateAsync } from '../../../../test/helpers/cli-async';
import { NO_KEYCHAIN_ENV, useKeyring } from '../../../../test/helpers/keyring';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const keyring = useKeyring();
const tmp = tempDir();

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
  tmp.cleanup();
});

describe('feedgate security permissions list', () => {
  it('the grants as a table and as JSON', async () => {
    const r = await feedgateAsync(['security', 'permissions', 'list', ...source()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+PRINCIPAL\s+TASK\s+SCOPE\s+EFFECT/);
    const json = await feedgateAsync(['security', 'permissions', 'list', '--json', ...source()]);
    expect(json.status).toBe(0);
    const grants = JSON.parse(json.stdout) as { id: number; deny: boolean }[];
    expect(grants.length).toBeGreaterThan(0);
    for (const g of grants)
      expect(r.stdout).toMatch(
        new RegExp(`^${g.id}\\s+(user|group) .+\\s+${g.deny ? 'deny' : 'grant'}\\s*$`, 'm'),
      );
  });
});

describe('feedgate security permissions list --source NAME', { timeout: 30_000 }, () => {
  it('uses the API key stored in the keychain for the named source: no --api-key needed', async () => {
    const env = { ...keyring().env, FEEDGATE_CONFIG_DIR: path.join(tmp.dir, 'config') };
    const add = await feedgateAsync(
      ['sources', 'add', '--name', 'ci', '--url', admin.server.base, '--api-key', admin.key],
      env,
    );
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);

    const named = await feedgateAsync(['security', 'permissions', 'list', '--source', 'ci'], env);
    expect(named.stderr).toBe('');
    expect(named.status).toBe(0);
    const direct = await feedgateAsync(['security', 'permissions', 'list', ...source()]);
    expect(named.stdout).toBe(direct.stdout);
    expect(named.stdout).toMatch(/^\d+\s+group Administrators\s+Administer\s+all feeds\s+grant/m);
    expect(named.stdout + named.stderr).not.toContain(admin.key);

    // --api-key still wins over the stored key: a wrong one is refused.
    const wrong = await feedgateAsync(
      ['security', 'permissions', 'list', '--source', 'ci', '--api-key', 'Wrong-Named-Key-7d1f'],
      env,
    );
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toBe('feedgate: access denied (check the API key)\n');

    // Without a reachable keychain the stored key cannot be read: exit 2, and it says so.
    const locked = await feedgateAsync(['security', 'permissions', 'list', '--source', 'ci'], {
      ...env,
      ...NO_KEYCHAIN_ENV,
    });
    expect(locked.status).toBe(2);
    expect(locked.stdout).toBe('');
    expect(locked.stderr).toMatch(/^feedgate: no OS keychain is reachable/);
    expect(locked.stderr).toContain('Pass the key with --api-key instead.');
  });
});
