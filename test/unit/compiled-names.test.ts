import { describe, expect, it } from 'vitest';
import { compile, parsePolicy, resolve } from '../../src/core/index';

// The compiled evaluator looks names up in null-prototype dictionaries: names that are
// special to JavaScript objects or look like array indices must be ordinary names there.
const SPECIAL = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '0', '4294967295', '-1'];

describe('compiled name lookups', () => {
  it('treats object-special and index-like names as ordinary users and feeds', () => {
    const policy = parsePolicy({
      format: 'feedgate-policy/1',
      users: SPECIAL.map((name) => ({ name })),
      feeds: SPECIAL.map((name) => ({ name })),
      permissions: SPECIAL.map((name, i) => ({
        user: name,
        task: 'View & Download Packages',
        feed: SPECIAL[(i + 1) % SPECIAL.length],
      })),
    });
    const compiled = compile(policy);
    for (const user of [...SPECIAL, 'valueOf', 'nobody'])
      for (const feed of SPECIAL) {
        const query = { user, attribute: 'Feeds_DownloadPackage', feed };
        expect(compiled.check(query).allowed, `${user} on ${feed}`).toBe(
          resolve(policy, query).allowed,
        );
        expect(compiled.isAllowed(user, query.attribute, feed)).toBe(
          resolve(policy, query).allowed,
        );
      }
    expect(compiled.isAllowed('__proto__', 'Feeds_DownloadPackage', 'constructor')).toBe(true);
    expect(
      compiled.check({ user: 'x', attribute: 'Feeds_DownloadPackage', feed: 'valueOf' }).errors,
    ).toHaveLength(1);
    expect(compiled.check({ user: 'x', attribute: 'toString' }).errors).toHaveLength(1);
  });
});
