// The workspace against a real embedded instance (the built CLI's `feedgate server` as a child
// process, over HTTP on 127.0.0.1) with keys in a real Secret Service: pull, offline edits,
// a re-opened workspace, push verified with v1 check, merges with and without conflicts, and
// an instance killed during a push.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers/cli';
import { filesContaining, useKeyring } from '../../test/helpers/keyring';
import { policiesEqual, type ChangeSet, type FeedAccess, type Policy } from '../core/index';
import { Connections } from './connections';
import { KeytarKeychain } from './keychain';
import { Mirror } from './mirror';
import { RemoteClient } from './remote-client';
import { Sync, type SyncProgress } from './sync';

useKeyring();

const CLI_BUNDLE = path.join(ROOT, 'dist/cli/feedgate.cjs');

interface Workspace {
  mirror: Mirror;
  connections: Connections;
  sync: Sync;
  progress: SyncProgress[];
}

let dir: string;
let workspace: Workspace;
let connectionId: string;
let adminPassword: string;

/** A workspace over the mirror file: what the app builds at each launch. */
function openWorkspace(): Workspace {
  const mirror = Mirror.open(path.join(dir, 'app', 'workspace.db'));
  const connections = new Connections({
    mirror,
    cliBundle: CLI_BUNDLE,
    appDataDir: path.join(dir, 'app'),
  });
  const progress: SyncProgress[] = [];
  return { mirror, connections, sync: new Sync(connections, (p) => progress.push(p)), progress };
}

async function closeWorkspace(w: Workspace): Promise<void> {
  await w.connections.stopAll();
  w.mirror.close();
}

async function apiKey(): Promise<string> {
  return (await new KeytarKeychain().get(connectionId)) as string;
}

/** Another admin writing to the server directly (the server moves). */
async function serverChange(changeSet: ChangeSet): Promise<void> {
  const client = await workspace.connections.client(connectionId);
  const { revision } = await client.getSnapshot();
  await client.postChanges(changeSet, revision);
}

