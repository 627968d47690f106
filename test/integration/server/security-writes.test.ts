// The ProGet-compatible security API's writes over real HTTP on 127.0.0.1: users, groups,
// tasks and permissions; 400s that name the field; 403 for feed keys and non-admins; each write
// bumps the revision exactly once, a refused one leaves it alone; passwords never leave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/server/auth/api-keys';
import { auditAfter, listApiKeys, policyRevision } from '../../../src/server/store/index';
import {
  jsonPost,
  startTestInstance,
  writePromoteExample,
  type TestInstance,
} from '../../helpers/server';
import { storedBytes } from '../../helpers/stored-bytes';

let server: TestInstance;
let auth: Record<string, string>;
let systemKeyId: number;

beforeAll(async () => {
  server = await startTestInstance();
  await writePromoteExample(server.db);
  const { key, info } = createApiKey(server.db, { type: 'system', fullControl: true });
  auth = { 'X-ApiKey': key };
  systemKeyId = info.id;
});
afterAll(() => server.close());

const post = (target: string, body: unknown, headers = auth) =>
  server.request(`/api/security/${target}`, jsonPost(body, headers));
const del = (target: string, headers = auth) =>
  server.request(`/api/security/${target}`, { method: 'DELETE', headers });
const list = async <T>(what: string) =>
  (await server.request(`/api/security/${what}/list`, { headers: auth })).json as T;

/** Runs a write and checks that it moved the revision by `by` (1 for a write, 0 otherwise). */
async function revisionDelta<T>(by: number, write: () => Promise<T>): Promise<T> {
  const before = policyRevision(server.db);
  const result = await write();
  expect(policyRevision(server.db)).toBe(before + by);
  return result;
}

/** Expects a 400 whose message starts with or matches `message`, and no revision change. */
async function refused(write: () => Promise<{ status: number; json: unknown }>, message: RegExp) {
  const r = await revisionDelta(0, write);
  expect(r.status, JSON.stringify(r.json)).toBe(400);
  expect((r.json as { error: string }).error).toMatch(message);
}

