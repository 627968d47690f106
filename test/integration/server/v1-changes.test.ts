// POST /api/feedgate/v1/changes over real HTTP on 127.0.0.1: If-Match (428 missing, 412
// stale), 400s naming the path or the operation, all or nothing, the lockout rule (409 and
// allowLockout), the audit entry (never the key text), and two concurrent writers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAfter, policyRevision } from '../../../src/server/store/index';
import { ADMIN_PASSWORD, jsonPost, type TestInstance } from '../../helpers/server';
import { startAdminTestInstance } from '../../helpers/admin-server';

const CHANGES = '/api/feedgate/v1/changes';
const SNAPSHOT = '/api/feedgate/v1/snapshot';
const ADMINS_GRANT = 'group:Administrators|Administer|global|allow';

let server: TestInstance;
let key: string;
let keyId: number;
let auth: Record<string, string>;

beforeAll(async () => {
  ({ server, key, keyId, auth } = await startAdminTestInstance());
});
afterAll(() => server.close());

const revision = () => policyRevision(server.db);
const snapshotText = async () => (await server.request(SNAPSHOT, { headers: auth })).text;
/** `ifMatch` null sends no If-Match. */
const post = (body: unknown, ifMatch: string | null = `"${revision()}"`, headers = auth) =>
  server.request(
    CHANGES,
    jsonPost(body, { ...headers, ...(ifMatch !== null && { 'If-Match': ifMatch }) }),
  );
const addUser = (name: string, groups: string[] = []) => ({
  op: 'add',
  kind: 'user',
  item: { name, groups },
});

/** Sends `body` and expects it to change nothing at all. */
async function expectUnchanged(body: unknown, status: number, ifMatch = `"${revision()}"`) {
  const before = { revision: revision(), text: await snapshotText(), audit: auditAfter(server.db) };
  const r = await post(body, ifMatch);
  expect(r.status, r.text).toBe(status);
  expect(revision()).toBe(before.revision);
  expect(await snapshotText()).toBe(before.text);
  expect(auditAfter(server.db)).toEqual(before.audit);
  return r;
}

