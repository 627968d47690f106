// The embedded default: on a launch with no connection, the app creates an embedded instance
// in its data dir, starts it, connects to it and pulls, without a click. The back end does it
// at start (Workspace.start), so Electron and the browser host behave alike and the work does
// not wait for a window. Its key goes to the OS keychain; when none is reachable nothing is
// created until the user explicitly chooses to keep the key in memory for this session. The
// generated Admin password waits here, in memory only, until the renderer takes it: once.
import type { Connections, KeyStorage } from './connections';
import { KeychainUnavailableError } from './keychain';
import type { Sync } from './sync';

export type EmbeddedDefaultState =
  /** The launch check has not run yet. */
  | { state: 'idle' }
  /** The app already had a connection at launch: nothing to create. */
  | { state: 'not-needed' }
  | { state: 'creating'; keyStorage: KeyStorage }
  /** No keychain is reachable: waiting for the user's explicit choice. */
  | { state: 'needs-key-choice'; message: string }
  /** Created, started, connected and pulled (`pulledAt`), or `pullError` when the pull failed. */
  | {
      state: 'created';
      connectionId: string;
      keyStorage: KeyStorage;
      pulledAt?: string;
      pullError?: string;
    }
  | { state: 'failed'; message: string };

export class EmbeddedDefault {
  private current: EmbeddedDefaultState = { state: 'idle' };
  private adminPassword: string | undefined;

  constructor(
    private readonly connections: Connections,
    private readonly sync: Sync,
  ) {}

  status(): EmbeddedDefaultState {
    return this.current;
  }

  /** True while a generated Admin password waits for the renderer. */
  get adminPasswordWaiting(): boolean {
    return this.adminPassword !== undefined;
  }

  /** The generated Admin password, handed out once: afterwards it is gone from memory. */
  takeAdminPassword(): string | undefined {
    const password = this.adminPassword;
    this.adminPassword = undefined;
    return password;
  }

  /**
   * The launch check: with no connection, creates the default with its key in the keychain.
   * Never throws: the outcome is the status (a missing keychain asks for a choice).
   */
  async atLaunch(): Promise<EmbeddedDefaultState> {
    if (this.current.state !== 'idle') return this.current;
    if (this.connections.list().length > 0) return (this.current = { state: 'not-needed' });
    await this.create('keychain').catch(() => undefined);
    return this.current;
  }

  /**
   * Creates the default now with the key where the user chose (the explicit memory choice, or
   * a retry after a failure); `created` is false when a connection already existed. A failure
   * is thrown and kept as the status.
   */
  async create(
    keyStorage: KeyStorage,
  ): Promise<{ created: false } | { created: true; connectionId: string }> {
    const before = this.current;
    this.current = { state: 'creating', keyStorage };
    let made: Awaited<ReturnType<Connections['ensureDefault']>>;
    try {
      made = await this.connections.ensureDefault(keyStorage);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.current =
        error instanceof KeychainUnavailableError
          ? { state: 'needs-key-choice', message }
          : { state: 'failed', message };
      throw error;
    }
    if (!made.created) {
      this.current = before.state === 'created' ? before : { state: 'not-needed' };
      return { created: false };
    }
    this.adminPassword = made.adminPassword;
    const connectionId = made.connection.id;
    const created = { state: 'created' as const, connectionId, keyStorage };
    try {
      const { pulledAt } = await this.sync.pull(connectionId);
      this.current = { ...created, pulledAt };
    } catch (error) {
      // Connected all the same: the Pull button tries again.
      this.current = {
        ...created,
        pullError: error instanceof Error ? error.message : String(error),
      };
    }
    return { created: true, connectionId };
  }
}
