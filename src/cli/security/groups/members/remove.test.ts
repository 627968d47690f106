// `feedgate security groups members remove`, the real bundled CLI against a real instance on
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

async function revision(): Promise<number> {
  const response = await admin.server.request('/api/feedgate/v1/snapshot', {
    headers: admin.auth,
  });
  return (response.json as { revision: number }).revision;
}

async function user(name: string) {
  const response = await admin.server.request('/api/security/users/list', {
    headers: admin.auth,
  });
  return (response.json as { name: string; groups: string[] }[]).find((u) => u.name === name);
}

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups members remove', { timeout: 60_000 }, () => {
  it('removes a member named on the user side, keeping the others, in one revision', async () => {
    const before = await revision();
    expect((await user('alice'))?.groups).toEqual(['Developers']);
    const r = await members('remove', '--group', 'Developers', '--user', 'alice');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Removed alice from group Developers on ${admin.server.base}.\n`);
    expect((await user('alice'))?.groups).toEqual([]);
    expect((await user('bob'))?.groups).toEqual(['Developers']);
    expect(await revision()).toBe(before + 1);
    const list = await members('list', '--group', 'Developers');
    expect(list.stdout).toBe('bob\n');
  });

  it('not a member: exit 0, says so, nothing written', async () => {
    const before = await revision();
    const requests = admin.server.logs.length;
    const r = await members('remove', '--group', 'Administrators', '--user', 'bob');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `bob is not a member of Administrators on ${admin.server.base}: nothing changed.\n`,
    );
    expect(await revision()).toBe(before);
    expect(
      admin.server.logs
        .slice(requests)
        .some((line) => line.includes('/api/security/groups/update')),
    ).toBe(false);
  });

  it('an unknown group: exit 1; malformed options: exit 2 and no request', async () => {
    const unknown = await members('remove', '--group', 'Nobody', '--user', 'bob');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`feedgate: no group "Nobody" on ${admin.server.base}\n`);
    const before = admin.server.logs.length;
    for (const args of [
      ['remove', '--group', 'Developers'],
      ['remove', '--user', 'bob', '--group', ''],
    ]) {
      const r = await members(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: --(user|group)/);
    }
    expect(admin.server.logs.length).toBe(before);
  });
});
