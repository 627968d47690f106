import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTE_IDS,
  accessDiff,
  parsePolicy,
  resolve,
  type AccessFlip,
  type Policy,
} from '../../src/core/index';
import { MAX_FLIPS_PER_GROUP } from '../../src/core/access-diff';
import { policyArb } from '../helpers/change-set-arbitrary';

const promote = JSON.parse(readFileSync('test/fixtures/promote-example.json', 'utf8')) as {
  permissions: object[];
};

/** Every (user, attribute, scope) whose decision differs, by brute force over the reference resolver. */
function bruteForce(before: Policy, after: Policy): AccessFlip[] {
  const users = new Set([...before.users, ...after.users].map((u) => u.name));
  users.add('Anonymous');
  const feeds = [null, ...new Set([...before.feeds, ...after.feeds].map((f) => f.name))];
  const allowed = (policy: Policy, user: string, attribute: string, feed: string | null) => {
    if (feed !== null && !policy.feeds.some((f) => f.name === feed)) return false;
    return resolve(policy, feed === null ? { user, attribute } : { user, attribute, feed }).allowed;
  };
  const flips: AccessFlip[] = [];
  for (const user of users)
    for (const feed of feeds)
      for (const attribute of ATTRIBUTE_IDS) {
        const from = allowed(before, user, attribute, feed);
        const to = allowed(after, user, attribute, feed);
        if (from !== to) flips.push({ user, attribute, feed, from, to });
      }
  return flips;
}

const key = (f: AccessFlip) => `${f.user}|${f.attribute}|${f.feed ?? ''}|${f.to}`;

describe('accessDiff', () => {
  it('reports exactly the decisions that flip (property, against the reference resolver)', () => {
    fc.assert(
      fc.property(policyArb, policyArb, (before, after) => {
        const diff = accessDiff(before, after);
        const reported = diff.groups
          .flatMap((g) => g.flips)
          .map(key)
          .sort();
        expect(reported).toEqual(bruteForce(before, after).map(key).sort());
        expect(diff.totals.flips).toBe(reported.length);
        expect(diff.totals.granted + diff.totals.revoked).toBe(reported.length);
        // Examples by user, feed, attribute; feeds by name (the system scope, null, first).
        for (const group of diff.groups) {
          const byName = (x: string | null, y: string | null) => (x ?? '').localeCompare(y ?? '');
          expect(group.flips).toEqual(
            [...group.flips].sort(
              (x, y) =>
                x.user.localeCompare(y.user) ||
                byName(x.feed, y.feed) ||
                x.attribute.localeCompare(y.attribute),
            ),
          );
          expect(group.feeds).toEqual([...group.feeds].sort(byName));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('groups each flip under the grant that decides it now, or the permission it lost', () => {
    fc.assert(
      fc.property(policyArb, policyArb, (before, after) => {
        for (const group of accessDiff(before, after).groups) {
          for (const flip of group.flips) {
            const query = {
              user: flip.user,
              attribute: flip.attribute,
              ...(flip.feed ? { feed: flip.feed } : {}),
            };
            const side = group.causeSide === 'new' ? after : before;
            const exists = flip.feed === null || side.feeds.some((f) => f.name === flip.feed);
            expect(group.cause).toEqual(exists ? resolve(side, query).decidedBy : null);
            expect(group.change).toBe(flip.to ? 'granted' : 'revoked');
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('shows the worked example: the Production restriction revokes promotion into Production only', () => {
    const withoutRestriction = parsePolicy({
      ...promote,
      permissions: promote.permissions.filter((_, i) => i !== 2),
    });
    const withRestriction = parsePolicy(promote);
    const diff = accessDiff(withoutRestriction, withRestriction);
    expect(diff.totals).toEqual({ flips: 4, users: 1, granted: 0, revoked: 4 });
    const [group] = diff.groups;
    expect(diff.groups).toHaveLength(1);
    expect(group?.cause).toMatchObject({
      index: 2,
      group: 'Developers',
      feed: 'Production',
      deny: true,
    });
    expect(group?.users).toEqual(['alice']); // bob's own permission still comes first
    expect(group?.feeds).toEqual(['Production']);
    expect(group?.attributes).toEqual([
      'Feeds_ViewFeed',
      'Feeds_DownloadPackage',
      'Feeds_AddPackage',
      'Feeds_AcceptPackagePromotions',
    ]);
  });

  it('is empty for the same policy written in another order', () => {
    const policy = parsePolicy(promote);
    const reordered = parsePolicy({ ...promote, permissions: [...promote.permissions].reverse() });
    expect(accessDiff(policy, reordered).totals.flips).toBe(0);
  });
  it('keeps counts, users and feeds whole when a large group keeps only some example flips', () => {
    const file = {
      format: 'feedgate-policy/1',
      users: Array.from({ length: 60 }, (_, i) => ({ name: `u${i}`, groups: ['all'] })),
      groups: [{ name: 'all' }],
      feeds: Array.from({ length: 40 }, (_, i) => ({ name: `f${i}` })),
      permissions: [] as object[],
    };
    const before = parsePolicy(file);
    const after = parsePolicy({
      ...file,
      permissions: [{ group: 'all', task: 'View & Download Packages' }],
    });
    const expected = bruteForce(before, after);
    const diff = accessDiff(before, after);
    expect(diff.groups).toHaveLength(1);
    const [group] = diff.groups;
    expect(group!.count).toBe(expected.length);
    expect(group!.count).toBeGreaterThan(MAX_FLIPS_PER_GROUP);
    expect(group!.truncated).toBe(true);
    expect(group!.flips).toHaveLength(MAX_FLIPS_PER_GROUP);
    const real = new Set(expected.map(key));
    for (const flip of group!.flips) expect(real.has(key(flip)), key(flip)).toBe(true);
    expect(group!.users).toEqual([...new Set(expected.map((f) => f.user))].sort());
    expect(new Set(group!.feeds)).toEqual(new Set(expected.map((f) => f.feed)));
    expect(diff.totals).toMatchObject({ flips: expected.length, granted: expected.length });
  });
});
