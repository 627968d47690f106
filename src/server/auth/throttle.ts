// Slows down repeated failed sign-ins, per user name and per client address, in memory.
//
// Each subject (a user name, an address) may fail FREE_FAILURES times; every further failure
// locks it for a window that doubles each time (1 s, 2 s, 4 s, ... at most MAX_LOCK_MS).
// While a subject is locked, its sign-ins are refused before any password is checked (so a
// locked attacker costs no scrypt work) and the caller is told when to retry. A success
// clears the user's count; a subject's count is forgotten FORGET_AFTER_MS after its last
// failure. Unknown user names are counted like known ones, so the lock reveals nothing about
// which users exist. The state is per process and lost on restart, which is acceptable: a
// restart gives an attacker a handful more guesses, not a way around the delays.
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

export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly freeFailures: number;
  private readonly baseLockMs: number;
  private readonly maxLockMs: number;
  private readonly clock: () => number;

  constructor(options: ThrottleOptions = {}) {
    this.freeFailures = options.freeFailures ?? FREE_FAILURES;
    this.baseLockMs = options.baseLockMs ?? BASE_LOCK_MS;
    this.maxLockMs = options.maxLockMs ?? MAX_LOCK_MS;
    this.clock = options.clock ?? Date.now;
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
      const entry = this.entry(subject) ?? { failures: 0, lockedUntil: 0, lastFailure: t };
      entry.failures += 1;
      entry.lastFailure = t;
      const over = entry.failures - this.freeFailures;
      if (over > 0)
        entry.lockedUntil =
          t + Math.min(this.maxLockMs, this.baseLockMs * 2 ** Math.min(over - 1, 30));
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
