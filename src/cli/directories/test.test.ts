// `feedgate directories test`, the real bundled CLI against a real instance and a real slapd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, feedgateAsync } from '../../../test/helpers/cli-async';
import { jsonPost } from '../../../test/helpers/server';
import { startLdapCliFixture, type LdapCliFixture } from '../../../test/helpers/directories-cli';
import { auditAfter, policyRevision } from '../../server/store/index';

let f: LdapCliFixture;
beforeAll(async () => {
  f = await startLdapCliFixture();
  await f.addCorp();
});
afterAll(() => f.stop());

const test = (...args: string[]) =>
  feedgateAsync(['directories', 'test', '--name', 'Corp', ...args, ...f.source()]);

describe('feedgate directories test', { timeout: 30_000 }, () => {
  it('binds, looks the user up with their nested groups, tries the password; changes nothing', async () => {
    const revision = policyRevision(f.admin.server.db);
    const audit = auditAfter(f.admin.server.db).length;
    const r = await test('--user', 'user010', '--password', 'pw-user010');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        `Connection: ok (${f.slapd.url}, security: none)`,
        'User "user010": uid=user010,ou=people,dc=example,dc=com',
        'Groups (5): backend, company, databases, engineering, team-10',
        'Sign-in: ok',
        '',
      ].join('\n'),
    );
    expect(r.stdout).not.toContain('pw-user010');
    expect(policyRevision(f.admin.server.db)).toBe(revision);
    expect(auditAfter(f.admin.server.db)).toHaveLength(audit);
  });

  it('a wrong password, an unknown user, a user in no group', async () => {
    const wrong = await test('--user', 'user010', '--password', 'nope');
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('Sign-in: refused (invalid user name or password)');
    const ghost = await test('--user', 'ghost');
    expect(ghost.status).toBe(1);
    expect(ghost.stdout).toContain('User "ghost": not found');
    const loner = await test('--user', 'loner');
    expect(loner.status).toBe(0);
    expect(loner.stdout).toContain('Groups (0): -');
  });

  it('a server that cannot be reached: exit 1 with the step that failed', async () => {
    const down = {
      name: 'Down',
      url: `ldap://127.0.0.1:${await closedPort()}`,
      userBase: 'o=x',
      groupBase: 'o=x',
    };
    const added = await f.admin.server.request(
      '/api/feedgate/v1/directories',
      jsonPost(down, f.admin.auth),
    );
    expect(added.status, added.text).toBe(201);
    const r = await feedgateAsync([
      'directories',
      'test',
      '--name',
      'Down',
      '--user',
      'user010',
      ...f.source(),
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^Failed \(unreachable\): directory "Down" \(ldap:\/\/127\.0\.0\.1:\d+\) cannot be reached \(ECONNREFUSED\)\n$/,
    );
  });

  it('--json; --password without --user is bad input; the built-in directory has nothing to test', async () => {
    const r = await test('--user', 'zoe', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      user: { name: 'zoe', displayName: 'Zoë Ångström', found: true },
    });
    expect((await test('--password', 'x')).status).toBe(2);
    const builtin = await feedgateAsync([
      'directories',
      'test',
      '--name',
      'Built-in',
      ...f.source(),
    ]);
    expect(builtin.status).toBe(1);
    expect(builtin.stderr).toContain('nothing to test');
  });
});
