// `feedgate security users list`, the real bundled CLI against a real instance on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const users = (...args: string[]) => feedgateAsync(['security', 'users', ...args, ...source()]);

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

describe('feedgate security users list', () => {
  it('the users as a table and as JSON, without passwords', async () => {
    const r = await users('list');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+DISPLAY NAME\s+EMAIL\s+GROUPS/);
    const json = await users('list', '--json');
    const list = JSON.parse(json.stdout) as { name: string }[];
    expect(list.length).toBeGreaterThan(0);
    for (const u of list) {
      expect(u).not.toHaveProperty('password');
      expect(r.stdout).toMatch(new RegExp(`^${u.name}\\s`, 'm'));
    }
  });
});
