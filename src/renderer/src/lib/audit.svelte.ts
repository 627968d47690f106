// The Audit screen's state over the AppApi: one connection's audit log, newest first, a page
// at a time ("Load more" asks for the entries before the oldest one shown), and a text
// filter over what is loaded.
import type { ChannelResult } from '../../../shared/app-api';
import { ActionState } from './action-state.svelte';
import type { AppApiClient } from './app-api-client';

export type AuditEntry = ChannelResult<'audit:list'>['entries'][number];

type Client = Pick<AppApiClient, 'invoke'>;

export const AUDIT_PAGE = 50;

/** What the filter searches in an entry. */
function haystack(entry: AuditEntry): string {
  return [entry.time, entry.actor ?? '', entry.keyDescription ?? '', entry.action, entry.summary]
    .join('\n')
    .toLowerCase();
}

export class AuditStore {
  connectionId = $state<string | null>(null);
  entries = $state.raw<AuditEntry[]>([]);
  /** The `before` of the next (older) page; null when the oldest entry is loaded. */
  next = $state<number | null>(null);
  loaded = $state(false);
  filter = $state('');
  readonly actions = new ActionState<'load' | 'more'>({
    load: 'Check that the connection works (Connections), then refresh',
    more: 'The entries shown are kept: try Load more again',
  });

  readonly shown: AuditEntry[] = $derived.by(() => {
    const words = this.filter.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.entries;
    return this.entries.filter((entry) => {
      const text = haystack(entry);
      return words.every((word) => text.includes(word));
    });
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

  /** The newest page of `connectionId`'s log (another connection starts afresh). */
  async load(connectionId: string | null = this.connectionId): Promise<void> {
    if (connectionId !== this.connectionId) {
      this.connectionId = connectionId;
      this.entries = [];
      this.next = null;
      this.loaded = false;
      this.actions.errors = {};
    }
    if (connectionId === null) return;
    const page = await this.actions.run('load', () =>
      this.#client.invoke('audit:list', { id: connectionId, limit: AUDIT_PAGE }),
    );
    if (!page) return;
    this.entries = page.entries;
    this.next = page.next;
    this.loaded = true;
  }

  /** The next older page, after the entries already shown. */
  async loadMore(): Promise<void> {
    const id = this.connectionId;
    const before = this.next;
    if (id === null || before === null) return;
    const page = await this.actions.run('more', () =>
      this.#client.invoke('audit:list', { id, before, limit: AUDIT_PAGE }),
    );
    if (!page) return;
    this.entries = [...this.entries, ...page.entries];
    this.next = page.next;
  }
}
