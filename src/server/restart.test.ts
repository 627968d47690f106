// A restart keeps everything: a real `feedgate server` process gets users (with passwords),
// groups, a task, grants, a v1 change and API keys (one revoked), is stopped with SIGTERM and
// started again on the same data dir. The snapshot, revision, audit log, user list and key
// list are identical; the kept keys and the passwords still authenticate, the revoked key
// still fails. And a SIGTERM with writes in flight: every write it stored was answered.
import { describe, expect, it } from 'vitest';
import { FORBIDDEN_BODY } from './http/errors';
import {
  http,
  initializedDataDir,
  readAudit,
  serverProcessDir,
  startServerProcess,
} from '../../test/helpers/server-process';

const tmp = serverProcessDir();

const ADMIN_PASSWORD = 'restart-admin-password';
const ERIN_PASSWORD = 'erin-password-for-restart';
const SNAPSHOT = '/api/feedgate/v1/snapshot';

/** Everything the instance shows about itself, read with `auth`. */
async function state(url: string, auth: Record<string, string>) {
  const get = async (target: string) => {
    const r = await http(url, target, { headers: auth });
    expect(r.status, `${target}: ${r.text}`).toBe(200);
    return r;
  };
  const snapshot = await get(SNAPSHOT);
  const keys = (await get('/api/api-keys/list')).json as Record<string, unknown>[];
  return {
    snapshot: snapshot.text,
    etag: snapshot.etag,
    audit: await readAudit(url, auth),
    users: (await get('/api/security/users/list')).json,
    groups: (await get('/api/security/groups/list')).json,
    tasks: (await get('/api/security/tasks/list')).json,
    permissions: (await get('/api/security/permissions/list')).json,
    // lastUsed moves when a key is used (at most once a minute): not part of what must persist.
    keys: keys.map(({ lastUsed: _lastUsed, ...key }) => key),
  };
}

describe('restart after SIGTERM', () => {
  it('keeps the policy, revision, audit log, passwords and API keys (revoked ones stay revoked)', async () => {
    const { dir, key } = await initializedDataDir(tmp.dir, 'data', ADMIN_PASSWORD);
    const auth = { 'X-ApiKey': key };
    const first = await startServerProcess(['--data-dir', dir, '--port', '0']);
    const write = async (target: string, body?: unknown, headers: Record<string, string> = {}) => {
      const r = await http(first.url, target, {
        method: 'POST',
        headers: { ...auth, ...headers },
        body,
      });
      expect(r.status, `${target}: ${r.text}`).toBe(200);
      return r.json as Record<string, unknown>;
    };

    await write('/api/security/groups/add', { name: 'Ops' });
    await write('/api/security/users/add', {
      name: 'erin',
      displayName: 'Erin',
      email: 'erin@example.org',
      password: ERIN_PASSWORD,
      groups: ['Ops', 'Administrators'],
    });
    await write('/api/security/users/add', { name: 'frank', groups: ['Ops'] });
    await write('/api/security/tasks/add', { name: 'Viewers', attributes: ['Feeds_ViewFeed'] });
    await write('/api/security/permissions/add', { group: 'Ops', task: 'Viewers' });
    await write('/api/security/permissions/add', { user: 'frank', task: 'Publish Packages' });
    const { revision } = (await http(first.url, SNAPSHOT, { headers: auth })).json as {
      revision: number;
    };
    await write(
      '/api/feedgate/v1/changes',
      { operations: [{ op: 'add', kind: 'feed', item: { name: 'QA', feedType: 'npm' } }] },
      { 'If-Match': `"${revision}"` },
    );
    const kept = (await write('/api/api-keys/create', { type: 'system', fullControl: true }))
      .key as string;
    const personal = (await write('/api/api-keys/create', { type: 'personal', user: 'erin' }))
      .key as string;
    const revoked = await write('/api/api-keys/create', { type: 'system', fullControl: true });
    expect(await write(`/api/api-keys/delete?id=${revoked.id as number}`)).toEqual({
      id: revoked.id,
      revoked: true,
    });
    const before = await state(first.url, auth);
    expect(before.etag).toBe(`"${revision + 1}"`);
    expect(before.audit.map((e) => e.action)).toEqual([
      'instance.init',
      'security.groups.add',
      'security.users.add',
      'security.users.add',
      'security.tasks.add',
      'security.permissions.add',
      'security.permissions.add',
      'policy.change',
      'api-keys.create',
      'api-keys.create',
      'api-keys.create',
      'api-keys.revoke',
    ]);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServerProcess(['--data-dir', dir, '--port', '0']);
    expect(await state(second.url, auth)).toEqual(before);

    const status = async (headers: Record<string, string>) => {
      const r = await http(second.url, SNAPSHOT, { headers });
      if (r.status === 403) expect(r.json).toEqual(FORBIDDEN_BODY);
      return r.status;
    };
    expect(await status({ 'X-ApiKey': kept })).toBe(200);
    expect(await status({ 'X-ApiKey': personal })).toBe(200);
    expect(await status({ 'X-ApiKey': revoked.key as string })).toBe(403);
    expect(await status({ 'X-ApiKey': `Admin:${ADMIN_PASSWORD}` })).toBe(200);
    expect(await status({ 'X-ApiKey': `erin:${ERIN_PASSWORD}` })).toBe(200);
    expect(await status({ 'X-ApiKey': 'erin:not-her-password' })).toBe(403);
    // The restart wrote nothing: reading again gives the same state.
    expect(await state(second.url, auth)).toEqual(before);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 30_000);

  it('SIGTERM with writes in flight: each finishes and is answered, or is refused; exit 0', async () => {
    const { dir, key } = await initializedDataDir(tmp.dir, 'in-flight', ADMIN_PASSWORD);
    const auth = { 'X-ApiKey': key };
    const server = await startServerProcess(['--data-dir', dir, '--port', '0']);
    const names = Array.from({ length: 20 }, (_, i) => `inflight-${i}`);
    // SIGTERM as soon as the first write is answered, while the others are in flight.
    let stopping = false;
    const answers = names.map((name) =>
      http(server.url, '/api/security/users/add', { headers: auth, body: { name } }).then(
        (r) => {
          if (!stopping) {
            stopping = true;
            server.child.kill('SIGTERM');
          }
          return r.status;
        },
        () => 'no answer' as const,
      ),
    );
    const statuses = await Promise.all(answers);
    expect(await server.exited).toBe(0);
    expect(statuses).toContain(200);
    for (const status of statuses) expect([200, 503, 'no answer']).toContain(status);

    const again = await startServerProcess(['--data-dir', dir, '--port', '0']);
    const snapshot = (await http(again.url, SNAPSHOT, { headers: auth })).json as {
      revision: number;
      users: { name: string }[];
    };
    const stored = snapshot.users.map((u) => u.name).filter((n) => n.startsWith('inflight-'));
    const acknowledged = names.filter((_, i) => statuses[i] === 200);
    // A graceful stop answers every write it made: stored exactly when acknowledged.
    expect([...stored].sort()).toEqual([...acknowledged].sort());
    // Each stored user is one whole write: its revision and its audit entry.
    const added = (await readAudit(again.url, auth)).filter(
      (e) => e.action === 'security.users.add',
    );
    expect(added.map((e) => e.detail.user).sort()).toEqual([...stored].sort());
    expect(snapshot.revision).toBe(1 + stored.length);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
