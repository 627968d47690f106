// `feedgate security users edit`, the real bundled CLI against a real instance on 127.0.0.1:
// only the fields given change, a new password signs in (the old one no longer does) and is
// never printed, an unknown user is refused with exit 1 and nothing written.
import { beforeAll, describe, expect, it } from 'vitest';
import { securityCli } from '../../../../test/helpers/security-cli';

const cli = securityCli('users');
const OLD_PASSWORD = 'Old-Pass-Needle-for-edit';
const NEW_PASSWORD = 'New-Pass-Needle-for-edit';

beforeAll(async () => {
  await cli.post('/api/security/users/add', {
    name: 'rita',
    displayName: 'Rita R',
    email: 'rita@example.org',
    password: OLD_PASSWORD,
    groups: ['Administrators'],
  });
});

const rita = async () =>
  (await cli.get<{ name: string }[]>('/api/security/users/list?search-term=rita')).find(
    (u) => u.name === 'rita',
  );
/** The status of a snapshot read signed in as rita with `password`. */
const signIn = async (password: string) =>
  (
    await cli.admin.server.request('/api/feedgate/v1/snapshot', {
      headers: { 'X-ApiKey': `rita:${password}` },
    })
  ).status;

describe('feedgate security users edit', { timeout: 30_000 }, () => {
  it('changes only the fields given, with one new revision', async () => {
    const from = await cli.revision();
    const r = await cli.run('edit', '--user', 'rita', '--email', 'rita@example.com');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Updated user rita on ${cli.admin.server.base}.\n`);
    expect(await rita()).toEqual({
      name: 'rita',
      displayName: 'Rita R',
      email: 'rita@example.com',
      groups: ['Administrators'],
    });
    expect(await cli.revision()).toBe(from + 1);

    const name = await cli.run('edit', '--name', 'rita', '--display-name', '  Rita S  ');
    expect(name.status).toBe(0);
    expect(await rita()).toMatchObject({ displayName: 'Rita S', email: 'rita@example.com' });
  });

  it('--password sets a new password: it signs in, the old one does not; never printed', async () => {
    expect(await signIn(OLD_PASSWORD)).toBe(200);
    const r = await cli.run('edit', '--user', 'rita', '--password', NEW_PASSWORD);
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(NEW_PASSWORD);
    expect(await signIn(NEW_PASSWORD)).toBe(200);
    expect(await signIn(OLD_PASSWORD)).toBe(403);
    expect(cli.admin.server.logs.join('\n')).not.toContain(NEW_PASSWORD);
  });

  it('an unknown user or a too short password: exit 1 with the server message, nothing written', async () => {
    const from = await cli.revision();
    const before = await rita();
    const unknown = await cli.run('edit', '--user', 'nobody', '--email', 'n@example.org');
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe(
      'feedgate: the server refused the request: unknown user "nobody"\n',
    );
    const short = await cli.run('edit', '--user', 'rita', '--password', 'short');
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('password');
    expect(short.stderr).not.toContain('short\n');
    expect(await cli.revision()).toBe(from);
    expect(await rita()).toEqual(before);
    expect(await signIn(NEW_PASSWORD)).toBe(200);
  });

  it('nothing to change, or an empty value: exit 2 and no request', async () => {
    await cli.expectBadInput(
      [['edit', '--user', 'rita']],
      'feedgate: nothing to change: give --display-name, --email or --password\n',
    );
    for (const option of ['--display-name', '--email', '--password'])
      await cli.expectBadInput(
        [['edit', '--user', 'rita', option, '']],
        `feedgate: ${option} must not be empty\n`,
      );
  });
});
