// `feedgate security tasks attributes list`, the real bundled CLI against a real instance on
// 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { ATTRIBUTES } from '../../../../core/index';
import { securityCli } from '../../../../../test/helpers/security-cli';

const cli = securityCli('tasks', 'attributes');

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security tasks attributes list', { timeout: 60_000 }, () => {
  it('every attribute with its feed-scope marker and category, as a table and as JSON', async () => {
    const r = await cli.run('list');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+FEED SCOPE\s+CATEGORY\n/);
    expect(r.stdout).toMatch(/^Feeds_ViewFeed\s+yes\s+Feeds$/m);
    expect(r.stdout).toMatch(/^Admin_ConfigureProGet\s+no\s+Administration$/m);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(ATTRIBUTES.length + 1);

    const json = await cli.run('list', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(
      ATTRIBUTES.map((a) => ({ name: a.id, feedScoped: a.feedScoped, category: a.category })),
    );
  });

  it('a wrong API key: exit 1 "access denied"; an unknown option: exit 2, no request', async () => {
    await cli.expectAccessDenied('tasks', 'attributes', 'list');
    await cli.expectBadInput([['list', '--feed', 'Staging']], /^feedgate: unknown option '--feed'/);
  });
});
