// `feedgate feeds list`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { commandCli, expectUnreachable } from '../../../test/helpers/security-cli';

const cli = commandCli('feeds');

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate feeds list', { timeout: 60_000 }, () => {
  it('lists the feeds as a table (type, access, group, packages) and as JSON', async () => {
    const r = await cli.run('list');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/NAME\s+TYPE\s+ACCESS\s+FEED GROUP\s+PACKAGES\s+DESCRIPTION/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 5))).toEqual([
      ['Production', 'nuget', 'private', 'production-packages', '0'],
      ['Staging', 'nuget', 'private', '-', '0'],
      ['public-npm', 'npm', 'public', '-', '0'],
    ]);
    const asJson = await cli.run('list', '--json');
    expect(asJson.status).toBe(0);
    expect(JSON.parse(asJson.stdout)).toEqual(await cli.get('/api/management/feeds/list'));
  });

  it('a wrong API key: exit 1 "access denied"; an unreachable URL: exit 3', async () => {
    await cli.expectAccessDenied('list');
    await expectUnreachable(['list'], 'feeds');
  });
});
