// `feedgate feeds delete`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { commandCli, expectUnreachable } from '../../../test/helpers/security-cli';

const cli = commandCli('feeds');

const feedNames = async () =>
  (await cli.get<{ name: string }[]>('/api/management/feeds/list')).map((f) => f.name);

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate feeds delete', { timeout: 60_000 }, () => {
  it('refuses a feed with grants (exit 1, the counts, nothing changed); --force deletes it', async () => {
    const before = await cli.revision();
    const refused = await cli.run('delete', '--feed', 'Production');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      'feedgate: feed "Production" still has 2 grants, 0 packages, 0 feed keys: remove them first, or delete with --force\n',
    );
    expect(await cli.revision()).toBe(before);

    const forced = await cli.run('delete', '--name', 'Production', '--force');
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toBe(`Deleted feed Production on ${cli.admin.server.base}.\n`);
    expect(await feedNames()).not.toContain('Production');
    expect(await cli.revision()).toBe(before + 1);
  });

  it('an unknown feed: exit 1 naming it', async () => {
    const r = await cli.run('delete', '--feed', 'nope');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('feedgate: the server refused the request: no feed "nope"\n');
  });

  it('a wrong key: exit 1; malformed options: exit 2 and no request; unreachable: exit 3', async () => {
    await cli.expectAccessDenied('delete', '--feed', 'Staging');
    expect(await feedNames()).toContain('Staging');
    await cli.expectBadInput([['delete'], ['delete', '--feed', ''], ['delete', '--force']]);
    await expectUnreachable(['delete', '--feed', 'X'], 'feeds');
  });
});
