// `feedgate directories edit`, the real bundled CLI against a real instance and a real slapd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, feedgateAsync } from '../../../test/helpers/cli-async';
import { startLdapCliFixture, type LdapCliFixture } from '../../../test/helpers/directories-cli';

let f: LdapCliFixture;
beforeAll(async () => {
  f = await startLdapCliFixture();
  await f.addCorp();
});
afterAll(() => f.stop());

const config = async () =>
  (
    (
      await f.admin.server.request('/api/feedgate/v1/directories/Corp', {
        headers: f.admin.auth,
      })
    ).json as { config: Record<string, unknown> }
  ).config;

describe('feedgate directories edit', { timeout: 30_000 }, () => {
  it('changes the given settings only; the stored bind password still binds', async () => {
    const r = await feedgateAsync([
      'directories',
      'edit',
      '--name',
      'Corp',
      '--cache-ttl',
      '60',
      '--membership',
      'direct',
      ...f.source(),
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Updated directory "Corp" on ${f.admin.server.base}: membership, cacheTtlSeconds.\n`,
    );
    expect(await config()).toMatchObject({
      cacheTtlSeconds: 60,
      membership: { mode: 'direct', maxDepth: 10 },
      url: f.slapd.url,
      hasBindPassword: true,
    });
    const test = await feedgateAsync([
      'directories',
      'test',
      '--name',
      'Corp',
      '--user',
      'user010',
      ...f.source(),
    ]);
    expect(test.status, test.stdout).toBe(0);
    // Direct membership now: databases and team-10 only.
    expect(test.stdout).toContain('Groups (2): databases, team-10');
  });

  it('the active directory: a change that leaves nobody able to administer needs --force', async () => {
    f.grantAdminister(['engineering']);
    const activated = await feedgateAsync([
      'directories',
      'activate',
      '--name',
      'Corp',
      ...f.source(),
    ]);
    expect(activated.status, activated.stderr).toBe(0);
    const down = `ldap://127.0.0.1:${await closedPort()}`;
    const refused = await feedgateAsync([
      'directories',
      'edit',
      '--name',
      'Corp',
      '--url',
      down,
      ...f.source(),
    ]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('could not be asked who could administer');
    expect(await config()).toMatchObject({ url: f.slapd.url });
    const forced = await feedgateAsync([
      'directories',
      'edit',
      '--name',
      'Corp',
      '--url',
      down,
      '--force',
      ...f.source(),
    ]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(await config()).toMatchObject({ url: down });
  });

  it('nothing to change, a bad value, an unknown directory', async () => {
    const edit = (...args: string[]) =>
      feedgateAsync(['directories', 'edit', ...args, ...f.source()]);
    const none = await edit('--name', 'Corp');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('nothing to change');
    expect((await edit('--name', 'Corp', '--cache-ttl', '-1')).status).toBe(2);
    const server = await edit('--name', 'Corp', '--url', 'http://x', '--force');
    expect(server.status).toBe(1);
    expect(server.stderr).toContain('url: must start with ldap:// or ldaps://');
    const unknown = await edit('--name', 'Nope', '--cache-ttl', '1');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no directory named "Nope"');
  });
});