describe('POST changes', () => {
  it('applies a change set and answers the new revision with its ETag', async () => {
    const from = revision();
    const r = await post({
      operations: [
        addUser('dave', ['Developers']),
        { op: 'add', kind: 'feed', item: { name: 'QA', feedType: 'npm' } },
        {
          op: 'add',
          kind: 'permission',
          item: { user: 'dave', task: 'Publish Packages', feed: 'QA' },
        },
      ],
    });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ revision: from + 1, applied: 3 });
    expect(r.headers.get('etag')).toBe(`"${from + 1}"`);
    const snapshot = JSON.parse(await snapshotText()) as {
      revision: number;
      users: { name: string }[];
      feeds: { name: string }[];
      groups: { name: string; users: string[] }[];
    };
    expect(snapshot.revision).toBe(from + 1);
    expect(snapshot.users.map((u) => u.name)).toContain('dave');
    expect(snapshot.feeds.map((f) => f.name)).toContain('QA');
    expect(snapshot.groups.find((g) => g.name === 'Developers')?.users).toContain('dave');
  });

  it('a change set that changes nothing writes nothing: same revision, no audit entry', async () => {
    const from = revision();
    const audit = auditAfter(server.db).length;
    const empty = await post({ operations: [] });
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ revision: from, applied: 0 });
    expect(empty.headers.get('etag')).toBe(`"${from}"`);
    const idempotent = await post({
      operations: [
        {
          op: 'update',
          kind: 'group',
          key: 'Developers',
          changes: { users: { added: ['alice'] } },
        },
      ],
    });
    expect(idempotent.json).toEqual({ revision: from, applied: 1 });
    expect(revision()).toBe(from);
    expect(auditAfter(server.db)).toHaveLength(audit);
  });

  it('answers 412 to a stale If-Match, 428 to a missing one, 400 to a malformed one', async () => {
    const r = await expectUnchanged({ operations: [addUser('x1')] }, 412, `"${revision() - 1}"`);
    expect((r.json as { error: string }).error).toMatch(/revision \d+, not \d+/);

    const missing = await post({ operations: [addUser('x1')] }, null);
    expect(missing.status).toBe(428);
    expect((missing.json as { error: string }).error).toContain('If-Match is required');
    for (const bad of [`${revision()}`, '*', `W/"${revision()}"`, '"abc"']) {
      const malformed = await post({ operations: [addUser('x1')] }, bad);
      expect(malformed.status, bad).toBe(400);
      expect((malformed.json as { error: string }).error).toContain('If-Match must be');
    }
    expect(JSON.parse(await snapshotText()).users).not.toContainEqual({ name: 'x1' });
  });

  it('refuses a malformed change set with 400 naming the path and the problem', async () => {
    const cases: [unknown, string][] = [
      [
        { operations: [{ op: 'add', kind: 'user', item: { name: '' } }] },
        'operations[0].item.name',
      ],
      [{ operations: [addUser('ok'), { op: 'rename', kind: 'user', key: 'a' }] }, 'operations[1]'],
      [{ operations: [], extra: 1 }, 'extra'],
      [{ allowLockout: 'yes', operations: [] }, 'allowLockout'],
      [[1, 2], '(root)'],
    ];
    for (const [body, path] of cases) {
      const r = await expectUnchanged(body, 400);
      const error = (r.json as { error: string }).error;
      expect(error, JSON.stringify(body)).toMatch(/^invalid change set: /);
      expect(error).toContain(path);
    }
    const notJson = await post('{"operations": [');
    expect(notJson.status).toBe(400);
    expect(notJson.json).toEqual({ error: 'the body is not valid JSON' });
  });

  it('an operation that does not fit is a 400 naming its index', async () => {
    const r = await expectUnchanged(
      { operations: [addUser('erin'), { op: 'remove', kind: 'user', key: 'nobody' }] },
      400,
    );
    expect(r.json).toEqual({
      error: 'operations[1] (remove user "nobody"): no such user',
      operation: 1,
    });
    const exists = await expectUnchanged({ operations: [addUser('alice')] }, 400);
    expect(exists.json).toMatchObject({ operation: 0 });
    const unknown = await expectUnchanged({ directory: 'Nope', operations: [] }, 400);
    expect(unknown.json).toEqual({ error: 'directory: unknown directory "Nope"' });
  });

  it('is all or nothing: a bad last operation or an invalid result changes nothing', async () => {
    const lastBad = await expectUnchanged(
      {
        operations: [
          addUser('frank'),
          { op: 'add', kind: 'group', item: { name: 'QA-team', users: ['frank'] } },
          {
            op: 'update',
            kind: 'feed',
            key: 'Staging',
            changes: { access: { from: 'private', to: 'public' } },
          },
          { op: 'remove', kind: 'feed', key: 'Nope' },
        ],
      },
      400,
    );
    expect(lastBad.json).toMatchObject({ operation: 3 });
    // Removing a group that a grant still names leaves an invalid policy.
    const invalid = await expectUnchanged(
      { operations: [addUser('gina'), { op: 'remove', kind: 'group', key: 'Developers' }] },
      400,
    );
    expect((invalid.json as { error: string }).error).toMatch(
      /^the change set leaves an invalid policy: permissions\[\d+\]/,
    );
  });

  it('refuses a lockout with 409 naming who would be locked out, unless allowLockout', async () => {
    const lockout = { operations: [{ op: 'remove', kind: 'permission', key: ADMINS_GRANT }] };
    const r = await expectUnchanged(lockout, 409);
    expect(r.json).toMatchObject({
      directory: 'Built-in',
      lockedOut: ['Admin', 'carol'],
      override: 'allowLockout',
    });
    const error = (r.json as { error: string }).error;
    expect(error).toContain('Admin_ConfigureProGet');
    expect(error).toContain('It would lock out: Admin, carol');
    // Demoting the admins through group membership is the same lockout.
    await expectUnchanged(
      {
        operations: [
          {
            op: 'update',
            kind: 'group',
            key: 'Administrators',
            changes: { users: { removed: ['Admin', 'carol'] } },
          },
        ],
      },
      409,
    );

    const from = revision();
    const accepted = await post({ ...lockout, allowLockout: true });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json).toEqual({ revision: from + 1, applied: 1 });
    const entry = auditAfter(server.db).at(-1);
    expect(entry?.detail).toMatchObject({ lockoutAccepted: true, lockedOut: ['Admin', 'carol'] });

    // Still locked out: a change that does not restore an admin is refused too.
    await expectUnchanged({ operations: [addUser('henry')] }, 409);
    // The system key restores the grant.
    const restored = await post({
      operations: [
        { op: 'add', kind: 'permission', item: { group: 'Administrators', task: 'Administer' } },
      ],
    });
    expect(restored.status, restored.text).toBe(200);
  });

  it('records an audit entry with the actor and key id, never the key text', async () => {
    const from = revision();
    const r = await post({ operations: [addUser('ivan')] });
    expect(r.status).toBe(200);
    const entry = auditAfter(server.db).at(-1);
    expect(entry).toMatchObject({
      actor: `key ${keyId} (system)`,
      keyId,
      action: 'policy.change',
      detail: {
        directory: 'Built-in',
        fromRevision: from,
        revision: from + 1,
        applied: 1,
        operations: ['add user ivan'],
      },
    });
    // A built-in user signed in with user:password is the actor, with no key.
    const byAdmin = await post({ operations: [addUser('judy')] }, undefined, {
      'X-ApiKey': `Admin:${ADMIN_PASSWORD}`,
    });
    expect(byAdmin.status, byAdmin.text).toBe(200);
    expect(auditAfter(server.db).at(-1)).toMatchObject({ actor: 'Built-in/Admin', keyId: null });

    const audit = await server.request('/api/feedgate/v1/audit?limit=1000', { headers: auth });
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('policy.change');
    expect(audit.text).not.toContain(key);
    expect(audit.text).not.toContain(key.slice(4, 20));
    expect(audit.text).not.toContain(ADMIN_PASSWORD);
    expect(server.logs.join('\n')).not.toContain(key);
  });

  it('two concurrent writers with the same If-Match: exactly one wins, the other gets 412', async () => {
    for (let round = 0; round < 5; round++) {
      const ifMatch = `"${revision()}"`;
      const [a, b] = await Promise.all([
        post({ operations: [addUser(`racer-a${round}`)] }, ifMatch),
        post({ operations: [addUser(`racer-b${round}`)] }, ifMatch),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 412]);
      const users = (JSON.parse(await snapshotText()) as { users: { name: string }[] }).users.map(
        (u) => u.name,
      );
      const winner = a.status === 200 ? 'a' : 'b';
      const loser = winner === 'a' ? 'b' : 'a';
      expect(users).toContain(`racer-${winner}${round}`);
      expect(users).not.toContain(`racer-${loser}${round}`);
    }
  });

  it('needs an administrator like every v1 endpoint', async () => {
    const r = await post({ operations: [addUser('kim')] }, undefined, { 'X-ApiKey': 'fgk_nope' });
    expect(r.status).toBe(403);
  });
});
