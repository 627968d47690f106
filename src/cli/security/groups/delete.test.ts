// `feedgate security groups delete`, the real bundled CLI against a real instance on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, feedgateAsync } from '../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const groups = (...args: string[]) => feedgateAsync(['security', 'groups', ...args, ...source()]);

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

async function snapshot(): Promise<{ revision: number; groups?: { name: string }[] }> {
  const response = await admin.server.request('/api/feedgate/v1/snapshot', {
    headers: admin.auth,
  });
  return response.json as { revision: number; groups?: { name: string }[] };
}

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups delete', { timeout: 60_000 }, () => {
  it('deletes a group with its grants (one revision); an absent group changes nothing', async () => {
    const before = await snapshot();
    const r = await groups('delete', '--group', 'Developers');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Deleted group Developers on ${admin.server.base} (2 grant(s) removed; nothing changes if it did not exist).\n`,
    );
    const after = await snapshot();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.groups?.map((g) => g.name)).not.toContain('Developers');

    const again = await groups('delete', '--name', 'Developers');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('0 grant(s) removed');
    expect((await snapshot()).revision).toBe(after.revision);
  });

  it('a wrong API key: exit 1 "access denied", nothing deleted, the key not echoed', async () => {
    const before = await snapshot();
    const wrong = 'Groups-Delete-Wrong-Key-51ab';
    const r = await feedgateAsync([
      'security',
      'groups',
      'delete',
      '--group',
      'Administrators',
      '--source',
      admin.server.base,
      '--api-key',
      wrong,
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('feedgate: access denied (check the API key)\n');
    expect((await snapshot()).revision).toBe(before.revision);
  });

  it('malformed options: exit 2 and the server logged no request', async () => {
    const before = admin.server.logs.length;
    for (const args of [['delete'], ['delete', '--group', ''], ['delete', '--name', '  ']]) {
      const r = await groups(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: --group/);
    }
    expect(admin.server.logs.length).toBe(before);
  });

  it('an unreachable URL: exit 3', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const r = await feedgateAsync([
      'security',
      'groups',
      'delete',
      '--group',
      'X',
      '--source',
      url,
      '--api-key',
      'k',
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`feedgate: cannot reach ${url}: ECONNREFUSED\n`);
  });
});
