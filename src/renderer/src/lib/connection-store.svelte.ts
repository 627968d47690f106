// The base of a screen's store that works on one connection at a time (API keys, Audit,
// Directory): which connection, whether its data has loaded, and per action a busy flag and
// an error with what to do next, shown where the action's button is.
import type { AppApiClient } from './app-api-client';

export type Client = Pick<AppApiClient, 'invoke'>;

export abstract class ConnectionStore<A extends string> {
  connectionId = $state<string | null>(null);
  loaded = $state(false);
  busy = $state<Partial<Record<A, boolean>>>({});
  errors = $state<Partial<Record<A, string>>>({});

  protected readonly client: Client;
  readonly #nextSteps: Partial<Record<A, string>>;

  constructor(client: Client, nextSteps: Partial<Record<A, string>>) {
    this.client = client;
    this.#nextSteps = nextSteps;
  }

  /**
   * Binds the store to `connectionId`. True when that is a change: the caller then drops
   * what it held of the other connection.
   */
  protected bind(connectionId: string | null): boolean {
    if (connectionId === this.connectionId) return false;
    this.connectionId = connectionId;
    this.loaded = false;
    this.errors = {};
    return true;
  }

  /** Runs one action on the bound connection; a failure becomes its error (and null). */
  protected async run<T>(action: A, work: (id: string) => Promise<T>): Promise<T | null> {
    const id = this.connectionId;
    if (id === null) return null;
    this.busy[action] = true;
    delete this.errors[action];
    try {
      return await work(id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const next = this.#nextSteps[action];
      this.errors[action] = next ? `${message}. ${next}` : message;
      return null;
    } finally {
      this.busy[action] = false;
    }
  }
}
