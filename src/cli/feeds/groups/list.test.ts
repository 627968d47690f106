// `feedgate feeds groups list`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { commandCli, expectUnreachable } from '../../../../test/helpers/security-cli';

const cli = commandCli('feeds');

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate feeds groups list', { timeout: 60_000 }, () => {
  it('lists the feed groups with their feeds, as a table and as JSON', async () => {
    const r = await cli.run('groups', 'list');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').slice(1)).toEqual([
      expect.stringMatching(/^production-packages\s+Production$/),
    ]);
    const asJson = await cli.run('groups', 'list', '--json');
    expect(JSON.parse(asJson.stdout)).toEqual([
      { name: 'production-packages', feeds: ['Production'] },
    ]);
  });

  it('a wrong API key: exit 1; an unreachable URL: exit 3', async () => {
    await cli.expectAccessDenied('groups', 'list');
    await expectUnreachable(['groups', 'list'], 'feeds');
  });
});
