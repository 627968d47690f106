// `feedgate security users delete`, the real bundled CLI against a real instance on 127.0.0.1:
// the user goes with its memberships, grants and personal keys; an absent user is a success
// that writes nothing; a refused call deletes nothing.
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../../server/auth/api-keys';
import { auditAfter, policyRevision } from '../../../server/store/index';
import { securityCli } from '../../../../test/helpers/security-cli';

const cli = securityCli('users');

interface Snapshot {
  revision: number;
  users: { name: string }[];
  groups: { name: string; users?: string[] }[];
  permissions: { user?: string }[];
}
const snapshot = () => cli.get<Snapshot>('/api/feedgate/v1/snapshot');

describe('feedgate security users delete', { timeout: 30_000 }, () => {
  it('deletes the user, its memberships, its grants and its personal keys', async () => {
    const { server } = cli.admin;
    const { key: bobsKey } = createApiKey(server.db, { type: 'personal', user: 'bob' });
    const before = await snapshot();
    expect(before.permissions.filter((p) => p.user === 'bob')).toHaveLength(1);
    expect(before.groups.find((g) => g.name === 'Developers')?.users).toContain('bob');

    const r = await cli.run('delete', '--user', 'bob');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Deleted user bob on ${server.base} (1 grant(s) removed; nothing changes if it did not exist).\n`,
    );
    const after = await snapshot();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.users.map((u) => u.name)).not.toContain('bob');
    expect(after.permissions.filter((p) => p.user === 'bob')).toEqual([]);
    for (const group of after.groups) expect(group.users ?? []).not.toContain('bob');
    const withBobsKey = await server.request('/api/security/users/list', {
      headers: { 'X-ApiKey': bobsKey },
    });
    expect(withBobsKey.status).toBe(403);
    expect((await cli.run('show', '--user', 'bob')).status).toBe(1);
  });

  it('an absent user: exit 0, nothing written (same revision, no audit entry)', async () => {
    const { db } = cli.admin.server;
    const revision = policyRevision(db);
    const audit = auditAfter(db).length;
    const r = await cli.run('delete', '--name', 'nobody');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(0 grant(s) removed');
    expect(policyRevision(db)).toBe(revision);
    expect(auditAfter(db)).toHaveLength(audit);
  });

  it('a wrong key: exit 1 "access denied", the user stays', async () => {
    await cli.expectAccessDenied('users', 'delete', '--user', 'alice');
    expect((await snapshot()).users.map((u) => u.name)).toContain('alice');
  });

  it('--user and --name that differ: exit 2, no request', async () => {
    await cli.expectBadInput(
      [['delete', '--user', 'alice', '--name', 'carol']],
      'feedgate: --user and --name name different users\n',
    );
    expect((await snapshot()).users.map((u) => u.name)).toEqual(
      expect.arrayContaining(['alice', 'carol']),
    );
  });
});
