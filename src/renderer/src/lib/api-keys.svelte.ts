// The API keys screen's state over the AppApi: one connection's keys, and the key just
// created. That key's text is held here only until the person closes the panel that shows
// it (`dismissCreated`); nothing else in the renderer keeps it.
import type { ChannelArgs, ChannelResult } from '../../../shared/app-api';
import { ConnectionStore, type Client } from './connection-store.svelte';

export type ApiKey = ChannelResult<'apikeys:list'>['keys'][number];
export type CreatedKey = ChannelResult<'apikeys:create'>;
export type NewKeyInput = Omit<ChannelArgs<'apikeys:create'>, 'id'>;

export type KeyAction = 'load' | 'create' | 'revoke';

export class ApiKeysStore extends ConnectionStore<KeyAction> {
  keys = $state<ApiKey[]>([]);
  /** The key just created, with its text: shown once, dropped by `dismissCreated`. */
  created = $state.raw<CreatedKey | null>(null);

  constructor(client: Client) {
    super(client, {
      load: 'Check that the connection works (Connections), then refresh',
      create: 'No key was made: correct what is named, then create it again',
      revoke: 'The key still works: check the connection (Connections), then revoke it again',
    });
  }

  /** Loads `connectionId`'s keys; another connection starts afresh (and drops a shown key). */
  async load(connectionId: string | null = this.connectionId): Promise<void> {
    if (this.bind(connectionId)) {
      this.keys = [];
      this.created = null;
    }
    const result = await this.run('load', (id) => this.client.invoke('apikeys:list', { id }));
    if (result) {
      // Newest first: the key just made is on top.
      this.keys = [...result.keys].sort((a, b) => b.id - a.id);
      this.loaded = true;
    }
  }

  /** Creates a key and holds it (with its text) for the one-time panel; true when made. */
  async create(input: NewKeyInput): Promise<boolean> {
    const result = await this.run('create', (id) =>
      this.client.invoke('apikeys:create', { id, ...input }),
    );
    if (!result) return false;
    // The list first, so that the panel and the new key's row appear together.
    await this.load();
    this.created = result;
    return true;
  }

  /** Forgets the new key's text: the panel that showed it has closed. */
  dismissCreated(): void {
    this.created = null;
  }

  async revoke(keyId: number): Promise<boolean> {
    const result = await this.run('revoke', (id) =>
      this.client.invoke('apikeys:revoke', { id, keyId }),
    );
    if (!result) return false;
    await this.load();
    return true;
  }
}
