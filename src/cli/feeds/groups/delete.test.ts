// `feedgate feeds groups delete`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { commandCli, expectUnreachable } from '../../../../test/helpers/security-cli';

const cli = commandCli('feeds');

const groupNames = async () =>
  (await cli.get<{ name: string }[]>('/api/management/feed-groups/list')).map((g) => g.name);

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate feeds groups delete', { timeout: 60_000 }, () => {
  it('refuses a group with feeds (exit 1, the counts); --force deletes it and keeps its feeds', async () => {
    const refused = await cli.run('groups', 'delete', '--feed-group', 'production-packages');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^feedgate: feed group "production-packages" still has 1 feed, 0 grants, 0 feed keys/,
    );
    expect(await groupNames()).toContain('production-packages');

    const forced = await cli.run('groups', 'delete', '--name', 'production-packages', '--force');
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toBe(
      `Deleted feed group production-packages on ${cli.admin.server.base}.\n`,
    );
    expect(await groupNames()).toEqual([]);
    expect(await cli.get('/api/management/feeds/get/Production')).not.toHaveProperty('feedGroup');
  });

  it('an unknown group: exit 1; malformed options: exit 2; unreachable: exit 3', async () => {
    const r = await cli.run('groups', 'delete', '--feed-group', 'nope');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('feedgate: the server refused the request: no feed group "nope"\n');
    await cli.expectBadInput([
      ['groups', 'delete'],
      ['groups', 'delete', '--feed-group', ''],
    ]);
    await expectUnreachable(['groups', 'delete', '--feed-group', 'X'], 'feeds');
  });
});
