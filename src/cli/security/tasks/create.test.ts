// `feedgate security tasks create`, the real bundled CLI against a real instance on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const tasks = (...args: string[]) => feedgateAsync(['security', 'tasks', ...args, ...source()]);

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

interface Task {
  name: string;
  description?: string;
  feedScoped: boolean;
  attributes: string[];
}

async function serverTasks(): Promise<{ revision: number; tasks: Task[] }> {
  const snapshot = await admin.server.request('/api/feedgate/v1/snapshot', {
    headers: admin.auth,
  });
  const list = await admin.server.request('/api/security/tasks/list', { headers: admin.auth });
  return { revision: (snapshot.json as { revision: number }).revision, tasks: list.json as Task[] };
}

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security tasks create', { timeout: 60_000 }, () => {
  it('creates a task from --attribute and --attributes (duplicates once), one revision', async () => {
    const before = await serverTasks();
    const r = await tasks(
      'create',
      '--task',
      'Readers',
      '--description',
      'read only',
      '--attribute',
      'Feeds_ViewFeed',
      '--attributes',
      'Feeds_DownloadPackage, Feeds_ViewFeed',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Created task Readers on ${admin.server.base}: 2 attributes, may be granted at a feed.\n`,
    );
    const after = await serverTasks();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.tasks.find((t) => t.name === 'Readers')).toEqual({
      name: 'Readers',
      description: 'read only',
      feedScoped: true,
      attributes: ['Feeds_ViewFeed', 'Feeds_DownloadPackage'],
    });

    const system = await tasks('create', '--name', 'Licensing', '--attribute', 'Licenses_Manage');
    expect(system.status).toBe(0);
    expect(system.stdout).toContain('1 attribute, system scope only.');
  });

  it('an existing task (built-in or not) is refused, exit 1, and left as it was', async () => {
    const before = await serverTasks();
    for (const name of ['Administer', 'Readers']) {
      const r = await tasks('create', '--task', name, '--attribute', 'Feeds_ViewFeed');
      expect(r.status, name).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`feedgate: task "${name}" already exists on ${admin.server.base}\n`);
    }
    expect(await serverTasks()).toEqual(before);
  });

  it('an unknown attribute: exit 2 with "did you mean", and no request', async () => {
    const before = admin.server.logs.length;
    const r = await tasks(
      'create',
      '--task',
      'Typo',
      '--attributes',
      'Feeds_ViewFed,feeds_addpackage',
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'feedgate: unknown attribute "Feeds_ViewFed" (did you mean "Feeds_ViewFeed"?); unknown attribute "feeds_addpackage" (did you mean "Feeds_AddPackage"?) (see `feedgate security tasks attributes list`)\n',
    );
    const plain = await tasks('create', '--task', 'Typo', '--attribute', 'Nothing_Like_It');
    expect(plain.status).toBe(2);
    expect(plain.stderr).toBe(
      'feedgate: unknown attribute "Nothing_Like_It" (see `feedgate security tasks attributes list`)\n',
    );
    expect(admin.server.logs.length).toBe(before);
  });

  it('malformed options: exit 2 and the server logged no request', async () => {
    const before = admin.server.logs.length;
    const cases = [
      ['create', '--attribute', 'Feeds_ViewFeed'],
      ['create', '--task', 'T'],
      ['create', '--task', ' ', '--attribute', 'Feeds_ViewFeed'],
      ['create', '--task', 'T', '--name', 'U', '--attribute', 'Feeds_ViewFeed'],
      ['create', '--task', 'T', '--attribute', ''],
      ['create', '--task', 'T', '--attributes', 'Feeds_ViewFeed,,Feeds_AddPackage'],
      ['create', '--task', 'T', '--attribute', 'Feeds_ViewFeed', '--description', ' '],
      ['create', '--task', 'T', '--attribute', 'Feeds_ViewFeed', '--feed', 'Staging'],
    ];
    for (const args of cases) {
      const r = await tasks(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: /);
    }
    expect(admin.server.logs.length).toBe(before);
  });
});
