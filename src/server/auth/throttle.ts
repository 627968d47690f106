// Slows down repeated failed sign-ins, per user name and per client address, in memory.
//
// Each subject (a user name, an address) may fail FREE_FAILURES times; every further failure
// locks it for a window that doubles each time (1 s, 2 s, 4 s, ... at most MAX_LOCK_MS).
// While a subject is locked, its sign-ins are refused before any password is checked (so a
// locked attacker costs no scrypt work) and the caller is told when to retry. A success
// clears the user's count; a subject's count is forgotten FORGET_AFTER_MS after its last
// failure. Unknown user names are counted like known ones, so the lock reveals nothing about
// which users exist. SignInThrottle keeps the state per process and loses it on restart, which
// is acceptable: a restart gives an attacker a handful more guesses, not a way around the
// delays. SharedSignInThrottle keeps it in the instance's database, for the worker processes
// of `feedgate server --workers N`: per process, N workers would allow N times the guesses.
import type { Db } from '../store/database';
import {
  forgetSignInFailures,
  latestLockEnd,
  putSignInFailures,
  removeSignInFailures,
  signInFailures,
} from '../store/sql/sign-in-failures';

export const FREE_FAILURES = 5;
export const BASE_LOCK_MS = 1000;
export const MAX_LOCK_MS = 15 * 60_000;
export const FORGET_AFTER_MS = 60 * 60_000;
/** Bounds memory under a flood of distinct names or addresses: the oldest entries go first. */
export const MAX_SUBJECTS = 100_000;

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

export interface ThrottleOptions {
  freeFailures?: number;
  baseLockMs?: number;
  maxLockMs?: number;
  clock?: () => number;
}

/** What authentication asks of a throttle, whichever keeps the counts. */
export interface Throttle {
  /**
   * Milliseconds until the first of these subjects may try again; 0 when none is locked.
   * `latestFailure`: the time of the latest failure of any subject in the shared store, as the
   * request read it with the store's version (storeVersion; null: none), if it did.
   */
  retryAfter(subjects: readonly string[], latestFailure?: number | null): number;
  failure(subjects: readonly string[]): void;
  success(subjects: readonly string[]): void;
}

abstract class LockWindows {
  private readonly freeFailures: number;
  private readonly baseLockMs: number;
  protected readonly maxLockMs: number;
  protected readonly clock: () => number;

  constructor(options: ThrottleOptions) {
    this.freeFailures = options.freeFailures ?? FREE_FAILURES;
    this.baseLockMs = options.baseLockMs ?? BASE_LOCK_MS;
    this.maxLockMs = options.maxLockMs ?? MAX_LOCK_MS;
    this.clock = options.clock ?? Date.now;
  }

  /** The entry after one more failure at `t` (a forgotten or absent one counts from 0). */
  protected failedAgain(entry: Entry | undefined, t: number): Entry {
    const next = { failures: (entry?.failures ?? 0) + 1, lockedUntil: entry?.lockedUntil ?? 0 };
    const over = next.failures - this.freeFailures;
    if (over > 0)
      next.lockedUntil =
        t + Math.min(this.maxLockMs, this.baseLockMs * 2 ** Math.min(over - 1, 30));
    return { ...next, lastFailure: t };
  }
}

export class SignInThrottle extends LockWindows implements Throttle {
  private readonly entries = new Map<string, Entry>();

  constructor(options: ThrottleOptions = {}) {
    super(options);
  }

  private entry(subject: string): Entry | undefined {
    const entry = this.entries.get(subject);
    if (entry && this.clock() - entry.lastFailure > FORGET_AFTER_MS) {
      this.entries.delete(subject);
      return undefined;
    }
    return entry;
  }

  /** Milliseconds until the first of these subjects may try again; 0 when none is locked. */
  retryAfter(subjects: readonly string[]): number {
    const t = this.clock();
    let wait = 0;
    for (const subject of subjects) {
      const entry = this.entry(subject);
      if (entry && entry.lockedUntil > t) wait = Math.max(wait, entry.lockedUntil - t);
    }
    return wait;
  }

  failure(subjects: readonly string[]): void {
    const t = this.clock();
    for (const subject of subjects) {
      const entry = this.failedAgain(this.entry(subject), t);
      this.entries.delete(subject); // re-insert: Map order = least recently failed first
      this.entries.set(subject, entry);
      if (this.entries.size > MAX_SUBJECTS) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
  }

  success(subjects: readonly string[]): void {
    for (const subject of subjects) this.entries.delete(subject);
  }
}

/**
 * The same throttle over the instance's database, shared by every process serving it: a
 * failure is counted in a write transaction taken at once (BEGIN IMMEDIATE), so two workers
 * counting the same subject never lose one. Counts older than FORGET_AFTER_MS are ignored, and
 * deleted when a failure is written.
 */
export class SharedSignInThrottle extends LockWindows implements Throttle {
  constructor(
    private readonly db: Db,
    options: ThrottleOptions = {},
  ) {
    super(options);
  }

  retryAfter(subjects: readonly string[], latestFailure?: number | null): number {
    const t = this.clock();
    // No lock outlasts its failure by more than maxLockMs: when no subject failed that recently,
    // none is locked, and the request saves a statement (a worker's every key request).
    if (latestFailure !== undefined && (latestFailure ?? -Infinity) + this.maxLockMs <= t) return 0;
    return Math.max(0, latestLockEnd(this.db, subjects, t - FORGET_AFTER_MS) - t);
  }

  failure(subjects: readonly string[]): void {
    const t = this.clock();
    this.db
      .transaction(() => {
        forgetSignInFailures(this.db, t - FORGET_AFTER_MS);
        for (const subject of subjects)
          putSignInFailures(
            this.db,
            subject,
            this.failedAgain(signInFailures(this.db, subject), t),
          );
      })
      .immediate();
  }

  success(subjects: readonly string[]): void {
    removeSignInFailures(this.db, subjects);
  }
}
