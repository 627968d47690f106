// `feedgate security groups list`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { securityCli } from '../../../../test/helpers/security-cli';

const cli = securityCli('groups');

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups list', { timeout: 60_000 }, () => {
  it('the groups with their members (either side of the membership) as a table and JSON', async () => {
    const r = await cli.run('list');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+MEMBERS\n/);
    // alice and bob name Developers on their side; carol and Admin are listed by Administrators.
    expect(r.stdout).toMatch(/^Developers\s+alice,bob$/m);
    expect(r.stdout).toMatch(/^Administrators\s+Admin,carol$/m);
    const json = await cli.run('list', '--json');
    expect(json.status).toBe(0);
    const list = JSON.parse(json.stdout) as unknown[];
    expect(list).toHaveLength(2);
    expect(list).toContainEqual({ name: 'Developers', users: ['alice', 'bob'] });
    expect(list).toContainEqual({ name: 'Administrators', users: ['Admin', 'carol'] });
  });

  it('an unknown option: exit 2 and the server logged no request', async () => {
    await cli.expectBadInput(
      [['list', '--member', 'alice']],
      /^feedgate: unknown option '--member'/,
    );
  });
});
