import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_IDS, compile, parsePolicy, resolve, type Query } from '../../src/core/index';

// The compiled evaluator's per-user rows keep small filters of the feeds a user's own grants
// name (feed id modulo 16) and at most three group views inline. Feeds whose ids share a
// filter bit, users in more groups than fit, and 32-bit rows must all decide as resolve().
const FEEDS = Array.from({ length: 40 }, (_, i) => `feed-${i}`);
const GROUPS = Array.from({ length: 6 }, (_, i) => `group-${i}`);

const policy = parsePolicy({
  format: 'feedgate-policy/1',
  users: [
    // Own grants on feed 1 and feed group 0: feeds 17 and 33 share feed 1's filter bit.
    { name: 'filtered' },
    // Five direct groups: more than a row holds inline.
    { name: 'many', groups: GROUPS.slice(0, 5) },
    { name: 'few', groups: GROUPS.slice(4) },
  ],
  groups: GROUPS.map((name) => ({ name })),
  feedGroups: [{ name: 'fg-0' }, { name: 'fg-16' }],
  feeds: FEEDS.map((name, i) => ({
    name,
    ...(i % 5 === 0 ? { feedGroup: i % 2 === 0 ? 'fg-0' : 'fg-16' } : {}),
    ...(i % 7 === 0 ? { access: 'public' } : {}),
  })),
  permissions: [
    { user: 'filtered', task: 'Publish Packages', feed: 'feed-1' },
    { user: 'filtered', task: 'View & Download Packages', feedGroup: 'fg-0', deny: true },
    { user: 'filtered', task: 'Administer' },
    ...GROUPS.map((group, i) => ({ group, task: 'View & Download Packages', feed: FEEDS[i * 3] })),
    { group: 'group-4', task: 'Promote Packages', feedGroup: 'fg-16' },
    { group: 'group-2', task: 'Publish Packages', feed: 'feed-17', deny: true },
    { group: 'group-5', task: 'Manage Feed' },
    { group: 'Authenticated', task: 'View & Download Packages', feed: 'feed-33' },
  ],
});

function* queries(): Generator<Query> {
  for (const user of ['filtered', 'many', 'few', 'Anonymous', 'nobody'])
    for (const attribute of ATTRIBUTE_IDS) {
      yield { user, attribute };
      for (const feed of FEEDS) yield { user, attribute, feed };
    }
}

describe('compiled per-user rows', () => {
  for (const wideRows of [false, true]) {
    it(`decide as resolve() with ${wideRows ? '32' : '16'}-bit fields`, () => {
      const compiled = compile(policy, { wideRows });
      let checked = 0;
      for (const query of queries()) {
        const reference = resolve(policy, query);
        const fast = compiled.check(query);
        expect({ allowed: fast.allowed, decidedBy: fast.decidedBy }, JSON.stringify(query)).toEqual(
          { allowed: reference.allowed, decidedBy: reference.decidedBy },
        );
        expect(compiled.isAllowed(query.user, query.attribute, query.feed)).toBe(reference.allowed);
        checked++;
      }
      expect(checked).toBe(5 * ATTRIBUTE_IDS.length * (FEEDS.length + 1));
    });
  }

  it('answers with the same verdict object for the same deciding grant', () => {
    const compiled = compile(policy);
    const a = compiled.check({ user: 'filtered', attribute: 'Admin_ConfigureProGet' });
    const b = compiled.check({ user: 'filtered', attribute: 'Admin_ManageFeed' });
    expect(a.decidedBy?.index).toBe(2);
    expect(b).toBe(a);
  });
});
