// `feedgate directories add`, the real bundled CLI against a real instance and a real slapd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import { startLdapCliFixture, type LdapCliFixture } from '../../../test/helpers/directories-cli';
import { READER_PASSWORD } from '../../../test/helpers/slapd';
import { storedBytes } from '../../../test/helpers/stored-bytes';

let f: LdapCliFixture;
beforeAll(async () => {
  f = await startLdapCliFixture();
});
afterAll(() => f.stop());

describe('feedgate directories add', { timeout: 30_000 }, () => {
  it('adds an inactive LDAP directory from a preset; the bind password never shown or stored in clear', async () => {
    const r = await feedgateAsync(['directories', 'add', ...f.corpOptions(), ...f.source()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Added LDAP directory "Corp" (inactive) on ${f.admin.server.base}.\nTry it: feedgate directories test --name "Corp" --user <name>\n`,
    );
    const shown = await f.admin.server.request('/api/feedgate/v1/directories/Corp', {
      headers: f.admin.auth,
    });
    expect(shown.json).toMatchObject({
      active: false,
      config: { preset: 'openldap', url: f.slapd.url, hasBindPassword: true },
    });
    expect(storedBytes(f.admin.server.dir)).not.toContain(READER_PASSWORD);
    expect(f.admin.server.logs.join('\n')).not.toContain(READER_PASSWORD);
  });

  it('takes the bind password from FEEDGATE_BIND_PASSWORD; an existing name is refused (exit 1)', async () => {
    const options = f.corpOptions().filter((o) => o !== '--bind-password' && o !== READER_PASSWORD);
    const named = options.map((o) => (o === 'Corp' ? 'Corp2' : o));
    const r = await feedgateAsync(
      ['directories', 'add', ...named, '--cache-ttl', '0', ...f.source()],
      {
        FEEDGATE_BIND_PASSWORD: READER_PASSWORD,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const test = await feedgateAsync(['directories', 'test', '--name', 'Corp2', ...f.source()]);
    expect(test.stdout).toContain('Connection: ok');
    const again = await feedgateAsync(['directories', 'add', ...f.corpOptions(), ...f.source()]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('name: a directory named "Corp" exists');
  });

  it('bad settings: exit 2 naming the option, nothing sent', async () => {
    const before = f.admin.server.logs.length;
    const minimal = [
      '--name',
      'X',
      '--url',
      'ldap://x',
      '--user-base',
      'o=x',
      '--group-base',
      'o=x',
    ];
    const cases: [string[], string][] = [
      [
        ['--name', 'X', '--url', 'http://x', '--user-base', 'o=x', '--group-base', 'o=x'],
        'url: must start with ldap:// or ldaps://',
      ],
      [
        ['--name', 'X', '--url', 'ldap://x', '--group-base', 'o=x'],
        'userBase is required (--user-base)',
      ],
      [[...minimal, '--max-depth', 'deep'], '--max-depth must be a whole number'],
      [[...minimal, '--membership', 'magic'], "argument 'magic' is invalid"],
      [[...minimal, '--user-filter', 'uid=x'], 'userFilter: must contain %s'],
    ];
    for (const [args, message] of cases) {
      const r = await feedgateAsync(['directories', 'add', ...args, ...f.source()]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(f.admin.server.logs.length).toBe(before);
  });
});
