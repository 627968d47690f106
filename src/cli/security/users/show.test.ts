// `feedgate security users show`, the real bundled CLI against a real instance on 127.0.0.1:
// one user by exact name (never a partial match of the search), as lines or JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, feedgateAsync } from '../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';
import { jsonPost } from '../../../../test/helpers/server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const users = (...args: string[]) => feedgateAsync(['security', 'users', ...args, ...source()]);

beforeAll(async () => {
  admin = await startAdminTestInstance();
  // "ali" is inside alice's name and inside this user's email: search terms that are no match.
  const added = await admin.server.request(
    '/api/security/users/add',
    jsonPost(
      {
        name: 'quinn',
        displayName: 'Quinn Q',
        email: 'ali@example.org',
        password: 'Quinn-Password-Needle-8e2d',
        groups: ['Developers', 'Administrators'],
      },
      admin.auth,
    ),
  );
  expect(added.status, added.text).toBe(200);
});
afterAll(async () => {
  await admin.server.close();
});

describe('feedgate security users show', { timeout: 30_000 }, () => {
  it('prints name, display name, email and groups; "-" for what is unset', async () => {
    const r = await users('show', '--user', 'quinn');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'Name:         quinn\n' +
        'Display name: Quinn Q\n' +
        'Email:        ali@example.org\n' +
        'Groups:       Administrators, Developers\n',
    );
    const carol = await users('show', '--name', 'carol');
    expect(carol.status).toBe(0);
    expect(carol.stdout).toBe(
      'Name:         carol\nDisplay name: -\nEmail:        -\nGroups:       Administrators\n',
    );
  });

  it('--json prints the user, never a password', async () => {
    const r = await users('show', '--user', 'quinn', '--json');
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
    const upper = await users('show', '--user', 'ALICE', '--json');
    expect(upper.status).toBe(0);
    expect(JSON.parse(upper.stdout)).toMatchObject({ name: 'alice' });
    const partial = await users('show', '--user', 'ali');
    expect(partial.status).toBe(1);
    expect(partial.stdout).toBe('');
    expect(partial.stderr).toBe(`feedgate: no user "ali" on ${admin.server.base}\n`);
  });

  it('a wrong key: exit 1 "access denied"; an unreachable URL: exit 3', async () => {
    const denied = await feedgateAsync([
      'security',
      'users',
      'show',
      '--user',
      'alice',
      '--source',
      admin.server.base,
      '--api-key',
      'Show-Wrong-Key-Needle-51a0',
    ]);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toBe('feedgate: access denied (check the API key)\n');
    expect(denied.stdout + denied.stderr).not.toContain('Show-Wrong-Key-Needle-51a0');
    const port = await closedPort();
    const unreachable = await feedgateAsync([
      'security',
      'users',
      'show',
      '--user',
      'alice',
      '--source',
      `http://127.0.0.1:${port}`,
      '--api-key',
      'k',
    ]);
    expect(unreachable.status).toBe(3);
    expect(unreachable.stderr).toBe(
      `feedgate: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`,
    );
  });
});
