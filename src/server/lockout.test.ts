// The lockout guard over real HTTP on 127.0.0.1 (an instance with the promote example: Admin
// and carol administer through Administrators): every refusal is a 409 naming who would be
// locked out and why, for the directory switch, v1 change sets and the ProGet-compatible
// security writes, and a refused write changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDirectory, auditAfter, policyRevision } from './store/index';
import { ADMIN_PASSWORD, jsonPost, type TestInstance } from '../../test/helpers/server';
import { startAdminTestInstance } from '../../test/helpers/admin-server';

const ADMINS_GRANT = 'group:Administrators|Administer|global|allow';
const REASON = 'No declared user is allowed Admin_ConfigureProGet at system scope';
const V1_OVERRIDE = 'POST /api/feedgate/v1/changes with "allowLockout": true';

let server: TestInstance;
let auth: Record<string, string>;

beforeEach(async () => {
  ({ server, auth } = await startAdminTestInstance());
});
afterEach(() => server.close());

const send = (target: string, method: string, body?: unknown) =>
  server.request(
    target,
    body === undefined ? { method, headers: auth } : { ...jsonPost(body, auth), method },
  );
const adminSignIn = () =>
  server.request('/api/security/permissions/list', {
    headers: { 'X-ApiKey': `Admin:${ADMIN_PASSWORD}` },
  });
const adminsGrantId = async () => {
  const list = (await send('/api/security/permissions/list', 'GET')).json as {
    id: number;
    group?: string;
    task: string;
  }[];
  return list.find((p) => p.group === 'Administrators' && p.task === 'Administer')?.id as number;
};
const changeSet = (body: object) =>
  server.request('/api/feedgate/v1/changes', {
    ...jsonPost(body, { ...auth, 'if-match': `"${policyRevision(server.db)}"` }),
  });

/** Sends a write that must be refused as a lockout, and checks nothing was written. */
async function refused(write: () => ReturnType<typeof send>) {
  const revision = policyRevision(server.db);
  const audit = auditAfter(server.db).length;
  const grants = (await send('/api/security/permissions/list', 'GET')).json;
  const r = await write();
  expect(r.status, r.text).toBe(409);
  expect(policyRevision(server.db)).toBe(revision);
  expect(auditAfter(server.db)).toHaveLength(audit);
  expect((await send('/api/security/permissions/list', 'GET')).json).toEqual(grants);
  return r.json as {
    error: string;
    directory: string;
    lockedOut: string[];
    why: Record<string, string>;
    override: string;
  };
}

describe('lockout guard', { timeout: 30_000 }, () => {
  it('PUT directories/active: 409 names who would be locked out and why', async () => {
    addDirectory(server.db, 'Corp LDAP', 'ldap');
    const body = await refused(() =>
      send('/api/feedgate/v1/directories/active', 'PUT', { name: 'Corp LDAP' }),
    );
    expect(body).toEqual({
      error: expect.stringContaining(REASON) as string,
      directory: 'Corp LDAP',
      lockedOut: ['Admin', 'carol'],
      why: {
        Admin: 'would not be a user of directory "Corp LDAP"',
        carol: 'would not be a user of directory "Corp LDAP"',
      },
      override: 'force',
    });
    expect(body.error).toContain('no user of directory "Corp LDAP" could administer');
    expect(body.error).toContain('It would lock out: Admin, carol (directory "Built-in")');
  });

  it('POST v1 changes: 409 names who would be locked out and why', async () => {
    const removeGrant = { operations: [{ op: 'remove', kind: 'permission', key: ADMINS_GRANT }] };
    const body = await refused(() => changeSet(removeGrant));
    expect(body).toEqual({
      error: expect.stringContaining(REASON) as string,
      directory: 'Built-in',
      lockedOut: ['Admin', 'carol'],
      why: {
        Admin: 'no global grant would give Admin_ConfigureProGet',
        carol: 'no global grant would give Admin_ConfigureProGet',
      },
      override: 'allowLockout',
    });
    const restriction = await refused(() =>
      changeSet({
        operations: [
          {
            op: 'add',
            kind: 'permission',
            item: { group: 'Administrators', task: 'Administer', deny: true },
          },
        ],
      }),
    );
    expect(restriction.why).toEqual({
      Admin: 'denied by "group Administrators · Administer · global (restriction)"',
      carol: 'denied by "group Administrators · Administer · global (restriction)"',
    });
  });

  it('refuses each ProGet-compatible write that would lock everyone out (409, pointing to v1 allowLockout)', async () => {
    const id = await adminsGrantId();
    const writes: [string, () => ReturnType<typeof send>][] = [
      [
        'DELETE permissions/delete',
        () => send(`/api/security/permissions/delete?permissionId=${id}`, 'DELETE'),
      ],
      [
        'POST permissions/delete',
        () => send(`/api/security/permissions/delete?permissionId=${id}`, 'POST', {}),
      ],
      ['groups/delete', () => send('/api/security/groups/delete?group=Administrators', 'DELETE')],
      [
        'groups/update',
        () => send('/api/security/groups/update', 'POST', { name: 'Administrators', users: [] }),
      ],
      [
        'tasks/add (editing Administer)',
        () =>
          send('/api/security/tasks/add', 'POST', {
            name: 'Administer',
            attributes: ['Feeds_ViewFeed'],
          }),
      ],
      [
        'permissions/add (a restriction)',
        () =>
          send('/api/security/permissions/add', 'POST', {
            group: 'Administrators',
            task: 'Administer',
            deny: true,
          }),
      ],
    ];
    for (const [name, write] of writes) {
      const body = await refused(write);
      expect(body, name).toMatchObject({
        directory: 'Built-in',
        lockedOut: ['Admin', 'carol'],
        override: V1_OVERRIDE,
      });
      expect(body.error, name).toContain(REASON);
      expect(body.error, name).toMatch(/It would lock out: Admin \(.+\), carol \(.+\)\./);
      expect(body.error, name).toContain(`This API has no override`);
      expect(Object.keys(body.why), name).toEqual(['Admin', 'carol']);
    }
  });

  it('lets a ProGet-compatible write through while another administrator remains', async () => {
    const deleted = await send('/api/security/users/delete?user=Admin', 'DELETE');
    expect(deleted.status, deleted.text).toBe(200);
    const body = await refused(() => send('/api/security/users/delete?user=carol', 'DELETE'));
    expect(body.lockedOut).toEqual(['carol']);
    expect(body.why).toEqual({ carol: 'would not be a user of directory "Built-in"' });
  });

  it('while nobody can administer, lets ProGet-compatible writes repair step by step', async () => {
    const accepted = await changeSet({
      allowLockout: true,
      operations: [{ op: 'remove', kind: 'permission', key: ADMINS_GRANT }],
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect((await adminSignIn()).status).toBe(403);
    // Nothing gets worse: the full-control key may write without restoring an admin at once.
    const added = await send('/api/security/users/add', 'POST', { name: 'henry' });
    expect(added.status, added.text).toBe(200);
    const restored = await send('/api/security/permissions/add', 'POST', {
      group: 'Administrators',
      task: 'Administer',
    });
    expect(restored.status, restored.text).toBe(200);
    expect((await adminSignIn()).status).toBe(200);
  });
});
