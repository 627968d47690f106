// Named statements: every SQL text of the store is a constant in a module per concern, and
// is prepared once per connection. No SQL is ever built from input; values are bound.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

export type SqlTable = Readonly<Record<string, string>>;
export type Prepared<T extends SqlTable> = { readonly [K in keyof T]: Statement };

const cache = new WeakMap<Db, Map<SqlTable, unknown>>();

/** The statements of one module, prepared on first use for this connection. */
export function prepared<T extends SqlTable>(db: Db, sql: T): Prepared<T> {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  let statements = perDb.get(sql) as Prepared<T> | undefined;
  if (!statements) {
    statements = Object.fromEntries(
      Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]),
    ) as Prepared<T>;
    perDb.set(sql, statements);
  }
  return statements;
}

/** SQLite's 0/1 for a boolean. */
export const bit = (value: boolean): 0 | 1 => (value ? 1 : 0);

/** Now as stored in every timestamp column: ISO 8601 in UTC with milliseconds. */
export const now = (): string => new Date().toISOString();
