// `feedgate directories activate`, the real bundled CLI against a real instance and a real slapd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import { startLdapCliFixture, type LdapCliFixture } from '../../../test/helpers/directories-cli';

let f: LdapCliFixture;
beforeAll(async () => {
  f = await startLdapCliFixture();
  await f.addCorp();
});
afterAll(() => f.stop());

const activate = (name: string, ...args: string[]) =>
  feedgateAsync(['directories', 'activate', '--name', name, ...args, ...f.source()]);
const active = () =>
  f.admin.server.db.prepare('SELECT name FROM directories WHERE active = 1').get();

describe('feedgate directories activate', { timeout: 30_000 }, () => {
  it('refuses a directory where nobody could administer (exit 1, who and why), --force switches', async () => {
    f.grantAdminister(['no-such-group']);
    const refused = await activate('Corp');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('No user or non-empty group of LDAP directory "Corp"');
    expect(refused.stderr).toContain('It would lock out: Admin, carol (directory "Built-in")');
    expect(active()).toEqual({ name: 'Built-in' });

    const forced = await activate('Corp', '--force');
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(
      /^Directory "Corp" is now active on .+ \(policy revision \d+\)\.\n$/,
    );
    expect(active()).toEqual({ name: 'Corp' });
    await activate('Built-in', '--force');
  });

  it('a directory whose granted group has LDAP users: switched; again is a no-op; an unknown one is refused', async () => {
    f.grantAdminister(['databases']);
    expect((await activate('Corp')).status).toBe(0);
    const again = await activate('Corp');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('was already active');
    const signedIn = await f.admin.server.request('/api/feedgate/v1/directories', {
      headers: { 'X-ApiKey': 'zoe:pw-zoë-ü' },
    });
    expect(signedIn.status).toBe(200);
    const unknown = await activate('Nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown directory "Nope"');
  });
});
