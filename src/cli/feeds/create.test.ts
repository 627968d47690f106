// `feedgate feeds create`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { commandCli } from '../../../test/helpers/security-cli';

const cli = commandCli('feeds');

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate feeds create', { timeout: 60_000 }, () => {
  it('creates a feed with type, access, group and description (one revision); an existing name is exit 1', async () => {
    const before = await cli.revision();
    const r = await cli.run(
      'create',
      '--feed',
      'libs',
      '--type',
      'npm',
      '--access',
      'community',
      '--feed-group',
      'production-packages',
      '--description',
      'shared libraries',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Created community npm feed libs in feed group production-packages on ${cli.admin.server.base}.\n`,
    );
    expect(await cli.revision()).toBe(before + 1);
    expect(await cli.get('/api/management/feeds/get/libs')).toMatchObject({
      feedType: 'npm',
      access: 'community',
      feedGroup: 'production-packages',
      description: 'shared libraries',
    });

    const plain = await cli.run('create', '--name', 'plain');
    expect(plain.stdout).toBe(
      `Created private universal feed plain on ${cli.admin.server.base}.\n`,
    );

    const again = await cli.run('create', '--feed', 'libs');
    expect(again.status).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe('feedgate: a feed named "libs" already exists\n');

    const noGroup = await cli.run('create', '--feed', 'x', '--feed-group', 'nope');
    expect(noGroup.status).toBe(1);
    expect(noGroup.stderr).toBe(
      'feedgate: the server refused the request: feedGroup: no feed group named "nope"\n',
    );
  });

  it('malformed options: exit 2 and no request', async () => {
    await cli.expectBadInput([
      ['create'],
      ['create', '--feed', ' '],
      ['create', '--feed', 'a', '--name', 'b'],
      ['create', '--feed', 'a', '--type', 'cargo-ish'],
      ['create', '--feed', 'a', '--access', 'secret'],
      ['create', '--feed', 'a', '--feed-group', ''],
    ]);
    const unknownType = await cli.run('create', '--feed', 'a', '--type', 'cargo-ish');
    expect(unknownType.stderr).toMatch(/^feedgate: --type must be one of universal, nuget, npm/);
  });
});
