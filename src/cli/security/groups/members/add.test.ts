// `feedgate security groups members add`, the real bundled CLI against a real instance on
// 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, feedgateAsync } from '../../../../../test/helpers/cli-async';
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

async function snapshot() {
  const response = await admin.server.request('/api/feedgate/v1/snapshot', {
    headers: admin.auth,
  });
  return response.json as {
    revision: number;
    users: { name: string; groups?: string[] }[];
    groups: { name: string; users?: string[]; groups?: string[] }[];
  };
}

const membersOf = async (group: string) =>
  (
    (await admin.server.request('/api/security/groups/list', { headers: admin.auth })).json as {
      name: string;
      users: string[];
    }[]
  ).find((g) => g.name === group)?.users;

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups members add', { timeout: 60_000 }, () => {
  it('adds a user, keeping the other members (either side) in one revision', async () => {
    const before = await snapshot();
    const r = await members('add', '--group', 'Developers', '--user', 'carol');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Added carol to group Developers on ${admin.server.base}.\n`);
    expect(await membersOf('Developers')).toEqual(['alice', 'bob', 'carol']);
    expect((await snapshot()).revision).toBe(before.revision + 1);
    expect(admin.server.logs.some((line) => line.includes('/api/security/groups/update'))).toBe(
      true,
    );
    // carol keeps her other group.
    expect(await membersOf('Administrators')).toContain('carol');
  });

  it('keeps the groups nested in the group', async () => {
    const headers = { ...admin.auth, 'content-type': 'application/json' };
    await admin.server.request('/api/security/groups/add', {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Outer', users: ['alice'], groups: ['Developers'] }),
    });
    const r = await members('add', '--group', 'Outer', '--user', 'bob');
    expect(r.status).toBe(0);
    const outer = (await snapshot()).groups.find((g) => g.name === 'Outer');
    expect(outer?.groups).toEqual(['Developers']);
    expect(await membersOf('Outer')).toEqual(['alice', 'bob']);
  });

  it('already a member: exit 0, says so, nothing written', async () => {
    const before = await snapshot();
    const requests = admin.server.logs.length;
    const r = await members('add', '--group', 'Developers', '--user', 'alice');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `alice is already a member of Developers on ${admin.server.base}: nothing changed.\n`,
    );
    expect((await snapshot()).revision).toBe(before.revision);
    // Only the groups/list read (and the snapshots above) reached the server: no write.
    expect(
      admin.server.logs
        .slice(requests)
        .some((line) => line.includes('/api/security/groups/update')),
    ).toBe(false);
  });

  it('an unknown user: exit 1 with the server message; an unknown group: exit 1', async () => {
    const before = await snapshot();
    const user = await members('add', '--group', 'Developers', '--user', 'nobody');
    expect(user.status).toBe(1);
    expect(user.stdout).toBe('');
    expect(user.stderr).toMatch(
      /^feedgate: the server refused the request: .*unknown user "nobody"/,
    );
    const group = await members('add', '--group', 'Nobody', '--user', 'alice');
    expect(group.status).toBe(1);
    expect(group.stderr).toBe(`feedgate: no group "Nobody" on ${admin.server.base}\n`);
    expect((await snapshot()).revision).toBe(before.revision);
  });

  it('malformed options: exit 2 and the server logged no request', async () => {
    const before = admin.server.logs.length;
    const cases = [
      ['add', '--group', 'Developers'],
      ['add', '--user', 'carol'],
      ['add', '--group', '', '--user', 'carol'],
      ['add', '--group', 'Developers', '--user', ' '],
      ['add', '--group', 'Developers', '--user', 'carol', '--feed', 'x'],
    ];
    for (const args of cases) {
      const r = await members(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: /);
    }
    expect(admin.server.logs.length).toBe(before);
  });

  it('an unreachable URL: exit 3', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await feedgateAsync([
      'security',
      'groups',
      'members',
      'add',
      '--group',
      'Developers',
      '--user',
      'carol',
      '--source',
      url,
      '--api-key',
      'k',
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`feedgate: cannot reach ${url}: ECONNREFUSED\n`);
  });
});
