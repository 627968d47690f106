// The workspace mirror: the desktop's own SQLite file (never an instance's), in WAL mode with
// the instance's migration machinery. It holds the connection profiles (no secret: API keys
// live in the keychain) and, per connection, the last pulled snapshot, the draft with the
// base it was made against, and an operation log for undo/redo. Every edit is one committed
// transaction, so an edit the UI showed as saved survives a crash or a kill.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  applyChangeSet,
  diffPolicies,
  parsePolicy,
  type ChangeSet,
  type Policy,
} from '../core/index';
import { openDatabase, type Db } from '../server/store/database';
import { MIRROR_MIGRATIONS } from './mirror-migrations/index';

/** A mirror problem meant for the user (unknown connection, no draft, nothing to undo). */
export class MirrorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MirrorError';
  }
}

export type ConnectionKind = 'remote' | 'embedded';

/** A connection profile as stored (never a secret). */
export interface ConnectionRecord {
  id: string;
  name: string;
  kind: ConnectionKind;
  /** Remote: the instance's URL. Embedded: derived from the port (http://127.0.0.1:PORT). */
  url: string;
  /** Embedded only. */
  dataDir?: string;
  port?: number;
  autostart: boolean;
  isDefault: boolean;
  createdAt: string;
}

export type NewConnection = Omit<ConnectionRecord, 'createdAt' | 'url'> & { url?: string };

export interface SnapshotRecord {
  revision: number;
  policy: Policy;
  pulledAt: string;
}

export interface DraftRecord {
  /** The revision and policy the draft was made against (the merge base). */
  baseRevision: number;
  base: Policy;
  policy: Policy;
  /** Operations applied (undo moves it down, redo up). */
  cursor: number;
  /** Operations in the log (the ones above the cursor can be redone). */
  operations: number;
  updatedAt: string;
}

interface ConnectionRow {
  id: string;
  name: string;
  kind: ConnectionKind;
  url: string | null;
  data_dir: string | null;
  port: number | null;
  autostart: number;
  is_default: number;
  created_at: string;
}

interface DraftRow {
  base_revision: number;
  base_policy: string;
  policy: string;
  cursor: number;
  updated_at: string;
  operations: number;
}

const now = () => new Date().toISOString();
const policyText = (policy: Policy) => JSON.stringify(policy);
const readPolicy = (text: string): Policy => parsePolicy(JSON.parse(text) as unknown);

/** The loopback URL of an embedded instance on `port`. */
export const embeddedUrl = (port: number) => `http://127.0.0.1:${port}`;

function connectionOf(row: ConnectionRow): ConnectionRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    url: row.kind === 'embedded' ? embeddedUrl(row.port as number) : (row.url as string),
    ...(row.data_dir !== null && { dataDir: row.data_dir }),
    ...(row.port !== null && { port: row.port }),
    autostart: row.autostart === 1,
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
  };
}

export class Mirror {
  private constructor(readonly db: Db) {}

  /** Opens (creating when missing) the mirror file and applies pending migrations. */
  static open(file: string): Mirror {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    return new Mirror(openDatabase(file, { create: true, migrations: MIRROR_MIGRATIONS }));
  }

  close(): void {
    this.db.close();
  }

