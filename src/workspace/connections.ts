// Connections: the instances the desktop talks to. A remote one is a URL; an embedded one is a
// data dir on this machine that the app serves itself (embedded-instance.ts). Profiles live in
// the mirror; API keys live in the OS keychain (service `feedgate`, account = connection id),
// or, when no keychain is reachable and the user chose so explicitly, in this process's
// memory for the session only. A key is never written to a file, a log or a result.
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { EmbeddedInstance, generatePassword, type InstanceStatus } from './embedded-instance';
import { KeychainUnavailableError, KeytarKeychain, type Keychain } from './keychain';
import { embeddedUrl, MirrorError, type ConnectionRecord, type Mirror } from './mirror';
import { RemoteClient, RemoteError } from './remote-client';
import { checkSourceInput } from './sources';

/** Where a connection's key lives: the OS keychain, or memory for this session only. */
export type KeyStorage = 'keychain' | 'memory';

export type ConnectionInfo = ConnectionRecord & { keyStorage: KeyStorage };

export interface ConnectionsOptions {
  mirror: Mirror;
  /** The built CLI bundle (dist/cli/feedgate.cjs) that runs embedded instances. */
  cliBundle: string;
  /** The app's data dir: the embedded default's data dir goes below it. */
  appDataDir: string;
  keychain?: Keychain;
  onInstanceStatus?: (connectionId: string, status: InstanceStatus) => void;
}

export type TestResult =
  | { ok: true; revision: number }
  | { ok: false; kind: RemoteError['kind'] | 'no-key'; message: string };

