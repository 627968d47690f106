// `feedgate security tasks list`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { ATTRIBUTES, BUILT_IN_TASKS } from '../../../core/index';
import { securityCli } from '../../../../test/helpers/security-cli';

const cli = securityCli('tasks');

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security tasks list', { timeout: 60_000 }, () => {
  it('every task (built-in ones included) as a table and as JSON', async () => {
    const r = await cli.run('list');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+FEED SCOPE\s+ATTRIBUTES\s+DESCRIPTION\n/);
    expect(r.stdout).toMatch(
      /^View & Download Packages\s+yes\s+Feeds_ViewFeed, Feeds_DownloadPackage\s+Read-only access to packages$/m,
    );
    // Administer holds every attribute, some system-only: shortened, not feed-scopable.
    const more = ATTRIBUTES.length - 2;
    expect(r.stdout).toMatch(
      new RegExp(`^Administer\\s+no\\s+\\S+, \\S+ and ${more} more\\s+Every attribute`, 'm'),
    );

    const json = await cli.run('list', '--json');
    expect(json.status).toBe(0);
    const list = JSON.parse(json.stdout) as { name: string; attributes: string[] }[];
    for (const builtIn of BUILT_IN_TASKS)
      expect(list.find((t) => t.name === builtIn.name)?.attributes).toEqual(builtIn.attributes);
    for (const t of list) expect(r.stdout).toMatch(new RegExp(`^${t.name}\\s+(yes|no)\\s`, 'm'));
  });
});