  listConnections(): ConnectionRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM connections ORDER BY created_at, name')
      .all() as ConnectionRow[];
    return rows.map(connectionOf);
  }

  connection(id: string): ConnectionRecord {
    const row = this.db.prepare('SELECT * FROM connections WHERE id = ?').get(id) as
      ConnectionRow | undefined;
    if (row === undefined) throw new MirrorError(`no connection with id "${id}"`);
    return connectionOf(row);
  }

  addConnection(input: NewConnection): ConnectionRecord {
    const clash = this.db
      .prepare('SELECT name FROM connections WHERE name = ? COLLATE NOCASE')
      .get(input.name) as { name: string } | undefined;
    if (clash !== undefined)
      throw new MirrorError(
        `a connection named "${clash.name}" already exists (names ignore case)`,
      );
    this.db.transaction(() => {
      if (input.isDefault) this.db.prepare('UPDATE connections SET is_default = 0').run();
      this.db
        .prepare(
          `INSERT INTO connections (id, name, kind, url, data_dir, port, autostart, is_default, created_at)
           VALUES (@id, @name, @kind, @url, @dataDir, @port, @autostart, @isDefault, @createdAt)`,
        )
        .run({
          id: input.id,
          name: input.name,
          kind: input.kind,
          url: input.kind === 'remote' ? (input.url ?? null) : null,
          dataDir: input.dataDir ?? null,
          port: input.port ?? null,
          autostart: input.autostart ? 1 : 0,
          isDefault: input.isDefault ? 1 : 0,
          createdAt: now(),
        });
    })();
    return this.connection(input.id);
  }

  /** Removes a connection with its snapshot, draft and operation log. */
  removeConnection(id: string): ConnectionRecord {
    const record = this.connection(id);
    this.db.prepare('DELETE FROM connections WHERE id = ?').run(id);
    return record;
  }

  snapshot(connectionId: string): SnapshotRecord | null {
    this.connection(connectionId);
    const row = this.db
      .prepare('SELECT revision, policy, pulled_at FROM snapshots WHERE connection_id = ?')
      .get(connectionId) as { revision: number; policy: string; pulled_at: string } | undefined;
    if (row === undefined) return null;
    return { revision: row.revision, policy: readPolicy(row.policy), pulledAt: row.pulled_at };
  }

  /**
   * Stores a pulled snapshot. When the connection has no draft yet, the draft starts as the
   * snapshot (its base too). A draft with nothing to push (every edit undone, or none made)
   * moves onto the new snapshot, dropping a redo tail that was made against the old base.
   * A draft with edits is left alone: merging it is sync's job.
   */
  saveSnapshot(connectionId: string, revision: number, policy: Policy): SnapshotRecord {
    this.connection(connectionId);
    const pulledAt = now();
    const text = policyText(policy);
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO snapshots (connection_id, revision, policy, pulled_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (connection_id) DO UPDATE SET revision = excluded.revision,
             policy = excluded.policy, pulled_at = excluded.pulled_at`,
        )
        .run(connectionId, revision, text, pulledAt);
      this.db
        .prepare(
          `INSERT INTO drafts (connection_id, base_revision, base_policy, policy, cursor, updated_at)
           VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (connection_id) DO NOTHING`,
        )
        .run(connectionId, revision, text, text, pulledAt);
      const draft = this.draftRow(connectionId);
      if (draft !== undefined && draft.cursor === 0 && draft.base_revision !== revision)
        this.rebaseDraft(connectionId, revision, policy, policy);
    })();
    return { revision, policy, pulledAt };
  }

  draft(connectionId: string): DraftRecord | null {
    this.connection(connectionId);
    const row = this.draftRow(connectionId);
    if (row === undefined) return null;
    return {
      baseRevision: row.base_revision,
      base: readPolicy(row.base_policy),
      policy: readPolicy(row.policy),
      cursor: row.cursor,
      operations: row.operations,
      updatedAt: row.updated_at,
    };
  }

  /**
   * Applies a change set to the draft, logs it with its inverse and drops the redo tail, in
   * one transaction. A change set that does not apply throws (ChangeSetError, PolicyError)
   * and changes nothing. An empty change set records nothing.
   */
  edit(connectionId: string, changeSet: ChangeSet, label: string): DraftRecord {
    this.db.transaction(() => {
      const before = this.requireDraft(connectionId);
      const after = applyChangeSet(before, changeSet);
      const forward = diffPolicies(before, after).changeSet;
      if (forward.operations.length === 0) return;
      const inverse = diffPolicies(after, before).changeSet;
      const row = this.draftRow(connectionId) as DraftRow;
      this.db
        .prepare('DELETE FROM draft_operations WHERE connection_id = ? AND seq > ?')
        .run(connectionId, row.cursor);
      this.db
        .prepare(
          `INSERT INTO draft_operations (connection_id, seq, label, forward, inverse, made_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          connectionId,
          row.cursor + 1,
          label,
          JSON.stringify(forward),
          JSON.stringify(inverse),
          now(),
        );
      this.writeDraft(connectionId, after, row.cursor + 1);
    })();
    return this.draft(connectionId) as DraftRecord;
  }

  /** Makes the draft equal to `policy` as one logged (undoable) edit. */
  replaceDraft(connectionId: string, policy: Policy, label: string): DraftRecord {
    const current = this.requireDraft(connectionId);
    return this.edit(connectionId, diffPolicies(current, policy).changeSet, label);
  }

  /** Reverts the operation below the cursor. */
  undo(connectionId: string): DraftRecord {
    this.move(connectionId, 'undo');
    return this.draft(connectionId) as DraftRecord;
  }

  /** Re-applies the operation above the cursor. */
  redo(connectionId: string): DraftRecord {
    this.move(connectionId, 'redo');
    return this.draft(connectionId) as DraftRecord;
  }

  /** The labels of the logged operations, oldest first, and the cursor. */
  history(connectionId: string): { labels: string[]; cursor: number } {
    const row = this.draftRow(connectionId);
    if (row === undefined) return { labels: [], cursor: 0 };
    const labels = this.db
      .prepare('SELECT label FROM draft_operations WHERE connection_id = ? ORDER BY seq')
      .pluck()
      .all(connectionId) as string[];
    return { labels, cursor: row.cursor };
  }

  /**
   * Puts the draft on a new base (after a merge or a push): the given base and draft policy,
   * and a fresh operation log, since the old operations were made against another base.
   */
  rebaseDraft(connectionId: string, baseRevision: number, base: Policy, policy: Policy): void {
    this.connection(connectionId);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM drafts WHERE connection_id = ?').run(connectionId);
      this.db
        .prepare(
          `INSERT INTO drafts (connection_id, base_revision, base_policy, policy, cursor, updated_at)
           VALUES (?, ?, ?, ?, 0, ?)`,
        )
        .run(connectionId, baseRevision, policyText(base), policyText(policy), now());
    })();
  }

  private move(connectionId: string, direction: 'undo' | 'redo'): void {
    this.db.transaction(() => {
      const row = this.draftRow(connectionId);
      if (row === undefined) throw this.noDraft(connectionId);
      const seq = direction === 'undo' ? row.cursor : row.cursor + 1;
      const op = this.db
        .prepare(
          `SELECT ${direction === 'undo' ? 'inverse' : 'forward'} AS change FROM draft_operations
           WHERE connection_id = ? AND seq = ?`,
        )
        .get(connectionId, seq) as { change: string } | undefined;
      if (op === undefined || seq < 1) throw new MirrorError(`nothing to ${direction}`);
      const after = applyChangeSet(readPolicy(row.policy), JSON.parse(op.change) as ChangeSet);
      this.writeDraft(connectionId, after, direction === 'undo' ? seq - 1 : seq);
    })();
  }

  private writeDraft(connectionId: string, policy: Policy, cursor: number): void {
    this.db
      .prepare('UPDATE drafts SET policy = ?, cursor = ?, updated_at = ? WHERE connection_id = ?')
      .run(policyText(policy), cursor, now(), connectionId);
  }

  private draftRow(connectionId: string): DraftRow | undefined {
    return this.db
      .prepare(
        `SELECT base_revision, base_policy, policy, cursor, updated_at,
           (SELECT count(*) FROM draft_operations o WHERE o.connection_id = d.connection_id) AS operations
         FROM drafts d WHERE connection_id = ?`,
      )
      .get(connectionId) as DraftRow | undefined;
  }

  private requireDraft(connectionId: string): Policy {
    this.connection(connectionId);
    const row = this.draftRow(connectionId);
    if (row === undefined) throw this.noDraft(connectionId);
    return readPolicy(row.policy);
  }

  private noDraft(connectionId: string): MirrorError {
    return new MirrorError(
      `connection "${this.connection(connectionId).name}" has no draft yet: pull it first`,
    );
  }
}
