// `feedgate security groups create`, the real bundled CLI against a real instance on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../../test/helpers/cli-async';
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

async function groupNames(): Promise<string[]> {
  const response = await admin.server.request('/api/security/groups/list', {
    headers: admin.auth,
  });
  return (response.json as { name: string }[]).map((g) => g.name);
}

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security groups create', { timeout: 60_000 }, () => {
  it('creates an empty group (--group or --name); an existing name is refused', async () => {
    const r = await groups('create', '--group', 'Testers');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Created group Testers on ${admin.server.base}.\n`);
    expect(await groupNames()).toContain('Testers');

    const alias = await groups('create', '--name', 'Reviewers');
    expect(alias.status).toBe(0);
    expect(await groupNames()).toContain('Reviewers');

    const again = await groups('create', '--group', 'Testers');
    expect(again.status).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      'feedgate: the server refused the request: group "Testers" already exists (use groups/update)\n',
    );
  });

  it('malformed options: exit 2 and the server logged no request', async () => {
    const before = admin.server.logs.length;
    const cases = [
      ['create'],
      ['create', '--group', ' '],
      ['create', '--group', 'A', '--name', 'B'],
      ['create', '--group', 'A', '--user', 'alice'],
    ];
    for (const args of cases) {
      const r = await groups(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: /);
    }
    expect(admin.server.logs.length).toBe(before);
    expect(await groupNames()).not.toContain('A');
  });
});