/** The name of the connection made on a first launch. */
export const DEFAULT_CONNECTION_NAME = 'Local';

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class Connections {
  private readonly keychain: Keychain;
  private readonly memoryKeys = new Map<string, string>();
  private readonly instances = new Map<string, EmbeddedInstance>();
  private firstLaunch: Promise<unknown> | undefined;

  constructor(private readonly options: ConnectionsOptions) {
    this.keychain = options.keychain ?? new KeytarKeychain();
  }

  get mirror(): Mirror {
    return this.options.mirror;
  }

  list(): ConnectionInfo[] {
    return this.mirror.listConnections().map((record) => this.info(record));
  }

  get(id: string): ConnectionInfo {
    return this.info(this.mirror.connection(id));
  }

  /** Adds a remote instance. The key is stored first; nothing is kept when that fails. */
  async addRemote(input: {
    name: string;
    url: string;
    apiKey: string;
    keyStorage: KeyStorage;
  }): Promise<ConnectionInfo> {
    checkSourceInput(input);
    if (input.apiKey.trim() === '') throw new MirrorError('the API key is empty');
    const id = randomUUID();
    await this.storeKey(id, input.apiKey, input.keyStorage);
    try {
      this.mirror.addConnection({
        id,
        name: input.name,
        kind: 'remote',
        url: input.url.replace(/\/+$/, ''),
        autostart: false,
        isDefault: this.mirror.listConnections().length === 0,
      });
    } catch (error) {
      await this.forgetKey(id);
      throw error;
    }
    return this.get(id);
  }

  /**
   * Adds an embedded instance in `dataDir`. A new data dir is initialised with a generated
   * Admin password and a full-control system key is created for the app through the API;
   * the password is in the result this once and nowhere else. An existing instance needs
   * the key of one of its admins (`apiKey`).
   */
  async addEmbedded(input: {
    name: string;
    dataDir: string;
    port?: number;
    autostart: boolean;
    keyStorage: KeyStorage;
    apiKey?: string;
    isDefault?: boolean;
  }): Promise<{ connection: ConnectionInfo; adminPassword?: string }> {
    const port = input.port ?? (await freePort());
    checkSourceInput({ name: input.name, url: embeddedUrl(port) });
    if (
      this.mirror.listConnections().some((c) => c.name.toLowerCase() === input.name.toLowerCase())
    )
      throw new MirrorError(
        `a connection named "${input.name}" already exists (names ignore case)`,
      );
    // Refuse early: a key made for an instance must have somewhere to go.
    if (input.keyStorage === 'keychain') {
      const reason = await this.keychain.unavailableReason();
      if (reason !== null) throw new KeychainUnavailableError(reason);
    }
    const id = randomUUID();
    const dataDir = path.resolve(input.dataDir);
    const instance = this.instanceFor(id, dataDir, port);
    const existing = instance.isInitialized();
    if (existing && (input.apiKey === undefined || input.apiKey === '')) {
      this.instances.delete(id);
      throw new MirrorError(
        `data dir "${dataDir}" already holds an instance: give the API key of one of its admins`,
      );
    }
    const madeDir = !existsSync(dataDir);
    let adminPassword: string | undefined;
    try {
      let apiKey = input.apiKey as string;
      if (!existing) {
        adminPassword = generatePassword();
        await instance.init(adminPassword);
        apiKey = await createAppKey(await instance.start(), adminPassword);
      }
      await this.storeKey(id, apiKey, input.keyStorage);
      this.mirror.addConnection({
        id,
        name: input.name,
        kind: 'embedded',
        dataDir,
        port,
        autostart: input.autostart,
        isDefault: input.isDefault ?? this.mirror.listConnections().length === 0,
      });
    } catch (error) {
      // Leave nothing half-made: an instance whose password nobody saw is of no use.
      await instance.stop();
      this.instances.delete(id);
      if (!existing && madeDir) rmSync(dataDir, { recursive: true, force: true });
      await this.forgetKey(id).catch(() => false);
      throw error;
    }
    return { connection: this.get(id), ...(adminPassword !== undefined && { adminPassword }) };
  }

  /**
   * First launch: with no connection at all, creates the embedded default in the app's data
   * dir, starts it and connects to it. Otherwise does nothing.
   */
  async ensureDefault(keyStorage: KeyStorage): ReturnType<Connections['makeDefault']> {
    // Calls at once (a double click) run one after the other: one instance, one password.
    while (this.firstLaunch !== undefined) await this.firstLaunch.catch(() => undefined);
    const running = this.makeDefault(keyStorage);
    this.firstLaunch = running;
    try {
      return await running;
    } finally {
      this.firstLaunch = undefined;
    }
  }

  private async makeDefault(
    keyStorage: KeyStorage,
  ): Promise<
    { created: false } | { created: true; connection: ConnectionInfo; adminPassword: string }
  > {
    if (this.mirror.listConnections().length > 0) return { created: false };
    const result = await this.addEmbedded({
      name: DEFAULT_CONNECTION_NAME,
      dataDir: path.join(this.options.appDataDir, 'instance'),
      autostart: true,
      keyStorage,
      isDefault: true,
    });
    return {
      created: true,
      connection: result.connection,
      adminPassword: result.adminPassword as string,
    };
  }

  /** Replaces a connection's key (in the keychain, or in memory for the session). */
  async replaceKey(id: string, apiKey: string, storage: KeyStorage): Promise<ConnectionInfo> {
    this.mirror.connection(id);
    if (apiKey.trim() === '') throw new MirrorError('the API key is empty');
    await this.storeKey(id, apiKey, storage);
    // The key lives in one place only.
    if (storage === 'keychain') this.memoryKeys.delete(id);
    else await this.keychain.delete(id).catch(() => false);
    return this.get(id);
  }

  /** Removes a connection (its instance stopped, its key deleted); an embedded data dir stays. */
  async remove(id: string): Promise<ConnectionInfo> {
    const info = this.get(id);
    await this.instances.get(id)?.stop();
    this.instances.delete(id);
    await this.forgetKey(id);
    this.mirror.removeConnection(id);
    return info;
  }

  /** A client with the connection's key. */
  async client(id: string): Promise<RemoteClient> {
    const record = this.mirror.connection(id);
    const apiKey = this.memoryKeys.get(id) ?? (await this.keychain.get(id));
    if (apiKey === null)
      throw new MirrorError(
        `no API key for connection "${record.name}" in the OS keychain (service feedgate, account ${id}); add the connection again`,
      );
    const running = this.instances.get(id)?.status();
    const url = running?.state === 'running' ? (running.url as string) : record.url;
    return new RemoteClient({ url, auth: 'api-key', apiKey });
  }

  /** Can the connection be reached with its key? */
  async test(id: string): Promise<TestResult> {
    let client: RemoteClient;
    try {
      client = await this.client(id);
    } catch (error) {
      if (error instanceof MirrorError || error instanceof KeychainUnavailableError)
        return { ok: false, kind: 'no-key', message: error.message };
      throw error;
    }
    try {
      return { ok: true, revision: (await client.getSnapshot()).revision };
    } catch (error) {
      if (error instanceof RemoteError)
        return { ok: false, kind: error.kind, message: error.message };
      throw error;
    }
  }

  /** The embedded instance of a connection (refused for a remote one). */
  instance(id: string): EmbeddedInstance {
    const record = this.mirror.connection(id);
    if (record.kind !== 'embedded')
      throw new MirrorError(
        `connection "${record.name}" is a remote instance, not an embedded one`,
      );
    return this.instanceFor(id, record.dataDir as string, record.port as number);
  }

  /** Starts every embedded instance marked autostart; a failure shows in its status. */
  async startAutostart(): Promise<void> {
    for (const record of this.mirror.listConnections())
      if (record.kind === 'embedded' && record.autostart)
        await this.instance(record.id)
          .start()
          .catch(() => undefined);
  }

  /** Stops every running embedded instance (the app quits). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.instances.values()].map((instance) => instance.stop()));
  }

  private instanceFor(id: string, dataDir: string, port: number): EmbeddedInstance {
    let instance = this.instances.get(id);
    if (instance === undefined) {
      instance = new EmbeddedInstance({
        dataDir,
        port,
        cliBundle: this.options.cliBundle,
        onStatus: (status) => this.options.onInstanceStatus?.(id, status),
      });
      this.instances.set(id, instance);
    }
    return instance;
  }

  private info(record: ConnectionRecord): ConnectionInfo {
    return { ...record, keyStorage: this.memoryKeys.has(record.id) ? 'memory' : 'keychain' };
  }

  private async storeKey(id: string, apiKey: string, storage: KeyStorage): Promise<void> {
    if (storage === 'memory') this.memoryKeys.set(id, apiKey);
    else await this.keychain.set(id, apiKey);
  }

  private async forgetKey(id: string): Promise<void> {
    if (this.memoryKeys.delete(id)) return;
    await this.keychain.delete(id);
  }
}

/** A full-control system key for the app, created with the Admin pseudo-key. */
async function createAppKey(url: string, adminPassword: string): Promise<string> {
  const admin = new RemoteClient({ url, auth: 'api-key', apiKey: `Admin:${adminPassword}` });
  const created = await admin.createApiKey({
    type: 'system',
    fullControl: true,
    displayName: 'feedgate desktop',
  });
  return created.key;
}
