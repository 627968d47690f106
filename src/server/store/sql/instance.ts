// The instance row: policy revision (bumped by every policy write) and initialization time.
import type { Db } from '../database';
import { now, prepared } from '../statements';

const SQL = {
  get: 'SELECT revision, created_at AS createdAt, initialized_at AS initializedAt FROM instance WHERE id = 1',
  bumpRevision: 'UPDATE instance SET revision = revision + 1 WHERE id = 1 RETURNING revision',
  markInitialized: 'UPDATE instance SET initialized_at = ? WHERE id = 1 AND initialized_at IS NULL',
  version: `SELECT revision, (SELECT id FROM directories WHERE active = 1) AS activeDirectoryId,
    api_keys_version AS apiKeysVersion,
    (SELECT max(last_failure) FROM sign_in_failures) AS latestSignInFailure
    FROM instance WHERE id = 1`,
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

/**
 * What the per-process caches depend on: the policy revision, the active directory's id (null
 * when none is active) and the API key counter (bumped by triggers on every key change); and
 * the latest sign-in failure, so that the shared sign-in throttle need not be asked when there
 * was none lately. One statement: each read of the store starts a read transaction (~5 µs), so
 * a request reads this once and hands it to the key and policy caches and the throttle.
 */
export interface StoreVersion {
  revision: number;
  activeDirectoryId: number | null;
  apiKeysVersion: number;
  /** Milliseconds since the epoch (the indexed max of sign_in_failures); null when none. */
  latestSignInFailure: number | null;
}

export function storeVersion(db: Db): StoreVersion {
  return prepared(db, SQL).version.get() as StoreVersion;
}

export function bumpRevision(db: Db): number {
  return (prepared(db, SQL).bumpRevision.get() as { revision: number }).revision;
}

/** Marks the instance initialized; false when it already was. */
export function markInitialized(db: Db): boolean {
  return prepared(db, SQL).markInitialized.run(now()).changes === 1;
}
