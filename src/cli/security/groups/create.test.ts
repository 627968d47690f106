// `feedgate security groups create`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { securityCli } from '../../../../test/helpers/security-cli';

const cli = securityCli('groups');

const groupNames = async () =>
  (await cli.get<{ name: string }[]>('/api/security/groups/list')).map((g) => g.name);

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups create', { timeout: 60_000 }, () => {
  it('creates an empty group (--group or --name); an existing name is refused', async () => {
    const r = await cli.run('create', '--group', 'Testers');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Created group Testers on ${cli.admin.server.base}.\n`);
    expect(await cli.get('/api/security/groups/list')).toContainEqual({
      name: 'Testers',
      users: [],
    });

    const alias = await cli.run('create', '--name', 'Reviewers');
    expect(alias.status).toBe(0);
    expect(await groupNames()).toContain('Reviewers');

    const again = await cli.run('create', '--group', 'Testers');
    expect(again.status).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      'feedgate: the server refused the request: group "Testers" already exists (use groups/update)\n',
    );
  });

  it('malformed options: exit 2 and the server logged no request', async () => {
    await cli.expectBadInput([
      ['create'],
      ['create', '--group', ' '],
      ['create', '--group', 'A', '--name', 'B'],
      ['create', '--group', 'A', '--user', 'alice'],
    ]);
    expect(await groupNames()).not.toContain('A');
  });
});
