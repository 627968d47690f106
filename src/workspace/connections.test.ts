// Connections with keys in a real Secret Service (gnome-keyring in a private D-Bus session),
// against a real instance over HTTP; the session-only memory choice when no keychain can be
// reached; an embedded instance's lifecycle and lockout recovery through the built CLI.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAdminTestInstance, type AdminTestInstance } from '../../test/helpers/admin-server';
import { ROOT } from '../../test/helpers/cli';
import { filesContaining, useKeyring } from '../../test/helpers/keyring';
import { Connections, freePort } from './connections';
import { KeychainUnavailableError, KEYCHAIN_SERVICE, KeytarKeychain } from './keychain';
import { Mirror } from './mirror';
import { recoverLockout } from './recovery';
import { RemoteClient } from './remote-client';

useKeyring();

const CLI_BUNDLE = path.join(ROOT, 'dist/cli/feedgate.cjs');

let dir: string;
let mirror: Mirror;
let connections: Connections;
let admin: AdminTestInstance;

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'feedgate-connections-'));
  mirror = Mirror.open(path.join(dir, 'workspace.db'));
  connections = new Connections({ mirror, cliBundle: CLI_BUNDLE, appDataDir: dir });
});
afterEach(async () => {
  await connections.stopAll();
  mirror.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('remote connections with the real keychain', () => {
  it('stores the key under service feedgate, account = connection id; replaces and deletes it', async () => {
    const keychain = new KeytarKeychain(KEYCHAIN_SERVICE);
    const added = await connections.addRemote({
      name: 'Prod',
      url: `${admin.server.base}/`,
      apiKey: admin.key,
      keyStorage: 'keychain',
    });
    expect(added).toMatchObject({
      name: 'Prod',
      kind: 'remote',
      url: admin.server.base,
      keyStorage: 'keychain',
    });
    expect(JSON.stringify(added)).not.toContain(admin.key);
    expect(await keychain.get(added.id)).toBe(admin.key);
    expect(await connections.test(added.id)).toMatchObject({ ok: true });

    await connections.replaceKey(added.id, 'fgk_not-a-key', 'keychain');
    expect(await keychain.get(added.id)).toBe('fgk_not-a-key');
    expect(await connections.test(added.id)).toEqual({
      ok: false,
      kind: 'access-denied',
      message: 'access denied (check the API key)',
    });

    await connections.remove(added.id);
    expect(await keychain.get(added.id)).toBeNull();
    expect(connections.list()).toEqual([]);
    expect(filesContaining(dir, admin.key)).toEqual([]);
  });

  it('refuses bad input with the field named, storing nothing', async () => {
    const keychain = new KeytarKeychain();
    await expect(
      connections.addRemote({ name: 'x', url: 'ftp://host', apiKey: 'k', keyStorage: 'keychain' }),
    ).rejects.toThrow('invalid url "ftp://host": must be an http or https URL, not ftp');
    await expect(
      connections.addRemote({
        name: 'bad name',
        url: 'http://h',
        apiKey: 'k',
        keyStorage: 'keychain',
      }),
    ).rejects.toThrow(/invalid name "bad name"/);
    await expect(
      connections.addRemote({ name: 'x', url: 'http://h', apiKey: ' ', keyStorage: 'keychain' }),
    ).rejects.toThrow('the API key is empty');
    const first = await connections.addRemote({
      name: 'A',
      url: 'http://h',
      apiKey: 'key-a',
      keyStorage: 'keychain',
    });
    await expect(
      connections.addRemote({
        name: 'a',
        url: 'http://h',
        apiKey: 'key-b',
        keyStorage: 'keychain',
      }),
    ).rejects.toThrow('a connection named "A" already exists (names ignore case)');
    expect(connections.list().map((c) => c.id)).toEqual([first.id]);
    expect(await keychain.get(first.id)).toBe('key-a');
    await connections.remove(first.id);
  });

  it('says a closed port is unreachable', async () => {
    const port = await freePort();
    const added = await connections.addRemote({
      name: 'Closed',
      url: `http://127.0.0.1:${port}`,
      apiKey: 'k',
      keyStorage: 'memory',
    });
    expect(await connections.test(added.id)).toMatchObject({ ok: false, kind: 'network' });
  });
});

describe('no keychain reachable', () => {
  const broken = () =>
    new KeytarKeychain(KEYCHAIN_SERVICE, () => {
      throw Object.assign(new Error("Cannot find module 'keytar'"), { code: 'MODULE_NOT_FOUND' });
    });

  it('says so, stores nothing, and keeps the key in memory only when asked to', async () => {
    connections = new Connections({
      mirror,
      cliBundle: CLI_BUNDLE,
      appDataDir: dir,
      keychain: broken(),
    });
    const input = { name: 'Prod', url: admin.server.base, apiKey: admin.key };
    const refused = connections.addRemote({ ...input, keyStorage: 'keychain' });
    await expect(refused).rejects.toThrow(KeychainUnavailableError);
    await expect(refused).rejects.toThrow(
      /no OS keychain is reachable \(keytar's native module is not installed/,
    );
    expect(connections.list()).toEqual([]);

    const added = await connections.addRemote({ ...input, keyStorage: 'memory' });
    expect(added.keyStorage).toBe('memory');
    expect(await connections.test(added.id)).toMatchObject({ ok: true });
    mirror.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(filesContaining(dir, admin.key)).toEqual([]);

    // The next session (a new Connections over the same mirror) no longer has the key.
    const next = new Connections({
      mirror,
      cliBundle: CLI_BUNDLE,
      appDataDir: dir,
      keychain: broken(),
    });
    expect(await next.test(added.id)).toMatchObject({ ok: false, kind: 'no-key' });
  });

  it('refuses to create an embedded instance whose key would have nowhere to go', async () => {
    connections = new Connections({
      mirror,
      cliBundle: CLI_BUNDLE,
      appDataDir: dir,
      keychain: broken(),
    });
    await expect(connections.ensureDefault('keychain')).rejects.toThrow(KeychainUnavailableError);
    expect(connections.list()).toEqual([]);
    expect(existsSync(path.join(dir, 'instance'))).toBe(false);
  });
});

describe('embedded instances', () => {
  it('start, status, log, stop; a port in use fails with the reason; recovery gives a working password', async () => {
    const statuses: string[] = [];
    connections = new Connections({
      mirror,
      cliBundle: CLI_BUNDLE,
      appDataDir: dir,
      onInstanceStatus: (_id, status) => statuses.push(status.state),
    });
    const { connection, adminPassword } = await connections.addEmbedded({
      name: 'Lab',
      dataDir: path.join(dir, 'lab'),
      autostart: false,
      keyStorage: 'keychain',
    });
    expect(adminPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const instance = connections.instance(connection.id);
    expect(instance.status()).toMatchObject({ state: 'running', url: connection.url });
    expect(instance.log().some((line) => line.includes('feedgate server listening'))).toBe(true);
    await instance.stop();
    expect(instance.status().state).toBe('stopped');
    expect(statuses).toEqual(['starting', 'running', 'stopping', 'stopped']);

    // Someone else holds the port: the start fails and says why.
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(connection.port, '127.0.0.1', resolve));
    try {
      await expect(instance.start()).rejects.toThrow(/feedgate server ended \(exit code 2\)/);
      expect(instance.status()).toMatchObject({ state: 'failed' });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }

    const recovered = await recoverLockout(connections, connection.id);
    if (recovered.kind !== 'embedded') throw new Error('an embedded connection recovers here');
    expect(recovered.adminPassword).not.toBe(adminPassword);
    expect(instance.status().state).toBe('running');
    const asAdmin = new RemoteClient({
      url: recovered.url,
      auth: 'password',
      username: 'Admin',
      password: recovered.adminPassword,
    });
    expect((await asAdmin.getSnapshot()).revision).toBeGreaterThan(0);
    const log = instance.log().join('\n');
    expect(log).not.toContain(recovered.adminPassword);
    expect(log).not.toContain(adminPassword as string);
  }, 60_000);

  it('makes one embedded default when first launch is asked twice at once', async () => {
    const [a, b] = await Promise.all([
      connections.ensureDefault('memory'),
      connections.ensureDefault('memory'),
    ]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(connections.list()).toMatchObject([
      { name: 'Local', isDefault: true, keyStorage: 'memory' },
    ]);
    expect(await connections.ensureDefault('memory')).toEqual({ created: false });
  }, 60_000);

  it('leaves nothing behind when the new instance cannot start (its port is taken)', async () => {
    const squatter: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      await expect(
        connections.addEmbedded({
          name: 'Busy',
          dataDir: path.join(dir, 'busy'),
          port,
          autostart: false,
          keyStorage: 'memory',
        }),
      ).rejects.toThrow(/feedgate server ended \(exit code 2\)/);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    expect(existsSync(path.join(dir, 'busy'))).toBe(false);
    expect(connections.list()).toEqual([]);
  }, 60_000);

  it('a remote lockout gets the command to run on that machine', async () => {
    const added = await connections.addRemote({
      name: 'Far',
      url: 'https://feeds.example.org',
      apiKey: 'k',
      keyStorage: 'memory',
    });
    expect(await recoverLockout(connections, added.id)).toMatchObject({
      kind: 'remote',
      host: 'feeds.example.org',
      command: 'feedgate recover reset-directory --data-dir DATA_DIR',
    });
  });

  it('refuses an existing data dir without a key of its admins', async () => {
    const first = await connections.addEmbedded({
      name: 'One',
      dataDir: path.join(dir, 'one'),
      autostart: false,
      keyStorage: 'memory',
    });
    await connections.instance(first.connection.id).stop();
    await expect(
      connections.addEmbedded({
        name: 'Two',
        dataDir: path.join(dir, 'one'),
        autostart: false,
        keyStorage: 'memory',
      }),
    ).rejects.toThrow(/already holds an instance: give the API key of one of its admins/);
  }, 60_000);
});
