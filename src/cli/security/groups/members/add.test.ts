// `feedgate security groups members add`, the real bundled CLI against a real instance on
// 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { expectUnreachable, securityCli } from '../../../../../test/helpers/security-cli';

const cli = securityCli('groups', 'members');

const membersOf = async (group: string) =>
  (await cli.get<{ name: string; users: string[] }[]>('/api/security/groups/list')).find(
    (g) => g.name === group,
  )?.users;

const wroteGroups = (since: number) => cli.requested('/api/security/groups/update', since);

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups members add', { timeout: 60_000 }, () => {
  it('adds a user, keeping the other members (either side) in one revision', async () => {
    const before = await cli.revision();
    const requests = cli.admin.server.logs.length;
    const r = await cli.run('add', '--group', 'Developers', '--user', 'carol');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Added carol to group Developers on ${cli.admin.server.base}.\n`);
    expect(await membersOf('Developers')).toEqual(['alice', 'bob', 'carol']);
    expect(await cli.revision()).toBe(before + 1);
    expect(wroteGroups(requests)).toBe(true);
    // carol keeps her other group.
    expect(await membersOf('Administrators')).toContain('carol');
  });

  it('keeps the groups nested in the group', async () => {
    await cli.post('/api/security/groups/add', {
      name: 'Outer',
      users: ['alice'],
      groups: ['Developers'],
    });
    const r = await cli.run('add', '--group', 'Outer', '--user', 'bob');
    expect(r.status).toBe(0);
    const snapshot = await cli.get<{ groups: { name: string; groups?: string[] }[] }>(
      '/api/feedgate/v1/snapshot',
    );
    expect(snapshot.groups.find((g) => g.name === 'Outer')?.groups).toEqual(['Developers']);
    expect(await membersOf('Outer')).toEqual(['alice', 'bob']);
  });

  it('already a member: exit 0, says so, nothing written', async () => {
    const before = await cli.revision();
    const requests = cli.admin.server.logs.length;
    const r = await cli.run('add', '--group', 'Developers', '--user', 'alice');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `alice is already a member of Developers on ${cli.admin.server.base}: nothing changed.\n`,
    );
    expect(await cli.revision()).toBe(before);
    expect(wroteGroups(requests)).toBe(false);
  });

  it('an unknown user: exit 1 with the server message; an unknown group: exit 1', async () => {
    const before = await cli.revision();
    const user = await cli.run('add', '--group', 'Developers', '--user', 'nobody');
    expect(user.status).toBe(1);
    expect(user.stdout).toBe('');
    expect(user.stderr).toMatch(
      /^feedgate: the server refused the request: .*unknown user "nobody"/,
    );
    const group = await cli.run('add', '--group', 'Nobody', '--user', 'alice');
    expect(group.status).toBe(1);
    expect(group.stderr).toBe(`feedgate: no group "Nobody" on ${cli.admin.server.base}\n`);
    expect(await cli.revision()).toBe(before);
  });

  it('malformed options: exit 2 and no request; an unreachable URL: exit 3', async () => {
    await cli.expectBadInput([
      ['add', '--group', 'Developers'],
      ['add', '--user', 'carol'],
      ['add', '--group', '', '--user', 'carol'],
      ['add', '--group', 'Developers', '--user', ' '],
      ['add', '--group', 'Developers', '--user', 'carol', '--feed', 'x'],
    ]);
    await expectUnreachable([
      'groups',
      'members',
      'add',
      '--group',
      'Developers',
      '--user',
      'carol',
    ]);
  });
});
