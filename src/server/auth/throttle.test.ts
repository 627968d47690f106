import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './throttle';

describe('SignInThrottle', () => {
  it('allows the free failures, then locks for a doubling window, capped', () => {
    let t = 0;
    const throttle = new SignInThrottle({
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
    const throttle = new SignInThrottle({ freeFailures: 0, baseLockMs: 500, clock: () => t });
    throttle.failure(['address:10.0.0.1', 'user:bob']);
    throttle.failure(['user:bob']);
    expect(throttle.retryAfter(['address:10.0.0.1'])).toBe(500);
    expect(throttle.retryAfter(['address:10.0.0.2', 'user:bob'])).toBe(1000);
    expect(throttle.retryAfter(['address:10.0.0.2', 'user:alice'])).toBe(0);
  });

  it('a success clears the subject; an hour without failures forgets it', () => {
    let t = 0;
    const throttle = new SignInThrottle({ freeFailures: 0, clock: () => t });
    throttle.failure(['user:a', 'user:b']);
    throttle.success(['user:a']);
    expect(throttle.retryAfter(['user:a'])).toBe(0);
    expect(throttle.retryAfter(['user:b'])).toBeGreaterThan(0);
    t += 61 * 60_000;
    throttle.failure(['user:b']);
    expect(throttle.retryAfter(['user:b'])).toBe(1000); // counted from 1 again
  });
});
