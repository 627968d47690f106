// launch:default-status through the real registry over a real workspace started as the app
// starts (an embedded instance run by the built CLI, its key in a real Secret Service): the
// generated Admin password is in the first answer after creation and in no other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../test/helpers/cli';
import { useKeyring } from '../../../test/helpers/keyring';
import { Workspace } from '../../workspace/workspace';
import { createEventHub } from './events';
import { APP_API_HANDLERS } from './handlers';
import { createRegistry } from './registry';

useKeyring();

let dir: string;
let workspace: Workspace;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'feedgate-ipc-launch-'));
  workspace = new Workspace({
    appDataDir: dir,
    cliBundle: path.join(ROOT, 'dist/cli/feedgate.cjs'),
  });
});
afterAll(async () => {
  await workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

const registry = (withWorkspace: boolean) =>
  createRegistry(APP_API_HANDLERS, {
    context: {
      host: 'browser',
      events: createEventHub(),
      ...(withWorkspace && { workspace }),
    },
    validateResults: true,
  });

describe('launch:default-status', () => {
  it('says idle, then created with the password once, then created without it', async () => {
    const api = registry(true);
    expect(await api.invoke('launch:default-status', {})).toEqual({
      ok: true,
      value: { state: 'idle' },
    });
    await workspace.start();
    const id = workspace.connections.list()[0]?.id;
    const created = {
      state: 'created',
      keyStorage: 'keychain',
      connectionId: id,
      pulledAt: expect.any(String),
    };
    expect(await api.invoke('launch:default-status', {})).toEqual({
      ok: true,
      value: { ...created, adminPassword: expect.stringMatching(/\S{12,}/) },
    });
    expect(await api.invoke('launch:default-status', {})).toEqual({ ok: true, value: created });
  }, 60_000);

  it('is refused by a host without a workspace', async () => {
    expect(await registry(false).invoke('launch:default-status', {})).toEqual({
      ok: false,
      error: {
        code: 'refused',
        message: 'launch:default-status refused: no workspace is open in this host',
      },
    });
  });
});
