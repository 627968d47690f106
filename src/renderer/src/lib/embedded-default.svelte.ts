// The renderer's side of the embedded default the back end makes at launch
// (docs/workspace.md): it follows launch:default-status until the back end is done, then
// reloads the connections; it takes the generated Admin password (handed out once) and keeps
// it here until the admin says it is saved; and it makes the explicit choice to keep the key
// in memory when no keychain is reachable.
import type { ChannelResult } from '../../../shared/app-api';
import type { AppApiClient } from './app-api-client';

export type DefaultStatus = Omit<ChannelResult<'launch:default-status'>, 'adminPassword'>;

type Client = Pick<AppApiClient, 'invoke'>;

/** The part of the WorkspaceStore the default reports to. */
export interface ConnectionsView {
  load(): Promise<void>;
  /** Per connection, when it was last pulled this session. */
  pulledAt: Record<string, string>;
}

/** How often the status is asked while the back end is still at work. */
const POLL_MS = 500;

export class EmbeddedDefaultStore {
  /** null until the first answer (or when the host has no workspace). */
  status = $state<DefaultStatus | null>(null);
  /** The generated Admin password, shown once, then dropped by `forgetPassword`. */
  adminPassword = $state<string | null>(null);
  busy = $state(false);
  /** The last failure of an action here, with what to do next. */
  error = $state<string | null>(null);

  readonly #client: Client;
  readonly #connections: ConnectionsView;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  /** Once the default exists, `connections` reloads and learns when it was pulled. */
  constructor(client: Client, connections: ConnectionsView) {
    this.#client = client;
    this.#connections = connections;
  }

  /** True while the back end is making the instance (or has not looked yet). */
  get working(): boolean {
    return this.busy || this.status?.state === 'idle' || this.status?.state === 'creating';
  }

  /** Follows the back end's launch check until it is done. */
  async watch(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#disposed) return;
    let answer: ChannelResult<'launch:default-status'>;
    try {
      answer = await this.#client.invoke('launch:default-status', {});
    } catch {
      // No workspace in this host (the sample is shown), or it went away: nothing to follow.
      this.status = null;
      return;
    }
    const { adminPassword, ...status } = answer;
    const wasWorking = this.status === null || this.working;
    this.status = status;
    if (adminPassword !== undefined) this.adminPassword = adminPassword;
    if (status.state === 'idle' || status.state === 'creating') {
      this.#timer = setTimeout(() => void this.watch(), POLL_MS);
      return;
    }
    if (status.state !== 'created') return;
    // The back end pulled it: the row says when (unless the admin pulled since).
    if (status.connectionId !== undefined && status.pulledAt !== undefined)
      this.#connections.pulledAt[status.connectionId] ??= status.pulledAt;
    if (wasWorking) await this.#connections.load();
  }

  /** The explicit choice: the key in this process's memory until the app closes. */
  keepKeyInMemory(): Promise<void> {
    return this.#create('memory');
  }

  /** Tries again with the key in the keychain (after a failure, or a keychain now unlocked). */
  retry(): Promise<void> {
    return this.#create('keychain');
  }

  forgetPassword(): void {
    this.adminPassword = null;
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
  }

  async #create(keyStorage: 'keychain' | 'memory'): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const result = await this.#client.invoke('connections:first-launch', { keyStorage });
      if (result.adminPassword !== undefined) this.adminPassword = result.adminPassword;
      await this.#connections.load();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.error = `${message}. Try again, or add a server below.`;
    } finally {
      this.busy = false;
    }
    // The status follows what the back end now knows (created, or why not).
    await this.watch();
  }
}
