// The compiled trace equals the reference resolver: over generated policies of the benchmark's
// shape (nested groups with a cycle, feed groups, every access type, restrictions at every
// scope), for the same user asked again and again (its prepared lists are reused), and where
// implicit grants sort among explicit ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePolicy, rng } from '../../test/bench/generate';
import { ATTRIBUTE_IDS } from './catalog';
import { compiledExplainer } from './compiled-trace';
import type { Query } from './model';
import { parsePolicy } from './parse';
import { resolve } from './resolve';

describe('compiledExplainer(policy)(query) equals resolve(policy, query)', () => {
  it('over generated policies, with each user asked many times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const policy = generatePolicy({ users: 30, groups: 12, feeds: 12, grants: 200 }, seed);
        const explain = compiledExplainer(policy);
        const random = rng(seed);
        const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
        const users = [...policy.users.map((u) => u.name), 'Anonymous', 'stranger'];
        const feeds = [...policy.feeds.map((f) => f.name), undefined, 'no-such-feed'];
        for (let i = 0; i < 300; i++) {
          const user = pick(users);
          const query: Query = { user, attribute: pick(ATTRIBUTE_IDS) };
          const feed = pick(feeds);
          if (feed !== undefined) query.feed = feed;
          if (random() < 0.3) query.owner = random() < 0.5 ? user : pick(users);
          expect(explain(query), JSON.stringify(query)).toEqual(resolve(policy, query));
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('places implicit grants after explicit group grants at feed scope and before feed-group ones', () => {
    const policy = parsePolicy({
      users: [{ name: 'ann', groups: ['Staff'] }],
      groups: [{ name: 'Staff' }],
      feedGroups: [{ name: 'internal' }],
      feeds: [{ name: 'comm', access: 'community', feedGroup: 'internal' }],
      permissions: [
        { group: 'Staff', task: 'View & Download Packages', feedGroup: 'internal', deny: true },
        { group: 'Everyone', task: 'View & Download Packages', feed: 'comm' },
        { group: 'Staff', task: 'View & Download Packages', feed: 'comm', deny: true },
        { user: 'ann', task: 'View & Download Packages' },
      ],
    });
    const query = { user: 'ann', attribute: 'Feeds_DownloadPackage', feed: 'comm' };
    const decision = compiledExplainer(policy)(query);
    expect(decision).toEqual(resolve(policy, query));
    expect(decision.trace.map((t) => t.grant.implicit ?? t.grant.index)).toEqual([
      3,
      2,
      1,
      'community',
      0,
    ]);
  });
});