describe('users', () => {
  const password = 'a-secret-Pa55word-for-dave';

  it('users/add creates a user with groups; the password is hashed, never returned or stored in clear', async () => {
    const r = await revisionDelta(1, () =>
      post('users/add', {
        name: 'dave',
        displayName: 'Dave',
        email: 'dave@example.com',
        password,
        groups: ['Developers'],
      }),
    );
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      name: 'dave',
      displayName: 'Dave',
      email: 'dave@example.com',
      groups: ['Developers'],
    });
    expect(r.text).not.toContain(password);
    const users = await list<{ name: string }[]>('users');
    expect(users).toContainEqual({
      name: 'dave',
      displayName: 'Dave',
      email: 'dave@example.com',
      groups: ['Developers'],
    });
    // The password works for signing in, and appears nowhere in the database files.
    const signedIn = await server.request('/api/security/users/list', {
      headers: { 'X-ApiKey': `dave:${password}` },
    });
    expect(signedIn.status).toBe(403); // dave is no administrator, but the password was checked
    expect(server.logs.join('\n')).not.toContain(password);
    expect(storedBytes(server.dir)).not.toContain(password);
    const audit = auditAfter(server.db).filter((a) => a.action === 'security.users.add');
    expect(audit).toEqual([
      expect.objectContaining({
        actor: `key ${systemKeyId} (system)`,
        keyId: systemKeyId,
        detail: { user: 'dave', fields: ['displayName', 'email', 'groups'], password: true },
      }),
    ]);
    expect(JSON.stringify(auditAfter(server.db))).not.toContain(password);
  });

  it('users/update edits the profile, replaces the groups and sets the password', async () => {
    const newPassword = 'another-secret-for-dave';
    const r = await revisionDelta(1, () =>
      post('users/update', {
        name: 'dave',
        email: 'd@example.com',
        groups: ['Administrators'],
        password: newPassword,
      }),
    );
    expect(r.json).toEqual({
      name: 'dave',
      displayName: 'Dave',
      email: 'd@example.com',
      groups: ['Administrators'],
    });
    // Now an administrator, signed in with the new password.
    const asDave = await server.request('/api/security/users/list', {
      headers: { 'X-ApiKey': `dave:${newPassword}` },
    });
    expect(asDave.status).toBe(200);
    expect(storedBytes(server.dir)).not.toContain(newPassword);
    const groups = await list<{ name: string; users: string[] }[]>('groups');
    expect(groups.find((g) => g.name === 'Developers')?.users).not.toContain('dave');
  });

  it('refuses bad bodies with 400 naming the field, changing nothing', async () => {
    await refused(() => post('users/add', { displayName: 'x' }), /^name is required$/);
    await refused(
      () => post('users/add', { name: 'erin', pasword: 'x' }),
      /^unknown field "pasword"$/,
    );
    await refused(
      () => post('users/add', { name: 'erin', password: 'short' }),
      /^password: the password is too short/,
    );
    await refused(
      () => post('users/add', { name: 'erin', groups: ['Nobody'] }),
      /^unknown group "Nobody"$/,
    );
    await refused(() => post('users/add', { name: 'dave' }), /^user "dave" already exists/);
    await refused(() => post('users/add', { name: 'Anonymous' }), /virtual principal/);
    await refused(() => post('users/update', { name: 'nobody' }), /^unknown user "nobody"$/);
    await refused(() => post('users/add', 'not json{'), /^the body is not valid JSON$/);
  });

  it('users/delete removes the user and their grants; an absent user is a 200 without a write', async () => {
    const grant = await post('permissions/add', {
      user: 'dave',
      task: 'Publish Packages',
      feed: 'Staging',
    });
    expect(grant.status).toBe(200);
    const personal = createApiKey(server.db, { type: 'personal', user: 'dave' });
    const r = await revisionDelta(1, () => del('users/delete?user=dave'));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ deleted: 'dave', grantsRemoved: 1 });
    expect((await list<{ name: string }[]>('users')).map((u) => u.name)).not.toContain('dave');
    expect(listApiKeys(server.db).map((k) => k.id)).not.toContain(personal.info.id);
    const again = await revisionDelta(0, () => del('users/delete?user=dave'));
    expect(again.status).toBe(200);
    await refused(() => del('users/delete'), /^user is required$/);
  });
});

describe('groups', () => {
  it('groups/add, groups/update (replaces the users), groups/delete', async () => {
    const added = await revisionDelta(1, () =>
      post('groups/add', { name: 'QA', users: ['alice'] }),
    );
    expect(added.json).toEqual({ name: 'QA', users: ['alice'] });
    const updated = await revisionDelta(1, () =>
      post('groups/update', { name: 'QA', users: ['bob', 'carol'] }),
    );
    expect(updated.json).toEqual({ name: 'QA', users: ['bob', 'carol'] });
    const users = await list<{ name: string; groups: string[] }[]>('users');
    expect(users.find((u) => u.name === 'alice')?.groups).toEqual(['Developers']);
    await post('permissions/add', { group: 'QA', task: 'View & Download Packages' });
    const deleted = await revisionDelta(1, () => del('groups/delete?group=QA'));
    expect(deleted.json).toEqual({ deleted: 'QA', grantsRemoved: 1 });
    expect((await list<{ name: string }[]>('groups')).map((g) => g.name)).not.toContain('QA');
    await revisionDelta(0, () => del('groups/delete?group=QA'));
  });

  it('refuses bad bodies and unknown members with 400', async () => {
    await refused(
      () => post('groups/add', { name: 'Ops', users: ['mallory'] }),
      /^unknown user "mallory"$/,
    );
    await refused(
      () => post('groups/add', { name: 'Developers' }),
      /^group "Developers" already exists/,
    );
    await refused(
      () => post('groups/update', { name: 'Nope', users: [] }),
      /^unknown group "Nope"$/,
    );
    await refused(() => post('groups/add', { name: '' }), /^name: must not be empty$/);
  });
});

