// The Audit screen's state over the AppApi: one connection's audit log, newest first, a page
// at a time ("Load more" asks for the entries before the oldest one shown), and a text
// filter over what is loaded.
import type { ChannelResult } from '../../../shared/app-api';
import { ConnectionStore, type Client } from './connection-store.svelte';

export type AuditEntry = ChannelResult<'audit:list'>['entries'][number];

export const AUDIT_PAGE = 50;

/** What the filter searches in an entry. */
function haystack(entry: AuditEntry): string {
  return [entry.time, entry.actor ?? '', entry.keyDescription ?? '', entry.action, entry.summary]
    .join('\n')
    .toLowerCase();
}

export class AuditStore extends ConnectionStore<'load' | 'more'> {
  entries = $state.raw<AuditEntry[]>([]);
  /** The `before` of the next (older) page; null when the oldest entry is loaded. */
  next = $state<number | null>(null);
  filter = $state('');

  readonly shown: AuditEntry[] = $derived.by(() => {
    const words = this.filter.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.entries;
    return this.entries.filter((entry) => {
      const text = haystack(entry);
      return words.every((word) => text.includes(word));
    });
  });

  constructor(client: Client) {
    super(client, {
      load: 'Check that the connection works (Connections), then refresh',
      more: 'The entries shown are kept: try Load more again',
    });
  }

  /** The newest page of `connectionId`'s log (another connection starts afresh). */
  async load(connectionId: string | null = this.connectionId): Promise<void> {
    if (this.bind(connectionId)) {
      this.entries = [];
      this.next = null;
    }
    const page = await this.run('load', (id) =>
      this.client.invoke('audit:list', { id, limit: AUDIT_PAGE }),
    );
    if (!page) return;
    this.entries = page.entries;
    this.next = page.next;
    this.loaded = true;
  }

  /** The next older page, after the entries already shown. */
  async loadMore(): Promise<void> {
    const before = this.next;
    if (before === null) return;
    const page = await this.run('more', (id) =>
      this.client.invoke('audit:list', { id, before, limit: AUDIT_PAGE }),
    );
    if (!page) return;
    this.entries = [...this.entries, ...page.entries];
    this.next = page.next;
  }
}
