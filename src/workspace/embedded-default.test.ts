// The embedded default made at launch, without a click: a real embedded instance (the built
// CLI) in a temp app data dir, its key in a real Secret Service (gnome-keyring in a private
// D-Bus session) or, when no keychain is reachable, only after the explicit memory choice.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers/cli';
import { filesContaining, useKeyring } from '../../test/helpers/keyring';
import { KEYCHAIN_SERVICE, KeytarKeychain } from './keychain';
import { RemoteClient } from './remote-client';
import { Workspace } from './workspace';

useKeyring();

const CLI_BUNDLE = path.join(ROOT, 'dist/cli/feedgate.cjs');

let dataDir: string;
const opened: Workspace[] = [];

function openWorkspace(keychain?: KeytarKeychain): Workspace {
  const workspace = new Workspace({
    appDataDir: dataDir,
    cliBundle: CLI_BUNDLE,
    ...(keychain !== undefined && { keychain }),
  });
  opened.push(workspace);
  return workspace;
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'feedgate-embedded-default-'));
});
afterEach(async () => {
  for (const workspace of opened.splice(0)) await workspace.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded default with a keychain', () => {
  it('is created, started, connected and pulled at launch; the password is handed out once', async () => {
    const workspace = openWorkspace();
    expect(workspace.embeddedDefault.status()).toEqual({ state: 'idle' });
    await workspace.start();

    const status = workspace.embeddedDefault.status();
    expect(status).toMatchObject({ state: 'created', keyStorage: 'keychain' });
    expect(status).not.toHaveProperty('pullError');
    const [connection] = workspace.connections.list();
    expect(connection).toMatchObject({
      name: 'Local',
      kind: 'embedded',
      isDefault: true,
      autostart: true,
      dataDir: path.join(dataDir, 'instance'),
      keyStorage: 'keychain',
    });
    const id = (connection as { id: string }).id;
    expect(status).toMatchObject({ connectionId: id });
    expect(workspace.connections.instance(id).status().state).toBe('running');
    // Pulled: the draft exists, with no edits, and the status says when.
    expect(workspace.mirror.draft(id)).toMatchObject({ cursor: 0 });
    expect(Date.parse((status as { pulledAt: string }).pulledAt)).toBeGreaterThan(0);
    const key = await new KeytarKeychain(KEYCHAIN_SERVICE).get(id);
    expect(key).toMatch(/\S{20,}/);

    expect(workspace.embeddedDefault.adminPasswordWaiting).toBe(true);
    const password = workspace.embeddedDefault.takeAdminPassword() as string;
    expect(password).toMatch(/\S{12,}/);
    expect(workspace.embeddedDefault.adminPasswordWaiting).toBe(false);
    expect(workspace.embeddedDefault.takeAdminPassword()).toBeUndefined();
    // The password is the instance's Admin password.
    const url = workspace.connections.instance(id).status().url as string;
    const asAdmin = new RemoteClient({ url, auth: 'api-key', apiKey: `Admin:${password}` });
    expect((await asAdmin.getSnapshot()).revision).toBeGreaterThan(0);

    // Neither secret is in the app's files (the mirror, the instance's data dir).
    workspace.mirror.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(filesContaining(dataDir, key as string)).toEqual([]);
    expect(filesContaining(dataDir, password)).toEqual([]);
  }, 60_000);

  it('a second launch creates nothing: the instance starts again with the key from the keychain', async () => {
    const first = openWorkspace();
    await first.start();
    const id = first.connections.list()[0]?.id as string;
    await first.close();

    const second = openWorkspace();
    await second.start();
    expect(second.embeddedDefault.status()).toEqual({ state: 'not-needed' });
    expect(second.embeddedDefault.adminPasswordWaiting).toBe(false);
    expect(second.connections.list().map((c) => c.id)).toEqual([id]);
    expect(second.connections.instance(id).status().state).toBe('running');
    expect(await second.connections.test(id)).toMatchObject({ ok: true });
  }, 60_000);
});

describe('the embedded default without a keychain', () => {
  const unreachable = () =>
    new KeytarKeychain(KEYCHAIN_SERVICE, () => {
      throw Object.assign(new Error("Cannot find module 'keytar'"), { code: 'MODULE_NOT_FOUND' });
    });

  it('asks for the memory choice, creating nothing, and creates the default once chosen', async () => {
    const workspace = openWorkspace(unreachable());
    await workspace.start();
    const waiting = workspace.embeddedDefault.status();
    expect(waiting).toMatchObject({ state: 'needs-key-choice' });
    expect((waiting as { message: string }).message).toMatch(/^no OS keychain is reachable/);
    expect(workspace.connections.list()).toEqual([]);
    expect(existsSync(path.join(dataDir, 'instance'))).toBe(false);
    expect(workspace.embeddedDefault.adminPasswordWaiting).toBe(false);
    // Asked again with the keychain: the same refusal, thrown this time.
    await expect(workspace.embeddedDefault.create('keychain')).rejects.toThrow(
      /^no OS keychain is reachable/,
    );
    expect(workspace.embeddedDefault.status()).toEqual(waiting);

    const chosen = await workspace.embeddedDefault.create('memory');
    expect(workspace.embeddedDefault.status()).toEqual({
      state: 'created',
      keyStorage: 'memory',
      connectionId: chosen.created && chosen.connectionId,
      pulledAt: expect.any(String),
    });
    const [connection] = workspace.connections.list();
    expect(connection).toMatchObject({ name: 'Local', keyStorage: 'memory' });
    expect(await workspace.connections.test(connection?.id as string)).toMatchObject({ ok: true });
    expect(workspace.embeddedDefault.takeAdminPassword()).toMatch(/\S{12,}/);

    // Asked again (a double click): still the one default.
    expect(await workspace.embeddedDefault.create('memory')).toEqual({ created: false });
    expect(workspace.embeddedDefault.status()).toMatchObject({ state: 'created' });
    expect(workspace.connections.list()).toHaveLength(1);
  }, 60_000);
});
