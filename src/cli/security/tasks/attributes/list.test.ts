// `feedgate security tasks attributes list`, the real bundled CLI against a real instance on
// 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTRIBUTES } from '../../../../core/index';
import { feedgateAsync } from '../../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const attributes = (...args: string[]) =>
  feedgateAsync(['security', 'tasks', 'attributes', ...args, ...source()]);

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security tasks attributes list', { timeout: 60_000 }, () => {
  it('every attribute with its feed-scope marker and category, as a table and as JSON', async () => {
    const r = await attributes('list');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+FEED SCOPE\s+CATEGORY\n/);
    expect(r.stdout).toMatch(/^Feeds_ViewFeed\s+yes\s+Feeds$/m);
    expect(r.stdout).toMatch(/^Admin_ConfigureProGet\s+no\s+Administration$/m);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(ATTRIBUTES.length + 1);

    const json = await attributes('list', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(
      ATTRIBUTES.map((a) => ({ name: a.id, feedScoped: a.feedScoped, category: a.category })),
    );
  });

  it('a wrong API key: exit 1 "access denied"; an unknown option: exit 2, no request', async () => {
    const denied = await feedgateAsync([
      'security',
      'tasks',
      'attributes',
      'list',
      '--source',
      admin.server.base,
      '--api-key',
      'Attributes-Wrong-Key-9d2e',
    ]);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toBe('feedgate: access denied (check the API key)\n');
    const before = admin.server.logs.length;
    const r = await attributes('list', '--feed', 'Staging');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^feedgate: unknown option '--feed'/);
    expect(admin.server.logs.length).toBe(before);
  });
});
