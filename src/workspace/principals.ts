// Principal search for the principal picker: the connected server's active directory
// (built-in, or LDAP searched by the server) answers, and every answer is kept in the mirror
// (table principal_cache), so that offline — the server unreachable, or its LDAP directory
// down — the same search is answered from the cache, saying so and since when.
import type { Mirror } from './mirror';
import { RemoteError, type DirectoryPrincipal, type RemoteClient } from './remote-client';

export type PrincipalKind = 'user' | 'group';

export interface PrincipalSearch {
  term: string;
  /** Only users or only groups; both when absent. */
  kind?: PrincipalKind;
}

export interface PrincipalSearchResult {
  /** `server`: the directory answered now; `cache`: the server could not be asked. */
  source: 'server' | 'cache';
  /** The directory the principals belong to (null: nothing cached for this connection yet). */
  directory: string | null;
  /** When the answer was read from the directory (for the cache: the oldest cached hit). */
  cachedAt: string | null;
  principals: DirectoryPrincipal[];
  /** Why the cache answered (the server's failure, in one line). */
  reason?: string;
}

/** Hits per answer: a picker shows a screenful, the user narrows the term for more. */
export const PRINCIPAL_SEARCH_LIMIT = 50;

/** Failures that mean "cannot ask now" (answered from the cache), not "asked wrongly". */
function isOffline(error: unknown): error is RemoteError {
  return (
    error instanceof RemoteError &&
    (error.kind === 'network' || error.kind === 'timeout' || error.status === 503)
  );
}

interface CacheRow {
  kind: PrincipalKind;
  name: string;
  display_name: string | null;
  email: string | null;
  seen_at: string;
}

const matches = (needle: string, ...values: (string | undefined | null)[]) =>
  values.some((v) => typeof v === 'string' && v.toLowerCase().includes(needle));

/** Users first, then groups; by name within each. */
const byKindThenName = (a: DirectoryPrincipal, b: DirectoryPrincipal) =>
  a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'user' ? -1 : 1;

/** The mirror's cache of directory answers, per connection and directory. */
export class PrincipalCache {
  constructor(private readonly mirror: Mirror) {}

  /** Keeps what the directory answered (a newer answer replaces a principal's display data). */
  store(connectionId: string, directory: string, principals: DirectoryPrincipal[], at: string) {
    const db = this.mirror.db;
    const upsert = db.prepare(
      `INSERT INTO principal_cache (connection_id, directory, kind, name, display_name, email, seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, directory, kind, name)
       DO UPDATE SET display_name = excluded.display_name, email = excluded.email, seen_at = excluded.seen_at`,
    );
    const directoryRow = db.prepare(
      `INSERT INTO principal_cache_directories (connection_id, directory, searched_at) VALUES (?, ?, ?)
       ON CONFLICT (connection_id) DO UPDATE SET directory = excluded.directory, searched_at = excluded.searched_at`,
    );
    db.transaction(() => {
      for (const p of principals)
        upsert.run(
          connectionId,
          directory,
          p.kind,
          p.name,
          p.displayName ?? null,
          p.email ?? null,
          at,
        );
      directoryRow.run(connectionId, directory, at);
    })();
  }

  /** The directory the connection's server last answered for, or null. */
  directory(connectionId: string): string | null {
    const row = this.mirror.db
      .prepare('SELECT directory FROM principal_cache_directories WHERE connection_id = ?')
      .get(connectionId) as { directory: string } | undefined;
    return row?.directory ?? null;
  }

  /** Cached principals of the last directory whose name, display name or e-mail holds `term`. */
  search(connectionId: string, query: PrincipalSearch, limit = PRINCIPAL_SEARCH_LIMIT) {
    const directory = this.directory(connectionId);
    if (directory === null) return { directory, cachedAt: null, principals: [] };
    const rows = this.mirror.db
      .prepare(
        `SELECT kind, name, display_name, email, seen_at FROM principal_cache
         WHERE connection_id = ? AND directory = ? AND (? IS NULL OR kind = ?)`,
      )
      .all(connectionId, directory, query.kind ?? null, query.kind ?? null) as CacheRow[];
    const needle = query.term.trim().toLowerCase();
    const hits = rows
      .filter((r) => matches(needle, r.name, r.display_name, r.email))
      .map((r) => ({ principal: principalOf(r), seenAt: r.seen_at }))
      .sort((a, b) => byKindThenName(a.principal, b.principal))
      .slice(0, limit);
    const oldest = hits.reduce<string | null>(
      (min, h) => (min === null || h.seenAt < min ? h.seenAt : min),
      null,
    );
    return { directory, cachedAt: oldest, principals: hits.map((h) => h.principal) };
  }
}

function principalOf(row: CacheRow): DirectoryPrincipal {
  return {
    kind: row.kind,
    name: row.name,
    ...(row.display_name !== null && { displayName: row.display_name }),
    ...(row.email !== null && { email: row.email }),
  };
}

/** Asks the server's active directory; a server without the v1 API answers from its lists. */
async function askServer(
  client: RemoteClient,
  query: PrincipalSearch,
): Promise<{ directory: string; principals: DirectoryPrincipal[] }> {
  const kind = query.kind ?? 'both';
  let directories;
  try {
    directories = await client.listDirectories();
  } catch (error) {
    if (error instanceof RemoteError && error.status === 404) return askProGetLists(client, query);
    throw error;
  }
  const active = directories.find((d) => d.active)?.name ?? 'Built-in';
  const principals = await client.searchDirectoryPrincipals(active, query.term.trim(), {
    kind,
    pageSize: PRINCIPAL_SEARCH_LIMIT,
  });
  return { directory: active, principals };
}

/** A ProGet-only server: its users/list search and its groups/list, filtered here. */
async function askProGetLists(client: RemoteClient, query: PrincipalSearch) {
  const term = query.term.trim();
  const needle = term.toLowerCase();
  const users =
    query.kind === 'group'
      ? []
      : (await client.listUsers(term === '' ? undefined : term)).map((u): DirectoryPrincipal => ({
          kind: 'user',
          name: u.name,
          ...(u.displayName !== undefined && { displayName: u.displayName }),
          ...(u.email !== undefined && { email: u.email }),
        }));
  const groups =
    query.kind === 'user'
      ? []
      : (await client.listGroups())
          .filter((g) => matches(needle, g.name))
          .map((g): DirectoryPrincipal => ({ kind: 'group', name: g.name }));
  return {
    directory: 'Built-in',
    principals: [...users, ...groups].sort(byKindThenName).slice(0, PRINCIPAL_SEARCH_LIMIT),
  };
}

export interface PrincipalSearchDeps {
  mirror: Mirror;
  /** A client with the connection's key (Connections.client). */
  client: (connectionId: string) => Promise<RemoteClient>;
  now?: () => string;
}

/**
 * Searches the users and groups of the connection's server (its active directory), caching
 * the answer; when the server cannot be reached, answers from the cache with the reason.
 */
export async function searchPrincipals(
  deps: PrincipalSearchDeps,
  connectionId: string,
  query: PrincipalSearch,
): Promise<PrincipalSearchResult> {
  const cache = new PrincipalCache(deps.mirror);
  const client = await deps.client(connectionId);
  try {
    const { directory, principals } = await askServer(client, query);
    const at = deps.now?.() ?? new Date().toISOString();
    cache.store(connectionId, directory, principals, at);
    return { source: 'server', directory, cachedAt: at, principals };
  } catch (error) {
    if (!isOffline(error)) throw error;
    return { source: 'cache', ...cache.search(connectionId, query), reason: error.message };
  }
}