describe('tasks', () => {
  it('tasks/add creates a task; tasks/delete deletes it', async () => {
    const r = await revisionDelta(1, () =>
      post('tasks/add', {
        name: 'Unlist',
        description: 'Unlist only',
        feedScoped: true,
        attributes: ['Feeds_ViewFeed', 'Feeds_UnlistPackage'],
      }),
    );
    expect(r.json).toEqual({
      name: 'Unlist',
      description: 'Unlist only',
      feedScoped: true,
      attributes: ['Feeds_ViewFeed', 'Feeds_UnlistPackage'],
    });
    expect((await list<{ name: string }[]>('tasks')).map((t) => t.name)).toContain('Unlist');
    const d = await revisionDelta(1, () => del('tasks/delete?task=Unlist'));
    expect(d.status).toBe(200);
    await revisionDelta(0, () => del('tasks/delete?task=Unlist'));
  });

  it('refuses unknown attributes, a wrong feedScoped, built-in and used tasks', async () => {
    await refused(
      () => post('tasks/add', { name: 'T', attributes: ['Feeds_AddPackages'] }),
      /^unknown attribute "Feeds_AddPackages".*Feeds_AddPackage/,
    );
    await refused(
      () => post('tasks/add', { name: 'T', feedScoped: true, attributes: ['Licenses_Manage'] }),
      /^feedScoped: is true, but Licenses_Manage is system-only/,
    );
    await refused(() => post('tasks/add', { name: 'T' }), /^attributes is required$/);
    await refused(() => del('tasks/delete?task=Administer'), /^task "Administer" is built-in/);
    await post('tasks/add', { name: 'Viewers', attributes: ['Feeds_ViewFeed'] });
    await post('permissions/add', { group: 'Developers', task: 'Viewers', feed: 'Production' });
    await refused(
      () => del('tasks/delete?task=Viewers'),
      /^task "Viewers" is used by grant "group Developers · Viewers · feed Production \(permission\)"/,
    );
  });

  it('an edit that would make a feed-scoped grant invalid is refused, naming the grant', async () => {
    await refused(
      () =>
        post('tasks/add', { name: 'Viewers', attributes: ['Feeds_ViewFeed', 'Licenses_Manage'] }),
      /^grant "group Developers · Viewers · feed Production \(permission\)": task "Viewers" is not feed-scopable/,
    );
    const ok = await revisionDelta(1, () =>
      post('tasks/add', {
        name: 'Viewers',
        attributes: ['Feeds_ViewFeed', 'Feeds_DownloadPackage'],
      }),
    );
    expect(ok.json).toMatchObject({ name: 'Viewers', feedScoped: true, edited: true });
  });
});

