// The instance row: policy revision (bumped by every policy write) and initialization time.
import type { Db } from '../database';
import { now, prepared } from '../statements';

const SQL = {
  get: 'SELECT revision, created_at AS createdAt, initialized_at AS initializedAt FROM instance WHERE id = 1',
  bumpRevision: 'UPDATE instance SET revision = revision + 1 WHERE id = 1 RETURNING revision',
  markInitialized: 'UPDATE instance SET initialized_at = ? WHERE id = 1 AND initialized_at IS NULL',
  // What the policy cache checks on every request: one statement rather than two.
  version: `SELECT revision, (SELECT id FROM directories WHERE active = 1) AS activeDirectoryId
    FROM instance WHERE id = 1`,
  keysVersion: 'SELECT revision, api_keys_version AS apiKeysVersion FROM instance WHERE id = 1',
} as const;

export interface InstanceRow {
  revision: number;
  createdAt: string;
  initializedAt: string | null;
}

export function instanceRow(db: Db): InstanceRow {
  return prepared(db, SQL).get.get() as InstanceRow;
}

/** The policy revision: 0 before the first write. */
export function policyRevision(db: Db): number {
  return instanceRow(db).revision;
}

/** The revision and the active directory's id (null when none is active), read together. */
export function policyVersion(db: Db): { revision: number; activeDirectoryId: number | null } {
  return prepared(db, SQL).version.get() as { revision: number; activeDirectoryId: number | null };
}

/**
 * What verified API key rows depend on: the key counter (bumped by triggers on every key
 * change) and the policy revision (key rows carry feed and user names).
 */
export function apiKeysVersion(db: Db): { revision: number; apiKeysVersion: number } {
  return prepared(db, SQL).keysVersion.get() as { revision: number; apiKeysVersion: number };
}

export function bumpRevision(db: Db): number {
  return (prepared(db, SQL).bumpRevision.get() as { revision: number }).revision;
}

/** Marks the instance initialized; false when it already was. */
export function markInitialized(db: Db): boolean {
  return prepared(db, SQL).markInitialized.run(now()).changes === 1;
}
