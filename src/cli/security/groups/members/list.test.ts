// `feedgate security groups members list`, the real bundled CLI against a real instance on
// 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const members = (...args: string[]) =>
  feedgateAsync(['security', 'groups', 'members', ...args, ...source()]);

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups members list', { timeout: 60_000 }, () => {
  it('the member users one per line, or as a JSON array', async () => {
    const r = await members('list', '--group', 'Developers');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('alice\nbob\n');
    const json = await members('list', '--group', 'Administrators', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(['Admin', 'carol']);
  });

  it('an empty group says so; an unknown group: exit 1', async () => {
    await admin.server.request('/api/security/groups/add', {
      method: 'POST',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Empty' }),
    });
    const empty = await members('list', '--group', 'Empty');
    expect(empty.status).toBe(0);
    expect(empty.stdout).toBe(`Group Empty has no members on ${admin.server.base}.\n`);
    const unknown = await members('list', '--group', 'Nobody');
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe(`feedgate: no group "Nobody" on ${admin.server.base}\n`);
  });

  it('no or an empty --group: exit 2 and the server logged no request', async () => {
    const before = admin.server.logs.length;
    for (const args of [['list'], ['list', '--group', ' '], ['list', '--name', 'Developers']]) {
      const r = await members(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: /);
    }
    expect(admin.server.logs.length).toBe(before);
  });
});
