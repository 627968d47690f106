import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../../../test/helpers/store';
import { storeVersion } from '../store/sql/instance';
import { SharedSignInThrottle, SignInThrottle, type ThrottleOptions } from './throttle';

let store: TempStore | undefined;
afterEach(() => {
  store?.cleanup();
  store = undefined;
});

/** A throttle over a real SQLite database of its own. */
function shared(options: ThrottleOptions) {
  store ??= tempStore();
  return new SharedSignInThrottle(store.open(), options);
}

describe.each([
  ['SignInThrottle (one process)', (options: ThrottleOptions) => new SignInThrottle(options)],
  ['SharedSignInThrottle (SQLite)', shared],
])('%s', (_name, newThrottle) => {
  it('allows the free failures, then locks for a doubling window, capped', () => {
    let t = 0;
    const throttle = newThrottle({
      freeFailures: 2,
      baseLockMs: 1000,
      maxLockMs: 4000,
      clock: () => t,
    });
    const user = ['user:admin'];
    throttle.failure(user);
    throttle.failure(user);
    expect(throttle.retryAfter(user)).toBe(0);
    const windows: number[] = [];
    for (let i = 0; i < 4; i++) {
      throttle.failure(user);
      windows.push(throttle.retryAfter(user));
    }
    expect(windows).toEqual([1000, 2000, 4000, 4000]);
    t += 4000;
    expect(throttle.retryAfter(user)).toBe(0);
  });

  it('counts per subject: the longest lock of the subjects asked about applies', () => {
    const t = 0;
    const throttle = newThrottle({ freeFailures: 0, baseLockMs: 500, clock: () => t });
    throttle.failure(['address:10.0.0.1', 'user:bob']);
    throttle.failure(['user:bob']);
    expect(throttle.retryAfter(['address:10.0.0.1'])).toBe(500);
    expect(throttle.retryAfter(['address:10.0.0.2', 'user:bob'])).toBe(1000);
    expect(throttle.retryAfter(['address:10.0.0.2', 'user:alice'])).toBe(0);
  });

  it('a success clears the subject; an hour without failures forgets it', () => {
    let t = 0;
    const throttle = newThrottle({ freeFailures: 0, clock: () => t });
    throttle.failure(['user:a', 'user:b']);
    throttle.success(['user:a']);
    expect(throttle.retryAfter(['user:a'])).toBe(0);
    expect(throttle.retryAfter(['user:b'])).toBeGreaterThan(0);
    t += 61 * 60_000;
    throttle.failure(['user:b']);
    expect(throttle.retryAfter(['user:b'])).toBe(1000); // counted from 1 again
  });
});

describe('SharedSignInThrottle', () => {
  it('counts the failures of every connection together (workers do not multiply guesses)', () => {
    const t = 0;
    const options = { freeFailures: 2, baseLockMs: 1000, clock: () => t };
    const one = shared(options);
    const two = shared(options);
    const user = ['user:admin'];
    one.failure(user);
    two.failure(user);
    expect(one.retryAfter(user)).toBe(0);
    one.failure(user);
    expect(two.retryAfter(user)).toBe(1000);
    two.success(user);
    expect(one.retryAfter(user)).toBe(0);
  });
});

describe('SharedSignInThrottle.retryAfter with the latest failure read by the request', () => {
  it('skips the store only when no failure is recent enough to hold a lock', () => {
    let t = 0;
    const options = { freeFailures: 0, baseLockMs: 1000, maxLockMs: 4000, clock: () => t };
    const throttle = shared(options);
    const latest = () => storeVersion(store!.open()).latestSignInFailure;
    expect(latest()).toBeNull();
    expect(throttle.retryAfter(['address:a'], latest())).toBe(0);
    shared(options).failure(['address:a']); // another worker counts a failure
    expect(latest()).toBe(0);
    expect(throttle.retryAfter(['address:a'], latest())).toBe(1000);
    expect(throttle.retryAfter(['address:b'], latest())).toBe(0);
    t = 999;
    expect(throttle.retryAfter(['address:a'], latest())).toBe(1);
    t = 4000;
    expect(throttle.retryAfter(['address:a'], latest())).toBe(0);
  });
});
