// `feedgate security groups members list`, the real bundled CLI against a real instance on
// 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { securityCli } from '../../../../../test/helpers/security-cli';

const cli = securityCli('groups', 'members');

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups members list', { timeout: 60_000 }, () => {
  it('the member users one per line, or as a JSON array', async () => {
    const r = await cli.run('list', '--group', 'Developers');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('alice\nbob\n');
    const json = await cli.run('list', '--group', 'Administrators', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(['Admin', 'carol']);
  });

  it('an empty group says so; an unknown group: exit 1', async () => {
    await cli.post('/api/security/groups/add', { name: 'Empty' });
    const empty = await cli.run('list', '--group', 'Empty');
    expect(empty.status).toBe(0);
    expect(empty.stdout).toBe(`Group Empty has no members on ${cli.admin.server.base}.\n`);
    const unknown = await cli.run('list', '--group', 'Nobody');
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe(`feedgate: no group "Nobody" on ${cli.admin.server.base}\n`);
  });

  it('no or an empty --group: exit 2 and the server logged no request', async () => {
    await cli.expectBadInput([
      ['list'],
      ['list', '--group', ' '],
      ['list', '--name', 'Developers'],
    ]);
  });
});
