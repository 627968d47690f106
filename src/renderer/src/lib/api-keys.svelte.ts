// The API keys screen's state over the AppApi: one connection's keys, and the key just
// created. That key's text is held here only until the person closes the panel that shows
// it (`dismissCreated`); nothing else in the renderer keeps it. Each action records its busy
// flag and its error, shown where its button is, with what to do next.
import type { ChannelArgs, ChannelResult } from '../../../shared/app-api';
import { ActionState } from './action-state.svelte';
import type { AppApiClient } from './app-api-client';

export type ApiKey = ChannelResult<'apikeys:list'>['keys'][number];
export type CreatedKey = ChannelResult<'apikeys:create'>;
export type NewKeyInput = Omit<ChannelArgs<'apikeys:create'>, 'id'>;

type Client = Pick<AppApiClient, 'invoke'>;

export type KeyAction = 'load' | 'create' | 'revoke';

export class ApiKeysStore {
  connectionId = $state<string | null>(null);
  keys = $state<ApiKey[]>([]);
  loaded = $state(false);
  /** The key just created, with its text: shown once, dropped by `dismissCreated`. */
  created = $state.raw<CreatedKey | null>(null);
  readonly actions = new ActionState<KeyAction>({
    load: 'Check that the connection works (Connections), then refresh',
    create: 'No key was made: correct what is named, then create it again',
    revoke: 'The key still works: check the connection (Connections), then revoke it again',
  });

  #client: Client;

  constructor(client: Client) {
    this.#client = client;
  }

  get busy() {
    return this.actions.busy;
  }

  get errors() {
    return this.actions.errors;
  }

  /** Loads `connectionId`'s keys; another connection starts afresh (and drops a shown key). */
  async load(connectionId: string | null = this.connectionId): Promise<void> {
    if (connectionId !== this.connectionId) {
      this.connectionId = connectionId;
      this.keys = [];
      this.loaded = false;
      this.created = null;
      this.actions.errors = {};
    }
    if (connectionId === null) return;
    const result = await this.actions.run('load', () =>
      this.#client.invoke('apikeys:list', { id: connectionId }),
    );
    if (result) {
      // Newest first: the key just made is on top.
      this.keys = [...result.keys].sort((a, b) => b.id - a.id);
      this.loaded = true;
    }
  }

  /** Creates a key and holds it (with its text) for the one-time panel; true when made. */
  async create(input: NewKeyInput): Promise<boolean> {
    const id = this.connectionId;
    if (id === null) return false;
    const result = await this.actions.run('create', () =>
      this.#client.invoke('apikeys:create', { id, ...input }),
    );
    if (!result) return false;
    this.created = result;
    await this.load();
    return true;
  }

  /** Forgets the new key's text: the panel that showed it has closed. */
  dismissCreated(): void {
    this.created = null;
  }

  async revoke(keyId: number): Promise<boolean> {
    const id = this.connectionId;
    if (id === null) return false;
    const result = await this.actions.run('revoke', () =>
      this.#client.invoke('apikeys:revoke', { id, keyId }),
    );
    if (!result) return false;
    await this.load();
    return true;
  }
}
