// `feedgate security permissions list`, the real bundled CLI against a real
// instance on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

describe('feedgate security permissions list', () => {
  it('the grants as a table and as JSON', async () => {
    const r = await feedgateAsync(['security', 'permissions', 'list', ...source()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+PRINCIPAL\s+TASK\s+SCOPE\s+EFFECT/);
    const json = await feedgateAsync(['security', 'permissions', 'list', '--json', ...source()]);
    expect(json.status).toBe(0);
    const grants = JSON.parse(json.stdout) as { id: number; deny: boolean }[];
    expect(grants.length).toBeGreaterThan(0);
    for (const g of grants)
      expect(r.stdout).toMatch(
        new RegExp(`^${g.id}\\s+(user|group) .+\\s+${g.deny ? 'deny' : 'grant'}\\s*$`, 'm'),
      );
  });
});
