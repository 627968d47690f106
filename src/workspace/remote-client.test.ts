// The remote client against a real instance on 127.0.0.1: snapshot, changes with If-Match,
// 412 when the revision moved, Basic sign-in, errors that never hold the key, and the
// security groups, tasks and attributes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminTestInstance, type AdminTestInstance } from '../../test/helpers/admin-server';
import { ADMIN_PASSWORD } from '../../test/helpers/server';
import { RemoteClient, RemoteError } from './remote-client';

let admin: AdminTestInstance;
beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(() => admin.server.close());

const client = (apiKey = admin.key) =>
  new RemoteClient({ url: `${admin.server.base}/`, auth: 'api-key', apiKey });

async function failure(work: () => Promise<unknown>): Promise<RemoteError> {
  const error = await work().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe('RemoteClient', () => {
  it('reads the snapshot (policy without revision) and posts a change set with If-Match', async () => {
    const { policy, revision } = await client().getSnapshot();
    expect(policy.format).toBe('feedgate-policy/1');
    expect(policy).not.toHaveProperty('revision');
    const add = { op: 'add', kind: 'user', item: { name: 'zoe' } } as const;
    const result = await client().postChanges({ operations: [add] }, revision);
    expect(result).toEqual({ revision: revision + 1, applied: 1 });
    const stale = await failure(() =>
      client().postChanges({ operations: [{ ...add, item: { name: 'yan' } }] }, revision),
    );
    expect(stale.kind).toBe('conflict');
    expect(stale.message).toContain('the policy changed on the server since it was read');
  });

  it('signs in with Basic for a user name and password', async () => {
    const basic = new RemoteClient({
      url: admin.server.base,
      auth: 'password',
      username: 'Admin',
      password: ADMIN_PASSWORD,
    });
    expect((await basic.getSnapshot()).revision).toBeGreaterThan(0);
  });

  it('maps a wrong key to "access denied" without the key', async () => {
    const wrong = 'Remote-Client-Wrong-Key-3f1c';
    const error = await failure(() => client(wrong).getSnapshot());
    expect(error.kind).toBe('access-denied');
    expect(error.message).toBe('access denied (check the API key)');
    expect(error.message).not.toContain(wrong);
  });

  it('creates a group, replaces its members and deletes it; groups/list follows', async () => {
    const c = client();
    expect(await c.addGroup({ name: 'Testers', users: ['alice'] })).toEqual({
      name: 'Testers',
      users: ['alice'],
    });
    expect(await c.updateGroup({ name: 'Testers', users: ['bob', 'carol'] })).toEqual({
      name: 'Testers',
      users: ['bob', 'carol'],
    });
    expect((await c.listGroups()).find((g) => g.name === 'Testers')?.users).toEqual([
      'bob',
      'carol',
    ]);
    const unknown = await failure(() => c.updateGroup({ name: 'Nobody', users: [] }));
    expect(unknown.kind).toBe('rejected');
    expect(unknown.message).toContain('unknown group "Nobody"');
    expect(await c.deleteGroup('Testers')).toEqual({ grantsRemoved: 0 });
    expect((await c.listGroups()).some((g) => g.name === 'Testers')).toBe(false);
  });

  it('creates, lists and deletes a task; a built-in task is not deleted', async () => {
    const c = client();
    const task = { name: 'Readers', description: 'view only', attributes: ['Feeds_ViewFeed'] };
    expect(await c.addTask(task)).toEqual({ ...task, feedScoped: true, edited: false });
    expect((await c.listTasks()).find((t) => t.name === 'Readers')).toEqual({
      ...task,
      feedScoped: true,
    });
    await c.deleteTask('Readers');
    expect((await c.listTasks()).some((t) => t.name === 'Readers')).toBe(false);
    const builtIn = await failure(() => c.deleteTask('Administer'));
    expect(builtIn.kind).toBe('rejected');
    expect(builtIn.message).toContain('built-in');
  });

  it('lists the attribute catalog with the feed-scoped marker', async () => {
    const attributes = await client().listAttributes();
    expect(attributes).toContainEqual({ name: 'Feeds_ViewFeed', feedScoped: true });
    expect(attributes).toContainEqual({ name: 'Admin_ConfigureProGet', feedScoped: false });
  });

  it('pages the audit log newest first, with the key id and never the key text', async () => {
    const c = client();
    const created = await c.createApiKey({ type: 'system', displayName: 'audited' });
    await c.deleteApiKey(created.id);
    const first = await c.listAudit({ limit: 2 });
    expect(first.entries.map((e) => [e.action, e.detail.id])).toEqual([
      ['api-keys.revoke', created.id],
      ['api-keys.create', created.id],
    ]);
    expect(first.entries[0]).toMatchObject({
      actor: `key ${admin.keyId} (system)`,
      keyId: admin.keyId,
    });
    expect(first.next).toBe(first.entries[1]?.id);
    const second = await c.listAudit({ before: first.next as number, limit: 1000 });
    expect(second.next).toBeNull();
    expect(second.entries.at(-1)?.action).toBe('instance.init');
    const ids = [...first.entries, ...second.entries].map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(JSON.stringify([first, second])).not.toContain(created.key);
    const bad = await failure(() => c.listAudit({ limit: 5000 }));
    expect(bad.kind).toBe('rejected');
    expect(bad.message).toBe('the server refused the request: limit: must be between 1 and 1000');
  });

  it('reads a group without `users` (optional in the API model) as one without members', async () => {
    const answers: Record<string, unknown> = {
      '/api/security/groups/list': [{ name: 'Plain' }],
      '/api/security/tasks/list': [{ name: 'Broken' }],
    };
    const other = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(answers[request.url ?? ''] ?? null));
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const c = new RemoteClient({ url, auth: 'api-key', apiKey: 'k' });
      expect(await c.listGroups()).toEqual([{ name: 'Plain', users: [] }]);
      // A task without feedScoped and attributes is not this API's answer.
      const error = await failure(() => c.listTasks());
      expect(error.kind).toBe('not-instance');
      expect(error.message).toBe(`${url} is not a feedgate instance`);
    } finally {
      other.closeAllConnections();
      other.close();
    }
  });

  it('times out with a clear message (a server that never answers)', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const slow = new RemoteClient({ url, auth: 'api-key', apiKey: 'k' }, { timeoutMs: 200 });
      const error = await failure(() => slow.getSnapshot());
      expect(error.kind).toBe('timeout');
      expect(error.message).toBe(`cannot reach ${url}: no answer within 0.2 s`);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
