// A connection's audit log for a person to read: newest first, a page at a time, each entry
// with the acting key's description (looked up in the key list: the log holds key ids, never
// key texts) and a one-line summary of what changed.
import { asAdministrator, keyDescription } from './api-keys';
import type { Connections } from './connections';
import type { AuditEntry } from './remote-client';

export interface AuditLine {
  id: number;
  time: string;
  actor: string | null;
  keyId: number | null;
  /** The acting key's description, when the entry was made with a key still listed. */
  keyDescription?: string;
  action: string;
  summary: string;
}

export interface AuditLines {
  entries: AuditLine[];
  /** The `before` of the next (older) page; null after the oldest entry. */
  next: number | null;
}

export const AUDIT_PAGE_SIZE = 100;

const text = (value: unknown): string =>
  value === undefined || value === null
    ? '?'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

const plural = (n: unknown, word: string) => `${text(n)} ${word}${n === 1 ? '' : 's'}`;

/** The detail's plain fields as `name value`, for actions without a summary of their own. */
function fields(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

/** One line saying what an entry changed. */
export function summarize(
  entry: Pick<AuditEntry, 'action' | 'detail'>,
  keys: ReadonlyMap<number, string> = new Map(),
): string {
  const d = entry.detail;
  const key = () => {
    const label = typeof d.id === 'number' ? keys.get(d.id) : undefined;
    return `key ${text(d.id)}${label !== undefined ? ` "${label}"` : ''}`;
  };
  switch (entry.action) {
    case 'api-keys.create':
      return `created ${text(d.type)} ${key()}`;
    case 'api-keys.revoke':
      return `revoked ${key()}`;
    case 'policy.change': {
      const operations = Array.isArray(d.operations) ? d.operations.slice(0, 3).map(text) : [];
      const more = typeof d.applied === 'number' && d.applied > operations.length ? ', …' : '';
      return `revision ${text(d.fromRevision)} → ${text(d.revision)}: ${plural(d.applied, 'change')}${
        operations.length > 0 ? ` (${operations.join(', ')}${more})` : ''
      }`;
    }
    case 'directory.switch':
      return `active directory ${text(d.from)} → ${text(d.to)}${d.forced === true ? ' (forced)' : ''}`;
    case 'instance.init':
      return `instance created; administrator ${text(d.user)} in ${text(d.directory)}`;
    default:
      return fields(d);
  }
}

/** One page of the log, newest first, below `before` (from the newest when absent). */
export async function readAudit(
  connections: Connections,
  id: string,
  options: { before?: number; limit?: number } = {},
): Promise<AuditLines> {
  const client = await connections.client(id);
  const [page, keys] = await asAdministrator('read the audit log', () =>
    Promise.all([
      client.listAudit({ ...options, limit: options.limit ?? AUDIT_PAGE_SIZE }),
      client.listApiKeys(),
    ]),
  );
  const labels = new Map<number, string>();
  for (const key of keys) {
    const description = keyDescription(key);
    if (description !== undefined) labels.set(key.id, description);
  }
  return {
    entries: page.entries.map((entry) => {
      const keyDescription = entry.keyId === null ? undefined : labels.get(entry.keyId);
      return {
        id: entry.id,
        time: entry.time,
        actor: entry.actor,
        keyId: entry.keyId,
        ...(keyDescription !== undefined && { keyDescription }),
        action: entry.action,
        summary: summarize(entry, labels),
      };
    }),
    next: page.next,
  };
}
