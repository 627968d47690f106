// `feedgate security permissions add (with list and remove)`, the real bundled CLI against a real
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

async function revision(): Promise<number> {
  const response = await admin.server.request('/api/feedgate/v1/snapshot', {
    headers: admin.auth,
  });
  return (response.json as { revision: number }).revision;
}

describe('feedgate security permissions add', () => {
  it('add, then list shows the grant and the revision bumped; remove takes it away', async () => {
    const before = await revision();
    const add = await feedgateAsync([
      'security',
      'permissions',
      'add',
      '--group',
      'Developers',
      '--task',
      'Publish Packages',
      '--feed',
      'Staging',
      '--deny',
      ...source(),
    ]);
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    const id = Number(/Added permission (\d+) /.exec(add.stdout)?.[1]);
    expect(id).toBeGreaterThan(0);
    expect(add.stdout).toContain('group Developers · Publish Packages · feed Staging (deny)');
    expect(await revision()).toBe(before + 1);

    const list = await feedgateAsync(['security', 'permissions', 'list', ...source()]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/ID\s+PRINCIPAL\s+TASK\s+SCOPE\s+EFFECT/);
    expect(list.stdout).toMatch(
      new RegExp(
        `^${id}\\s+group Developers\\s+Publish Packages\\s+feed Staging\\s+deny\\s*$`,
        'm',
      ),
    );
    const json = await feedgateAsync(['security', 'permissions', 'list', '--json', ...source()]);
    expect(JSON.parse(json.stdout)).toContainEqual({
      id,
      group: 'Developers',
      task: 'Publish Packages',
      feed: 'Staging',
      deny: true,
    });

    const remove = await feedgateAsync([
      'security',
      'permissions',
      'remove',
      '--id',
      String(id),
      ...source(),
    ]);
    expect(remove.status).toBe(0);
    expect(remove.stdout).toBe(`Removed permission ${id} on ${admin.server.base}.\n`);
    expect(await revision()).toBe(before + 2);
    const after = await feedgateAsync(['security', 'permissions', 'list', '--json', ...source()]);
    expect((JSON.parse(after.stdout) as { id: number }[]).some((p) => p.id === id)).toBe(false);

    const again = await feedgateAsync([
      'security',
      'permissions',
      'remove',
      '--id',
      String(id),
      ...source(),
    ]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    expect(await revision()).toBe(before + 2);
  });

  it('a bad task: exit 1 naming it, nothing changed', async () => {
    const before = await revision();
    const r = await feedgateAsync([
      'security',
      'permissions',
      'add',
      '--group',
      'Developers',
      '--task',
      'Publsh Packages',
      ...source(),
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown task "Publsh Packages"');
    expect(await revision()).toBe(before);
  });
  it('malformed options: exit 2 and the server logged no request', async () => {
    const before = admin.server.logs.length;
    const cases = [
      ['add', '--user', 'Admin', '--group', 'Developers', '--task', 'Administer'],
      ['add', '--task', 'Administer'],
      ['add', '--group', 'Developers', '--task', 'Viewers', '--feed', 'A', '--feed-group', 'B'],
      ['add', '--group', 'Developers'],
      ['add', '--group', 'Developers', '--task', ' '],
    ];
    for (const args of cases) {
      const r = await feedgateAsync(['security', 'permissions', ...args, ...source()]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: /);
    }
    expect(admin.server.logs.length).toBe(before);
  });
});
