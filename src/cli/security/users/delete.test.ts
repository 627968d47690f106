// `feedgate security users delete`, the real bundled CLI against a real instance on 127.0.0.1:
// the user goes with its memberships, grants and personal keys; an absent user is a success
// that writes nothing; a refused call deletes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../server/auth/api-keys';
import { auditAfter, policyRevision } from '../../../server/store/index';
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

interface Snapshot {
  revision: number;
  users: { name: string }[];
  groups: { name: string; users?: string[] }[];
  permissions: { user?: string }[];
}
const snapshot = async () =>
  (await admin.server.request('/api/feedgate/v1/snapshot', { headers: admin.auth }))
    .json as Snapshot;

describe('feedgate security users delete', { timeout: 30_000 }, () => {
  it('deletes the user, its memberships, its grants and its personal keys', async () => {
    const { key: bobsKey } = createApiKey(admin.server.db, { type: 'personal', user: 'bob' });
    const before = await snapshot();
    expect(before.permissions.filter((p) => p.user === 'bob')).toHaveLength(1);

    const r = await users('delete', '--user', 'bob');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Deleted user bob on ${admin.server.base} (1 grant(s) removed; nothing changes if it did not exist).\n`,
    );
    const after = await snapshot();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.users.map((u) => u.name)).not.toContain('bob');
    expect(after.permissions.filter((p) => p.user === 'bob')).toEqual([]);
    for (const group of after.groups) expect(group.users ?? []).not.toContain('bob');
    const withBobsKey = await admin.server.request('/api/security/users/list', {
      headers: { 'X-ApiKey': bobsKey },
    });
    expect(withBobsKey.status).toBe(403);
    const show = await users('show', '--user', 'bob');
    expect(show.status).toBe(1);
  });

  it('an absent user: exit 0, nothing written (same revision, no audit entry)', async () => {
    const revision = policyRevision(admin.server.db);
    const audit = auditAfter(admin.server.db).length;
    const r = await users('delete', '--name', 'nobody');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(0 grant(s) removed');
    expect(policyRevision(admin.server.db)).toBe(revision);
    expect(auditAfter(admin.server.db)).toHaveLength(audit);
  });

  it('a wrong key: exit 1 "access denied", the user stays', async () => {
    const r = await feedgateAsync([
      'security',
      'users',
      'delete',
      '--user',
      'alice',
      '--source',
      admin.server.base,
      '--api-key',
      'Delete-Wrong-Key-Needle-0c4e',
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('feedgate: access denied (check the API key)\n');
    expect((await snapshot()).users.map((u) => u.name)).toContain('alice');
  });

  it('--user and --name that differ: exit 2, no request', async () => {
    const logs = admin.server.logs.length;
    const r = await users('delete', '--user', 'alice', '--name', 'carol');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('feedgate: --user and --name name different users\n');
    expect(admin.server.logs.length).toBe(logs);
    expect((await snapshot()).users.map((u) => u.name)).toEqual(
      expect.arrayContaining(['alice', 'carol']),
    );
  });
});
