// A server that offers only the ProGet-compatible APIs: a real embedded instance behind a
// real HTTP proxy on 127.0.0.1 that answers 404 to every feedgate v1 request (as ProGet
// would). Pull reads the lists; push sends ordered calls and a re-read reports exactly what
// did not apply, which stays in the draft.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers/cli';
import { progetOnlyProxy } from '../../test/helpers/proget-proxy';
import type { Policy } from '../core/index';
import { Connections } from './connections';
import { Mirror } from './mirror';
import { Sync } from './sync';

let dir: string;
let mirror: Mirror;
let connections: Connections;
let sync: Sync;
let proxy: Server;
let embeddedId: string;
let progetId: string;
let key: string;

async function v1Check(user: string, attribute: string, feed: string): Promise<boolean> {
  const url = connections.get(embeddedId).url;
  const response = await fetch(`${url}/api/feedgate/v1/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-apikey': key },
    body: JSON.stringify({ user, attribute, feed }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { allowed: boolean }).allowed;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'feedgate-proget-'));
  mirror = Mirror.open(path.join(dir, 'workspace.db'));
  connections = new Connections({
    mirror,
    cliBundle: path.join(ROOT, 'dist/cli/feedgate.cjs'),
    appDataDir: dir,
  });
  sync = new Sync(connections);
  const embedded = await connections.addEmbedded({
    name: 'Real',
    dataDir: path.join(dir, 'real'),
    autostart: false,
    keyStorage: 'memory',
  });
  embeddedId = embedded.connection.id;
  proxy = await progetOnlyProxy(embedded.connection.url);
  // A second key of the instance, for the ProGet-only connection and for checks.
  const client = await connections.client(embeddedId);
  key = (await client.createApiKey({ type: 'system', fullControl: true })).key;
  const proget = await connections.addRemote({
    name: 'ProGetOnly',
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    apiKey: key,
    keyStorage: 'memory',
  });
  progetId = proget.id;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await connections?.stopAll();
  mirror?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a ProGet-only server', () => {
  it('pulls through the lists, pushes ordered calls, verifies by re-reading', async () => {
    const pulled = await sync.pull(progetId);
    expect(pulled.serverMoved).toBe(false);
    const first = mirror.snapshot(progetId)?.policy as Policy;
    expect(first.users.map((u) => u.name)).toEqual(['Admin']);

    mirror.edit(
      progetId,
      {
        operations: [
          { op: 'add', kind: 'feedGroup', item: { name: 'Main' } },
          { op: 'add', kind: 'feed', item: { name: 'Prod', feedType: 'nuget', feedGroup: 'Main' } },
          {
            op: 'add',
            kind: 'task',
            item: { name: 'Readers', attributes: ['Feeds_ViewFeed', 'Feeds_DownloadPackage'] },
          },
          { op: 'add', kind: 'user', item: { name: 'alice' } },
          { op: 'add', kind: 'group', item: { name: 'Devs', users: ['alice'] } },
          { op: 'add', kind: 'permission', item: { group: 'Devs', task: 'Readers', feed: 'Prod' } },
        ],
      },
      'set up Prod',
    );
    const pushed = await sync.push(progetId);
    expect(pushed).toMatchObject({ status: 'pushed', verified: true, notApplied: [] });
    if (pushed.status !== 'pushed') return;
    expect(pushed.steps?.every((s) => s.ok)).toBe(true);
    expect(pushed.steps?.map((s) => s.label)).toEqual(
      expect.arrayContaining([
        'add feedGroup Main',
        'add feed Prod',
        'add user alice',
        'add group Devs',
      ]),
    );
    expect(await v1Check('alice', 'Feeds_DownloadPackage', 'Prod')).toBe(true);
    expect(sync.diff(progetId).summary).toEqual({ added: 0, removed: 0, updated: 0 });
  }, 60_000);

  it('reports exactly what did not apply and keeps it in the draft', async () => {
    mirror.edit(
      progetId,
      {
        operations: [
          {
            op: 'update',
            kind: 'feed',
            key: 'Prod',
            changes: { access: { from: 'private', to: 'public' } },
          },
          { op: 'remove', kind: 'permission', key: 'group:Devs|Readers|feed:Prod|allow' },
        ],
      },
      'open Prod, drop the grant',
    );
    const pushed = await sync.push(progetId);
    expect(pushed).toMatchObject({ status: 'pushed', verified: false });
    if (pushed.status !== 'pushed') return;
    expect(pushed.notApplied.map((e) => `${e.change} ${e.kind} ${e.key}`)).toEqual([
      'updated feed Prod',
    ]);
    expect(pushed.steps).toContainEqual({
      label: 'update feed Prod',
      ok: false,
      message: 'a feed cannot be changed through the ProGet API (only created or deleted)',
    });
    expect(await v1Check('alice', 'Feeds_DownloadPackage', 'Prod')).toBe(false);
    const left = sync.diff(progetId);
    expect(left.summary).toEqual({ added: 0, removed: 0, updated: 1 });
    expect(left.serverMoved).toBe(false);
  }, 60_000);

  it('merges instead of overwriting when the server moved since the pull', async () => {
    mirror.edit(
      progetId,
      { operations: [{ op: 'add', kind: 'user', item: { name: 'bob' } }] },
      'bob',
    );
    const direct = await connections.client(embeddedId);
    await direct.addUser({ name: 'carol' });
    const result = await sync.push(progetId);
    expect(result).toMatchObject({
      status: 'server-moved',
      merge: { merged: true, conflicts: [] },
    });
    const again = await sync.push(progetId);
    expect(again.status).toBe('pushed');
    const server = mirror.snapshot(progetId)?.policy as Policy;
    expect(server.users.map((u) => u.name)).toEqual(expect.arrayContaining(['bob', 'carol']));
  }, 60_000);
});
