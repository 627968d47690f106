// The sign-in throttle's counts per subject (`user:NAME`, `address:IP`), shared by the
// processes serving one data dir. See auth/throttle.ts.
import type { Db } from '../database';
import { prepared } from '../statements';

const SQL = {
  get: `SELECT failures, locked_until AS lockedUntil, last_failure AS lastFailure
    FROM sign_in_failures WHERE subject = ?`,
  lockedUntil: `SELECT max(locked_until) AS lockedUntil FROM sign_in_failures
    WHERE subject IN (SELECT value FROM json_each(?)) AND last_failure >= ?`,
  put: `INSERT INTO sign_in_failures (subject, failures, locked_until, last_failure)
    VALUES (@subject, @failures, @lockedUntil, @lastFailure)
    ON CONFLICT (subject) DO UPDATE SET failures = excluded.failures,
      locked_until = excluded.locked_until, last_failure = excluded.last_failure`,
  remove: 'DELETE FROM sign_in_failures WHERE subject IN (SELECT value FROM json_each(?))',
  forget: 'DELETE FROM sign_in_failures WHERE last_failure < ?',
  clear: 'DELETE FROM sign_in_failures',
} as const;

export interface SignInFailures {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

export function signInFailures(db: Db, subject: string): SignInFailures | undefined {
  return prepared(db, SQL).get.get(subject) as SignInFailures | undefined;
}

/** The latest lock end of these subjects, counting failures since `since` only (0 if none). */
export function latestLockEnd(db: Db, subjects: readonly string[], since: number): number {
  const row = prepared(db, SQL).lockedUntil.get(JSON.stringify(subjects), since) as {
    lockedUntil: number | null;
  };
  return row.lockedUntil ?? 0;
}

export function putSignInFailures(db: Db, subject: string, entry: SignInFailures): void {
  prepared(db, SQL).put.run({ subject, ...entry });
}

export function removeSignInFailures(db: Db, subjects: readonly string[]): void {
  prepared(db, SQL).remove.run(JSON.stringify(subjects));
}

/** Drops the counts of subjects whose last failure is older than `before`. */
export function forgetSignInFailures(db: Db, before: number): void {
  prepared(db, SQL).forget.run(before);
}

/** Forgets every count (a server starting afresh, as the in-memory throttle does). */
export function clearSignInFailures(db: Db): void {
  prepared(db, SQL).clear.run();
}
