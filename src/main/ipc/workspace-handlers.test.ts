// The workspace channels through the real registry, over a real workspace: an embedded
// instance run by the built CLI, keys in a real Secret Service. Every result is checked
// against its schema (validateResults), and the whole transcript of results and push events
// is searched for the key text: it is never there. The Admin password shows only in the
// one-time results that made it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../test/helpers/cli';
import { filesContaining, useKeyring } from '../../../test/helpers/keyring';
import type { AppApiResponse } from '../../shared/app-api';
import { freePort } from '../../workspace/connections';
import { KeytarKeychain } from '../../workspace/keychain';
import { Workspace } from '../../workspace/workspace';
import { createEventHub } from './events';
import { APP_API_HANDLERS } from './handlers';
import { createRegistry, type AppApiRegistry } from './registry';

useKeyring();

let dir: string;
let workspace: Workspace;
let api: AppApiRegistry;
const transcript: unknown[] = [];

async function call(channel: string, args: unknown): Promise<AppApiResponse & { ok: true }> {
  const response = await api.invoke(channel, args);
  transcript.push(response);
  if (!response.ok)
    throw new Error(`${channel}: ${response.error.code}: ${response.error.message}`);
  return response;
}

const value = <T>(response: { value: unknown }) => response.value as T;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'feedgate-ipc-workspace-'));
  workspace = new Workspace({
    appDataDir: path.join(dir, 'app'),
    cliBundle: path.join(ROOT, 'dist/cli/feedgate.cjs'),
  });
  const events = createEventHub();
  events.subscribe((event, payload) => transcript.push({ event, payload }));
  api = createRegistry(APP_API_HANDLERS, {
    context: { host: 'browser', events, workspace },
    validateResults: true,
  });
});

afterAll(async () => {
  await workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('workspace channels', () => {
  it('run a whole session; no result or event holds the key', async () => {
    const first = value<{ created: boolean; connection: { id: string }; adminPassword: string }>(
      await call('connections:first-launch', { keyStorage: 'keychain' }),
    );
    expect(first.created).toBe(true);
    const id = first.connection.id;
    expect(value(await call('connections:first-launch', { keyStorage: 'keychain' }))).toEqual({
      created: false,
    });
    expect(value(await call('connections:test', { id }))).toEqual({ ok: true, revision: 1 });
    expect(value(await call('instance:status', { id }))).toMatchObject({ state: 'running' });
    expect(value(await call('sync:pull', { id }))).toMatchObject({
      revision: 1,
      serverMoved: false,
    });

    await call('draft:edit', {
      id,
      label: 'add alice',
      changeSet: { operations: [{ op: 'add', kind: 'user', item: { name: 'alice' } }] },
    });
    expect(value(await call('sync:diff', { id }))).toMatchObject({
      summary: { added: 1, removed: 0, updated: 0 },
      lint: expect.any(Array),
    });
    expect(value(await call('draft:undo', { id }))).toMatchObject({ cursor: 0, operations: 1 });
    expect(value(await call('draft:redo', { id }))).toMatchObject({ cursor: 1 });
    expect(value(await call('sync:merge', { id }))).toEqual({
      merged: true,
      baseRevision: 1,
      conflicts: [],
    });
    expect(value(await call('sync:push', { id }))).toMatchObject({
      status: 'pushed',
      revision: 2,
      verified: true,
    });
    const exported = value<{ text: string }>(
      await call('policy:export', { id, which: 'snapshot', format: 'json' }),
    );
    expect(JSON.parse(exported.text).users.map((u: { name: string }) => u.name)).toContain('alice');
    const imported = value<{ policyText: string }>(
      await call('policy:import', { id, policyText: exported.text.replace('"alice"', '"alicia"') }),
    );
    expect(imported.policyText).toContain('"alicia"');
    expect(value(await call('draft:get', { id }))).toMatchObject({ cursor: 1, baseRevision: 2 });
    expect(value(await call('instance:log', { id }))).toMatchObject({ lines: expect.any(Array) });

    const recovered = value<{ kind: string; adminPassword: string }>(
      await call('recovery:reset', { id }),
    );
    expect(recovered.kind).toBe('embedded');
    expect(value(await call('instance:stop', { id }))).toEqual({ state: 'stopped' });
    expect(value(await call('instance:start', { id }))).toMatchObject({ state: 'running' });

    const events = transcript.filter((entry) => (entry as { event?: string }).event !== undefined);
    expect(events).toContainEqual({
      event: 'sync:progress',
      payload: expect.objectContaining({ connectionId: id, phase: 'push' }),
    });
    expect(events).toContainEqual({
      event: 'instance:status',
      payload: { connectionId: id, state: 'running' },
    });

    const key = (await new KeytarKeychain().get(id)) as string;
    expect(key.length).toBeGreaterThan(15);
    const text = JSON.stringify(transcript);
    expect(text).not.toContain(key);
    // Each password appears exactly once: in the result that made it.
    for (const password of [first.adminPassword, recovered.adminPassword])
      expect(text.split(password).length - 1).toBe(1);
    workspace.mirror.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(filesContaining(path.join(dir, 'app'), key)).toEqual([]);

    expect(value(await call('connections:remove', { id }))).toMatchObject({ connection: { id } });
    expect(await new KeytarKeychain().get(id)).toBeNull();
    expect(value(await call('connections:list', {}))).toEqual({ connections: [] });
  }, 120_000);

  it('refuses what cannot be done now with a clear one-line reason', async () => {
    const refused = (message: string) => ({ ok: false, error: { code: 'refused', message } });
    expect(await api.invoke('sync:pull', { id: 'nope' })).toEqual(
      refused('sync:pull refused: no connection with id "nope"'),
    );
    const closed = `http://127.0.0.1:${await freePort()}`;
    const remote = await call('connections:add-remote', {
      name: 'Closed',
      url: closed,
      apiKey: 'not-a-key',
      keyStorage: 'memory',
    });
    const id = value<{ connection: { id: string } }>(remote).connection.id;
    expect(await api.invoke('draft:undo', { id })).toEqual(
      refused('draft:undo refused: connection "Closed" has no draft yet: pull it first'),
    );
    expect(await api.invoke('sync:pull', { id })).toEqual(
      refused(`sync:pull refused: cannot reach ${closed}: ECONNREFUSED`),
    );
    expect(await api.invoke('instance:start', { id })).toEqual(
      refused(
        'instance:start refused: connection "Closed" is a remote instance, not an embedded one',
      ),
    );
    const bare = createRegistry(APP_API_HANDLERS, {
      context: { host: 'browser', events: createEventHub() },
      validateResults: true,
    });
    expect(await bare.invoke('connections:list', {})).toEqual(
      refused('connections:list refused: no workspace is open in this host'),
    );
    await call('connections:remove', { id });
  });
});