describe('permissions', () => {
  it('permissions/add returns the grant with its id; delete works with DELETE and POST', async () => {
    const a = await revisionDelta(1, () =>
      post('permissions/add', {
        user: 'alice',
        task: 'Publish Packages',
        feedGroup: 'production-packages',
        deny: true,
      }),
    );
    const grant = a.json as { id: number };
    expect(grant).toEqual({
      id: expect.any(Number),
      user: 'alice',
      task: 'Publish Packages',
      feedGroup: 'production-packages',
      deny: true,
    });
    expect(await list('permissions')).toContainEqual(grant);
    const b = (
      await post('permissions/add', {
        group: 'Everyone',
        task: 'View & Download Packages',
        feed: 'Staging',
      })
    ).json as { id: number };
    const d1 = await revisionDelta(1, () => del(`permissions/delete?permissionId=${grant.id}`));
    expect(d1.json).toEqual({ deleted: grant.id, found: true });
    const d2 = await revisionDelta(1, () =>
      server.request(`/api/security/permissions/delete?permissionId=${b.id}`, {
        method: 'POST',
        headers: auth,
      }),
    );
    expect(d2.status).toBe(200);
    const ids = (await list<{ id: number }[]>('permissions')).map((p) => p.id);
    expect(ids).not.toContain(grant.id);
    expect(ids).not.toContain(b.id);
    const gone = await revisionDelta(0, () => del(`permissions/delete?permissionId=${b.id}`));
    expect(gone.json).toEqual({ deleted: b.id, found: false });
  });

  it('refuses bad grants with 400 and a plain message, changing nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ user: 'alice', task: 'Publsh Packages' }, /^unknown task "Publsh Packages"/],
      [
        {
          user: 'alice',
          task: 'Publish Packages',
          feed: 'Staging',
          feedGroup: 'production-packages',
        },
        /^feed and feedGroup cannot both be set$/,
      ],
      [
        { user: 'alice', group: 'Developers', task: 'Publish Packages' },
        /^user and group cannot both be set$/,
      ],
      [{ task: 'Publish Packages' }, /^one of user or group is required$/],
      [{ user: 'mallory', task: 'Publish Packages' }, /^unknown user "mallory"$/],
      [{ group: 'Nobody', task: 'Publish Packages' }, /^unknown group "Nobody"$/],
      [{ user: 'alice', task: 'Publish Packages', feed: 'Nope' }, /^unknown feed "Nope"$/],
      [
        { user: 'alice', task: 'Publish Packages', feedGroup: 'Nope' },
        /^unknown feed group "Nope"$/,
      ],
      [
        { user: 'alice', task: 'Administer', feed: 'Staging' },
        /^task "Administer" is not feed-scopable.*feed "Staging"/,
      ],
      [
        { user: 'alice', task: 'Manage Projects', feedGroup: 'production-packages' },
        /^task "Manage Projects" is not feed-scopable/,
      ],
      [{ user: 'alice', task: 'Publish Packages', deny: 'yes' }, /^deny must be a boolean$/],
      [{ user: 'alice', task: 'Publish Packages', scope: 'x' }, /^unknown field "scope"$/],
      [{ group: 'Developers', task: 'Promote Packages' }, /^the same grant already exists$/],
    ];
    for (const [body, message] of cases)
      await refused(() => post('permissions/add', body), message);
    await refused(
      () => del('permissions/delete?permissionId=abc'),
      /^permissionId must be a number$/,
    );
    await refused(() => del('permissions/delete'), /^permissionId/);
  });
});

describe('access', () => {
  it('a feed key and a non-admin personal key get 403 on every write; nothing changes', async () => {
    const feedKey = createApiKey(server.db, {
      type: 'feed',
      feed: 'Staging',
      packagePermissions: ['view', 'add'],
    }).key;
    const personal = createApiKey(server.db, { type: 'personal', user: 'alice' }).key;
    for (const key of [feedKey, personal]) {
      const headers = { 'X-ApiKey': key };
      const writes = [
        () => post('users/add', { name: 'zed' }, headers),
        () => post('users/update', { name: 'alice', displayName: 'x' }, headers),
        () => del('users/delete?user=bob', headers),
        () => post('groups/add', { name: 'Z' }, headers),
        () => post('groups/update', { name: 'Developers', users: [] }, headers),
        () => del('groups/delete?group=Developers', headers),
        () => post('tasks/add', { name: 'Z', attributes: ['Feeds_ViewFeed'] }, headers),
        () => del('tasks/delete?task=Viewers', headers),
        () => post('permissions/add', { user: 'alice', task: 'Administer' }, headers),
        () => del('permissions/delete?permissionId=1', headers),
      ];
      for (const write of writes) {
        const r = await revisionDelta(0, write);
        expect(r.status).toBe(403);
      }
    }
  });

  it('a personal key of an administrator may write; the audit names the user and the key', async () => {
    const { key, info } = createApiKey(server.db, { type: 'personal', user: 'carol' });
    const r = await revisionDelta(1, () =>
      post('groups/add', { name: 'ByCarol' }, { 'X-ApiKey': key }),
    );
    expect(r.status).toBe(200);
    const entry = [...auditAfter(server.db)]
      .reverse()
      .find((a) => a.action === 'security.groups.add');
    expect(entry).toMatchObject({ actor: 'Built-in/carol', keyId: info.id });
    expect(JSON.stringify(auditAfter(server.db))).not.toContain(key);
  });
});
