// The audit log: who changed what, when, and through which key (its id, never its text).
import type { Db } from '../database';
import { now, prepared } from '../statements';

const SQL = {
  append: `INSERT INTO audit_log (at, actor, key_id, action, detail)
    VALUES (@at, @actor, @keyId, @action, @detail)`,
  after: `SELECT id, at, actor, key_id AS keyId, action, detail FROM audit_log
    WHERE id > ? ORDER BY id LIMIT ?`,
  before: `SELECT id, at, actor, key_id AS keyId, action, detail FROM audit_log
    WHERE id < ? ORDER BY id DESC LIMIT ?`,
} as const;

export interface AuditEntry {
  /** The principal that acted (`Built-in/Admin`), or a description such as `feedgate instance init`. */
  actor: string | null;
  keyId?: number | null;
  action: string;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string | null;
  keyId: number | null;
  action: string;
  detail: Record<string, unknown>;
}

export function appendAudit(db: Db, entry: AuditEntry): number {
  const result = prepared(db, SQL).append.run({
    at: now(),
    actor: entry.actor,
    keyId: entry.keyId ?? null,
    action: entry.action,
    detail: JSON.stringify(entry.detail ?? {}),
  });
  return Number(result.lastInsertRowid);
}

type StoredRow = Omit<AuditRow, 'detail'> & { detail: string };

const parsed = (rows: StoredRow[]): AuditRow[] =>
  rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));

/** Entries with an id above `afterId`, oldest first. */
export function auditAfter(db: Db, afterId = 0, limit = 1000): AuditRow[] {
  return parsed(prepared(db, SQL).after.all(afterId, limit) as StoredRow[]);
}

/** Entries with an id below `beforeId` (all of them when absent), newest first. */
export function auditBefore(db: Db, beforeId = Number.MAX_SAFE_INTEGER, limit = 1000): AuditRow[] {
  return parsed(prepared(db, SQL).before.all(beforeId, limit) as StoredRow[]);
}
