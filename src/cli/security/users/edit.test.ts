// `feedgate security users edit`, the real bundled CLI against a real instance on 127.0.0.1:
// only the fields given change, a new password signs in (the old one no longer does) and is
// never printed, an unknown user is refused with exit 1 and nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';
import { jsonPost } from '../../../../test/helpers/server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const users = (...args: string[]) => feedgateAsync(['security', 'users', ...args, ...source()]);

const OLD_PASSWORD = 'Old-Pass-Needle-for-edit';
const NEW_PASSWORD = 'New-Pass-Needle-for-edit';

beforeAll(async () => {
  admin = await startAdminTestInstance();
  const added = await admin.server.request(
    '/api/security/users/add',
    jsonPost(
      {
        name: 'rita',
        displayName: 'Rita R',
        email: 'rita@example.org',
        password: OLD_PASSWORD,
        groups: ['Administrators'],
      },
      admin.auth,
    ),
  );
  expect(added.status, added.text).toBe(200);
});
afterAll(async () => {
  await admin.server.close();
});

async function rita() {
  const r = await admin.server.request('/api/security/users/list?search-term=rita', {
    headers: admin.auth,
  });
  return (r.json as { name: string }[]).find((u) => u.name === 'rita');
}
const revision = async () =>
  (
    (await admin.server.request('/api/feedgate/v1/snapshot', { headers: admin.auth })).json as {
      revision: number;
    }
  ).revision;
const signsIn = async (password: string) =>
  (
    await admin.server.request('/api/feedgate/v1/snapshot', {
      headers: { 'X-ApiKey': `rita:${password}` },
    })
  ).status;

describe('feedgate security users edit', { timeout: 30_000 }, () => {
  it('changes only the fields given, with one new revision', async () => {
    const from = await revision();
    const r = await users('edit', '--user', 'rita', '--email', 'rita@example.com');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Updated user rita on ${admin.server.base}.\n`);
    expect(await rita()).toEqual({
      name: 'rita',
      displayName: 'Rita R',
      email: 'rita@example.com',
      groups: ['Administrators'],
    });
    expect(await revision()).toBe(from + 1);

    const name = await users('edit', '--name', 'rita', '--display-name', '  Rita S  ');
    expect(name.status).toBe(0);
    expect(await rita()).toMatchObject({ displayName: 'Rita S', email: 'rita@example.com' });
  });

  it('--password sets a new password: it signs in, the old one does not; never printed', async () => {
    expect(await signsIn(OLD_PASSWORD)).toBe(200);
    const r = await users('edit', '--user', 'rita', '--password', NEW_PASSWORD);
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(NEW_PASSWORD);
    expect(await signsIn(NEW_PASSWORD)).toBe(200);
    expect(await signsIn(OLD_PASSWORD)).toBe(403);
    expect(admin.server.logs.join('\n')).not.toContain(NEW_PASSWORD);
  });

  it('an unknown user or a too short password: exit 1 with the server message, nothing written', async () => {
    const from = await revision();
    const before = await rita();
    const unknown = await users('edit', '--user', 'nobody', '--email', 'n@example.org');
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe(
      'feedgate: the server refused the request: unknown user "nobody"\n',
    );
    const short = await users('edit', '--user', 'rita', '--password', 'short');
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('password');
    expect(short.stderr).not.toContain('short\n');
    expect(await revision()).toBe(from);
    expect(await rita()).toEqual(before);
    expect(await signsIn(NEW_PASSWORD)).toBe(200);
  });

  it('nothing to change, or an empty value: exit 2 and no request', async () => {
    const logs = admin.server.logs.length;
    const nothing = await users('edit', '--user', 'rita');
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toBe(
      'feedgate: nothing to change: give --display-name, --email or --password\n',
    );
    for (const option of ['--display-name', '--email', '--password']) {
      const empty = await users('edit', '--user', 'rita', option, '');
      expect(empty.status, option).toBe(2);
      expect(empty.stderr).toBe(`feedgate: ${option} must not be empty\n`);
    }
    expect(admin.server.logs.length).toBe(logs);
  });
});
