// `feedgate security groups delete`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { expectUnreachable, securityCli } from '../../../../test/helpers/security-cli';

const cli = securityCli('groups');

const groupNames = async () =>
  (await cli.get<{ name: string }[]>('/api/security/groups/list')).map((g) => g.name);

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups delete', { timeout: 60_000 }, () => {
  it('deletes a group with its grants (one revision); an absent group changes nothing', async () => {
    const before = await cli.revision();
    const r = await cli.run('delete', '--group', 'Developers');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Deleted group Developers on ${cli.admin.server.base} (2 grant(s) removed; nothing changes if it did not exist).\n`,
    );
    expect(await cli.revision()).toBe(before + 1);
    expect(await groupNames()).not.toContain('Developers');

    const again = await cli.run('delete', '--name', 'Developers');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('0 grant(s) removed');
    expect(await cli.revision()).toBe(before + 1);
  });

  it('a wrong API key: exit 1 "access denied", nothing deleted, the key not echoed', async () => {
    const before = await cli.revision();
    await cli.expectAccessDenied('groups', 'delete', '--group', 'Administrators');
    expect(await cli.revision()).toBe(before);
  });

  it('malformed options: exit 2 and no request; an unreachable URL: exit 3', async () => {
    await cli.expectBadInput(
      [['delete'], ['delete', '--group', ''], ['delete', '--name', '  ']],
      /^feedgate: --group/,
    );
    await expectUnreachable(['groups', 'delete', '--group', 'X']);
  });
});
