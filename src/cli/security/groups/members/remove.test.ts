// `feedgate security groups members remove`, the real bundled CLI against a real instance on
// 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { securityCli } from '../../../../../test/helpers/security-cli';

const cli = securityCli('groups', 'members');

const groupsOf = async (user: string) =>
  (await cli.get<{ name: string; groups: string[] }[]>('/api/security/users/list')).find(
    (u) => u.name === user,
  )?.groups;

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups members remove', { timeout: 60_000 }, () => {
  it('removes a member named on the user side, keeping the others, in one revision', async () => {
    const before = await cli.revision();
    expect(await groupsOf('alice')).toEqual(['Developers']);
    const r = await cli.run('remove', '--group', 'Developers', '--user', 'alice');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Removed alice from group Developers on ${cli.admin.server.base}.\n`);
    expect(await groupsOf('alice')).toEqual([]);
    expect(await groupsOf('bob')).toEqual(['Developers']);
    expect(await cli.revision()).toBe(before + 1);
    expect((await cli.run('list', '--group', 'Developers')).stdout).toBe('bob\n');
  });

  it('not a member: exit 0, says so, nothing written', async () => {
    const before = await cli.revision();
    const requests = cli.admin.server.logs.length;
    const r = await cli.run('remove', '--group', 'Administrators', '--user', 'bob');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `bob is not a member of Administrators on ${cli.admin.server.base}: nothing changed.\n`,
    );
    expect(await cli.revision()).toBe(before);
    expect(cli.requested('/api/security/groups/update', requests)).toBe(false);
  });

  it('an unknown group: exit 1; malformed options: exit 2 and no request', async () => {
    const unknown = await cli.run('remove', '--group', 'Nobody', '--user', 'bob');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`feedgate: no group "Nobody" on ${cli.admin.server.base}\n`);
    await cli.expectBadInput(
      [
        ['remove', '--group', 'Developers'],
        ['remove', '--user', 'bob', '--group', ''],
      ],
      /^feedgate: --(user|group)/,
    );
  });
});
