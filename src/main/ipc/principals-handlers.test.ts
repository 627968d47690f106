// The principal and access channels through the real registry (results checked against their
// schemas) over a real workspace connected, with a key kept in memory, to a real instance on
// 127.0.0.1: the directory answers, then the cache once the instance is gone; "who can" and
// "what can … do" on the connection's draft once it is pulled; refusals in one line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminTestInstance, type AdminTestInstance } from '../../../test/helpers/admin-server';
import { ROOT } from '../../../test/helpers/cli';
import { Workspace } from '../../workspace/workspace';
import { createEventHub } from './events';
import { APP_API_HANDLERS } from './handlers';
import { createRegistry, type AppApiRegistry } from './registry';

let dir: string;
let workspace: Workspace;
let api: AppApiRegistry;
let admin: AdminTestInstance;
let id: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'feedgate-ipc-principals-'));
  workspace = new Workspace({
    appDataDir: path.join(dir, 'app'),
    cliBundle: path.join(ROOT, 'dist/cli/feedgate.cjs'),
  });
  api = createRegistry(APP_API_HANDLERS, {
    context: { host: 'browser', events: createEventHub(), workspace },
    validateResults: true,
  });
  admin = await startAdminTestInstance();
  id = (
    await workspace.connections.addRemote({
      name: 'Server',
      url: admin.server.base,
      apiKey: admin.key,
      keyStorage: 'memory',
    })
  ).id;
});

afterAll(async () => {
  await admin.server.close();
  await workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('principal and access channels', { timeout: 30_000 }, () => {
  it('answer "who can" and "what can … do" on the draft, and refuse before a pull', async () => {
    const question = {
      source: { id },
      subject: { attribute: 'Feeds_AddPackage' },
      scope: { feed: 'Production' },
    };
    expect(await api.invoke('access:who-can', question)).toEqual({
      ok: false,
      error: {
        code: 'refused',
        message:
          'access:who-can refused: this connection has no draft yet: pull it first (Connections)',
      },
    });
    await workspace.sync.pull(id);
    const who = await api.invoke('access:who-can', question);
    expect(who).toMatchObject({ ok: true, value: { errors: [], feeds: ['Production'] } });
    const rows = (who as { value: { rows: { kind: string; name: string }[] } }).value.rows;
    expect(rows.map((r) => `${r.kind}:${r.name}`)).toEqual([
      'user:Admin',
      'user:bob',
      'user:carol',
      'group:Administrators',
    ]);
    // An edit of the draft is seen by the next question (the compiled policy is not reused).
    workspace.mirror.edit(
      id,
      {
        operations: [
          {
            op: 'add',
            kind: 'permission',
            item: { user: 'alice', task: 'Publish Packages', feed: 'Production' },
          },
        ],
      },
      'alice publishes',
    );
    const again = await api.invoke('access:who-can', question);
    const names = (again as { value: { rows: { name: string }[] } }).value.rows.map((r) => r.name);
    expect(names).toEqual(['Admin', 'alice', 'bob', 'carol', 'Administrators']);
    workspace.mirror.undo(id);

    const what = await api.invoke('access:what-can', {
      source: { id },
      principal: { kind: 'user', name: 'alice' },
      feed: 'Production',
    });
    expect(what).toMatchObject({
      ok: true,
      value: {
        errors: [],
        decisions: expect.arrayContaining([
          expect.objectContaining({
            attribute: 'Feeds_AddPackage',
            allowed: false,
            decidedBy: expect.objectContaining({ group: 'Developers', deny: true }),
          }),
        ]),
      },
    });
  });

  it('search the server, then its cache once it is gone; an unknown connection is refused', async () => {
    const online = await api.invoke('principals:search', { id, term: 'bo' });
    expect(online).toMatchObject({
      ok: true,
      value: { source: 'server', directory: 'Built-in', principals: [{ name: 'bob' }] },
    });
    await admin.server.close();
    const offline = await api.invoke('principals:search', { id, term: 'BO', kind: 'user' });
    expect(offline).toMatchObject({
      ok: true,
      value: { source: 'cache', principals: [{ kind: 'user', name: 'bob' }] },
    });
    expect((offline as { value: { reason: string } }).value.reason).toMatch(/cannot reach/);

    const unknown = await api.invoke('principals:search', { id: 'nope', term: 'bo' });
    expect(unknown).toEqual({
      ok: false,
      error: {
        code: 'refused',
        message: 'principals:search refused: no connection with id "nope"',
      },
    });
  });
});
