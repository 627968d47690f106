// `feedgate feeds groups create`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { commandCli } from '../../../../test/helpers/security-cli';

const cli = commandCli('feeds');

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate feeds groups create', { timeout: 60_000 }, () => {
  it('creates an empty feed group (--feed-group or --name); an existing name is exit 1', async () => {
    const before = await cli.revision();
    const r = await cli.run('groups', 'create', '--feed-group', 'tools');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Created feed group tools on ${cli.admin.server.base}.\n`);
    expect(await cli.revision()).toBe(before + 1);
    expect(await cli.get('/api/management/feed-groups/list')).toContainEqual({
      name: 'tools',
      feeds: [],
    });
    expect((await cli.run('groups', 'create', '--name', 'more')).status).toBe(0);
    const again = await cli.run('groups', 'create', '--feed-group', 'tools');
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('feedgate: a feed group named "tools" already exists\n');
  });

  it('malformed options: exit 2 and no request', async () => {
    await cli.expectBadInput(
      [
        ['groups', 'create'],
        ['groups', 'create', '--feed-group', ' '],
        ['groups', 'create', '--feed-group', 'a', '--name', 'b'],
      ],
      /^feedgate: --feed-group/,
    );
  });
});
