// `feedgate security users show`, the real bundled CLI against a real instance on 127.0.0.1:
// one user by exact name (never a partial match of the search), as lines or JSON.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectUnreachable, securityCli } from '../../../../test/helpers/security-cli';

const cli = securityCli('users');

beforeAll(async () => {
  // "ali" is inside alice's name and inside this user's email: search terms that are no match.
  await cli.post('/api/security/users/add', {
    name: 'quinn',
    displayName: 'Quinn Q',
    email: 'ali@example.org',
    password: 'Quinn-Password-Needle-8e2d',
    groups: ['Developers', 'Administrators'],
  });
});

describe('feedgate security users show', { timeout: 30_000 }, () => {
  it('prints name, display name, email and groups; "-" for what is unset', async () => {
    const r = await cli.run('show', '--user', 'quinn');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'Name:         quinn\n' +
        'Display name: Quinn Q\n' +
        'Email:        ali@example.org\n' +
        'Groups:       Administrators, Developers\n',
    );
    const carol = await cli.run('show', '--name', 'carol');
    expect(carol.status).toBe(0);
    expect(carol.stdout).toBe(
      'Name:         carol\nDisplay name: -\nEmail:        -\nGroups:       Administrators\n',
    );
  });

  it('--json prints the user, never a password', async () => {
    const r = await cli.run('show', '--user', 'quinn', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'quinn',
      displayName: 'Quinn Q',
      email: 'ali@example.org',
      groups: ['Administrators', 'Developers'],
    });
    expect(r.stdout).not.toContain('Quinn-Password-Needle-8e2d');
  });

  it('matches the name exactly but case-insensitively, not a part of it or of an email', async () => {
    const upper = await cli.run('show', '--user', 'ALICE', '--json');
    expect(upper.status).toBe(0);
    expect(JSON.parse(upper.stdout)).toMatchObject({ name: 'alice' });
    const partial = await cli.run('show', '--user', 'ali');
    expect(partial.status).toBe(1);
    expect(partial.stdout).toBe('');
    expect(partial.stderr).toBe(`feedgate: no user "ali" on ${cli.admin.server.base}\n`);
  });

  it('a wrong key: exit 1 "access denied"; an unreachable URL: exit 3', async () => {
    await cli.expectAccessDenied('users', 'show', '--user', 'alice');
    await expectUnreachable(['users', 'show', '--user', 'alice']);
  });
});