async function check(user: string, attribute: string, feed?: string): Promise<boolean> {
  const url = workspace.connections.instance(connectionId).status().url as string;
  const response = await fetch(`${url}/api/feedgate/v1/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-apikey': await apiKey() },
    body: JSON.stringify({ user, attribute, ...(feed !== undefined && { feed }) }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { allowed: boolean }).allowed;
}

const edit = (changeSet: ChangeSet, label = 'edit') =>
  workspace.mirror.edit(connectionId, changeSet, label);

async function serverPolicy(): Promise<Policy> {
  await workspace.sync.pull(connectionId);
  return workspace.mirror.snapshot(connectionId)?.policy as Policy;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'feedgate-sync-'));
  workspace = openWorkspace();
  const first = await workspace.connections.ensureDefault('keychain');
  if (!first.created) throw new Error('a first launch creates the embedded default');
  connectionId = first.connection.id;
  adminPassword = first.adminPassword;
}, 60_000);

afterAll(async () => {
  if (workspace !== undefined) await closeWorkspace(workspace);
  rmSync(dir, { recursive: true, force: true });
});

describe('workspace against a real embedded instance', () => {
  it('first launch: the embedded default runs, its key is in the keychain, not on disk', async () => {
    expect(workspace.connections.list()).toMatchObject([
      { name: 'Local', kind: 'embedded', isDefault: true, autostart: true, keyStorage: 'keychain' },
    ]);
    expect(workspace.connections.instance(connectionId).status().state).toBe('running');
    expect(await workspace.connections.test(connectionId)).toEqual({ ok: true, revision: 1 });
    const key = await apiKey();
    expect(key).toMatch(/\S{16,}/);
    expect(filesContaining(dir, key)).toEqual([]);
    expect(filesContaining(dir, adminPassword)).toEqual([]);
    expect(workspace.connections.instance(connectionId).log().join('\n')).not.toContain(key);
  });

  it('pull, stop, edit offline, re-open: the draft is intact; start, push, verified with check', async () => {
    const pulled = await workspace.sync.pull(connectionId);
    expect(pulled).toMatchObject({ revision: 1, baseRevision: 1, serverMoved: false });
    expect(workspace.progress.filter((p) => p.phase === 'pull').at(-1)).toMatchObject({
      done: 3,
      total: 3,
    });
    await workspace.connections.instance(connectionId).stop();
    expect(workspace.connections.instance(connectionId).status().state).toBe('stopped');

    edit({
      operations: [
        { op: 'add', kind: 'feed', item: { name: 'Prod', feedType: 'nuget' } },
        { op: 'add', kind: 'user', item: { name: 'alice' } },
        { op: 'add', kind: 'group', item: { name: 'Developers', users: ['alice'] } },
      ],
    });
    edit({
      operations: [
        {
          op: 'add',
          kind: 'permission',
          item: { group: 'Developers', task: 'Publish Packages', feed: 'Prod' },
        },
      ],
    });
    const offline = workspace.sync.diff(connectionId);
    expect(offline.summary).toEqual({ added: 4, removed: 0, updated: 0 });
    expect(offline.access.totals.granted).toBeGreaterThan(0);
    const draftBefore = workspace.mirror.draft(connectionId)?.policy as Policy;

    // The app quits and starts again: new objects over the same mirror file.
    await closeWorkspace(workspace);
    workspace = openWorkspace();
    const reopened = workspace.mirror.draft(connectionId);
    expect(policiesEqual(reopened?.policy as Policy, draftBefore)).toBe(true);
    expect(reopened?.cursor).toBe(2);

    await workspace.connections.startAutostart();
    expect(workspace.connections.instance(connectionId).status().state).toBe('running');
    expect(await check('alice', 'Feeds_AddPackage', 'Prod').catch(() => 'unknown')).toBe('unknown');
    const pushed = await workspace.sync.push(connectionId);
    expect(pushed).toMatchObject({
      status: 'pushed',
      revision: 2,
      applied: 4,
      verified: true,
      notApplied: [],
    });
    expect(await check('alice', 'Feeds_AddPackage', 'Prod')).toBe(true);
    expect(workspace.sync.diff(connectionId).summary).toEqual({ added: 0, removed: 0, updated: 0 });
    expect(workspace.mirror.draft(connectionId)?.baseRevision).toBe(2);
  }, 60_000);

  it('the server moved: a merge without conflicts keeps both sides', async () => {
    edit({ operations: [{ op: 'add', kind: 'user', item: { name: 'bob' } }] });
    await serverChange({ operations: [{ op: 'add', kind: 'user', item: { name: 'carol' } }] });
    const result = await workspace.sync.push(connectionId);
    expect(result).toMatchObject({
      status: 'server-moved',
      merge: { merged: true, conflicts: [] },
    });
    expect((await workspace.sync.push(connectionId)).status).toBe('pushed');
    const names = (await serverPolicy()).users.map((u) => u.name);
    expect(names).toEqual(expect.arrayContaining(['alice', 'bob', 'carol']));
  }, 60_000);

  it('the server moved: a conflict waits for a choice; keep mine, then take theirs', async () => {
    const access = (to: FeedAccess, from: FeedAccess = 'private') => ({
      operations: [
        {
          op: 'update' as const,
          kind: 'feed' as const,
          key: 'Prod',
          changes: { access: { from, to } },
        },
      ],
    });
    edit(access('public'));
    await serverChange(access('organization'));
    await workspace.sync.pull(connectionId);
    const merge = workspace.sync.merge(connectionId);
    expect(merge.merged).toBe(false);
    expect(merge.conflicts.map((c) => c.id)).toEqual(['feed:Prod:access']);
    expect(workspace.sync.diff(connectionId).serverMoved).toBe(true);
    workspace.sync.resolve(connectionId, { 'feed:Prod:access': 'ours' });
    expect((await workspace.sync.push(connectionId)).status).toBe('pushed');
    expect((await serverPolicy()).feeds.find((f) => f.name === 'Prod')?.access).toBe('public');

    edit(access('community', 'public'));
    await serverChange(access('organization', 'public'));
    await workspace.sync.pull(connectionId);
    expect(workspace.sync.merge(connectionId).conflicts).toHaveLength(1);
    workspace.sync.resolve(connectionId, { 'feed:Prod:access': 'theirs' });
    expect(workspace.sync.diff(connectionId).summary).toEqual({ added: 0, removed: 0, updated: 0 });
    expect((await workspace.sync.push(connectionId)).status).toBe('nothing-to-push');
    expect((await serverPolicy()).feeds.find((f) => f.name === 'Prod')?.access).toBe(
      'organization',
    );
  }, 60_000);

  it('refuses a push that lint says locks every admin out unless confirmed', async () => {
    edit({
      operations: [
        { op: 'remove', kind: 'permission', key: 'group:Administrators|Administer|global|allow' },
      ],
    });
    const refused = await workspace.sync.push(connectionId);
    expect(refused).toMatchObject({
      status: 'lockout-refused',
      findings: [{ id: 'lockout-risk' }],
    });
    workspace.mirror.undo(connectionId);
    expect(workspace.sync.diff(connectionId).summary.removed).toBe(0);
  });

  it('the instance killed during a push: nothing half-applied, the draft kept', async () => {
    const base = workspace.mirror.draft(connectionId)?.policy as Policy;
    const users = Array.from({ length: 3000 }, (_, i) => ({
      name: `bulk-${i}`,
      groups: ['Developers'],
    }));
    edit({
      operations: users.map((item) => ({ op: 'add' as const, kind: 'user' as const, item })),
    });
    const draft = workspace.mirror.draft(connectionId)?.policy as Policy;
    const instance = workspace.connections.instance(connectionId);
    const pushing = workspace.sync.push(connectionId);
    // SIGKILL as soon as the request is on its way (before or during the server's transaction).
    const killed = new Promise<void>((resolve) =>
      setImmediate(() => void instance.kill().then(resolve)),
    );
    const result = await pushing;
    await killed;
    expect(instance.status().state).toBe('failed');
    if (result.status === 'failed') {
      expect(result.kind).toBe('network');
      expect(policiesEqual(workspace.mirror.draft(connectionId)?.policy as Policy, draft)).toBe(
        true,
      );
    }
    await instance.start();
    const after = await serverPolicy();
    // All or nothing: the server holds the base or the whole draft, never a part.
    const bulk = after.users.filter((u) => u.name.startsWith('bulk-')).length;
    expect([0, users.length]).toContain(bulk);
    expect(policiesEqual(after, bulk === 0 ? base : draft)).toBe(true);
    // Pushing again ends with the draft on the server either way.
    const again = await workspace.sync.push(connectionId);
    if (again.status === 'server-moved') await workspace.sync.push(connectionId);
    expect(policiesEqual(await serverPolicy(), draft)).toBe(true);
  }, 120_000);

  it('exports the draft and imports a policy file as one undoable edit', () => {
    const text = workspace.sync.exportPolicy(connectionId, 'draft', 'yaml');
    expect(text).toContain('format: feedgate-policy/1');
    const before = workspace.mirror.draft(connectionId)?.policy as Policy;
    const imported = workspace.sync.importPolicy(
      connectionId,
      JSON.stringify({
        ...before,
        directory: 'Elsewhere',
        users: [...before.users, { name: 'imported' }],
      }),
    );
    expect(imported.policy.directory).toBe(before.directory);
    expect(imported.policy.users.map((u) => u.name)).toContain('imported');
    workspace.mirror.undo(connectionId);
    expect(policiesEqual(workspace.mirror.draft(connectionId)?.policy as Policy, before)).toBe(
      true,
    );
  });

  it('never writes the API key or the Admin password into the mirror file or the logs', async () => {
    const key = await apiKey();
    workspace.mirror.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(filesContaining(path.join(dir, 'app'), key)).toEqual([]);
    expect(filesContaining(path.join(dir, 'app'), adminPassword)).toEqual([]);
    const log = workspace.connections.instance(connectionId).log().join('\n');
    expect(log).toContain('listening');
    expect(log).not.toContain(key);
    // The client is usable only through the keychain entry: a wrong key is refused.
    const wrong = new RemoteClient({
      url: workspace.connections.get(connectionId).url,
      auth: 'api-key',
      apiKey: 'fgk_wrong',
    });
    await expect(wrong.getSnapshot()).rejects.toMatchObject({ kind: 'access-denied' });
  });
});
