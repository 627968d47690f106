// `feedgate security tasks delete`, the real bundled CLI against a real instance on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, feedgateAsync } from '../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const tasks = (...args: string[]) => feedgateAsync(['security', 'tasks', ...args, ...source()]);

beforeAll(async () => {
  admin = await startAdminTestInstance();
  await admin.server.request('/api/security/tasks/add', {
    method: 'POST',
    headers: { ...admin.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Readers', attributes: ['Feeds_ViewFeed'] }),
  });
});
afterAll(async () => {
  await admin.server.close();
});

async function state(): Promise<{ revision: number; tasks: string[] }> {
  const snapshot = await admin.server.request('/api/feedgate/v1/snapshot', {
    headers: admin.auth,
  });
  const list = await admin.server.request('/api/security/tasks/list', { headers: admin.auth });
  return {
    revision: (snapshot.json as { revision: number }).revision,
    tasks: (list.json as { name: string }[]).map((t) => t.name),
  };
}

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security tasks delete', { timeout: 60_000 }, () => {
  it('deletes a task in one revision; an absent task changes nothing', async () => {
    const before = await state();
    expect(before.tasks).toContain('Readers');
    const r = await tasks('delete', '--task', 'Readers');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Deleted task Readers on ${admin.server.base} (nothing changes if it did not exist).\n`,
    );
    const after = await state();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.tasks).not.toContain('Readers');
    const again = await tasks('delete', '--name', 'Readers');
    expect(again.status).toBe(0);
    expect((await state()).revision).toBe(after.revision);
  });

  it('a built-in task or one used by a grant: exit 1 with the server message, nothing changed', async () => {
    const before = await state();
    const builtIn = await tasks('delete', '--task', 'Administer');
    expect(builtIn.status).toBe(1);
    expect(builtIn.stdout).toBe('');
    expect(builtIn.stderr).toBe(
      'feedgate: the server refused the request: task "Administer" is built-in: it can be edited but not deleted\n',
    );
    await admin.server.request('/api/security/tasks/add', {
      method: 'POST',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Used', attributes: ['Feeds_ViewFeed'] }),
    });
    await admin.server.request('/api/security/permissions/add', {
      method: 'POST',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'carol', task: 'Used' }),
    });
    const mid = await state();
    const used = await tasks('delete', '--task', 'Used');
    expect(used.status).toBe(1);
    expect(used.stderr).toMatch(
      /^feedgate: the server refused the request: task "Used" is used by grant /,
    );
    expect(await state()).toEqual(mid);
    expect(mid.revision).toBe(before.revision + 2);
  });

  it('malformed options: exit 2 and no request; an unreachable URL: exit 3', async () => {
    const before = admin.server.logs.length;
    for (const args of [
      ['delete'],
      ['delete', '--task', ''],
      ['delete', '--task', 'A', '--name', 'B'],
    ]) {
      const r = await tasks(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: --task/);
    }
    expect(admin.server.logs.length).toBe(before);
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await feedgateAsync([
      'security',
      'tasks',
      'delete',
      '--task',
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
