// Property tests: the compiled evaluator decides exactly as the reference resolver, over
// generated policies (nested groups with cycles, every feed access type, custom tasks with
// proxies, grants to virtual principals at every scope), and the reference decision does
// not depend on the order in which users, groups and feeds are declared.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTE_IDS,
  BUILT_IN_TASKS,
  FEED_ACCESS_TYPES,
  compile,
  isFeedScopableTask,
  isFeedScopedAttribute,
  parsePolicy,
  resolve,
  type FeedMasks,
  type Policy,
  type Query,
} from '../../src/core/index';

const names = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const FEED_ATTRIBUTES = ATTRIBUTE_IDS.filter(isFeedScopedAttribute);
const attributeSet = fc.oneof(
  fc.subarray([...FEED_ATTRIBUTES]),
  fc.subarray([...ATTRIBUTE_IDS]),
  fc.subarray([...ATTRIBUTE_IDS], { maxLength: 3 }),
  fc.constant(['Admin_ManageFeed']),
  fc.constant(['Admin_ConfigureProGet']),
  fc.subarray([...FEED_ATTRIBUTES], { maxLength: 3 }).map((a) => ['Admin_ManageFeed', ...a]),
  fc.subarray([...ATTRIBUTE_IDS], { maxLength: 3 }).map((a) => ['Admin_ConfigureProGet', ...a]),
);

interface RawPermission {
  principal: { user: string } | { group: string };
  task: string;
  scope: 'global' | { feed: string } | { feedGroup: string };
  deny: boolean | undefined;
}

interface Generated {
  file: Record<string, unknown>;
  users: string[];
  feeds: string[];
}

/** A valid policy file object: parsePolicy accepts it. */
const policyFileArb: fc.Arbitrary<Generated> = fc
  .record({
    nUsers: fc.integer({ min: 0, max: 12 }),
    nGroups: fc.integer({ min: 0, max: 8 }),
    nFeedGroups: fc.integer({ min: 0, max: 3 }),
    nFeeds: fc.integer({ min: 0, max: 6 }),
    customTaskNames: fc.uniqueArray(
      fc.constantFrom(
        't0',
        't1',
        't2',
        't3',
        't4',
        'Manage Feed',
        'Administer',
        'View & Download Packages',
      ),
      { maxLength: 5 },
    ),
  })
  .chain(({ nUsers, nGroups, nFeedGroups, nFeeds, customTaskNames }) => {
    const users = names('u', nUsers);
    const groups = names('g', nGroups);
    const feedGroups = names('fg', nFeedGroups);
    const feeds = names('f', nFeeds);
    const taskNames = [...new Set([...BUILT_IN_TASKS.map((t) => t.name), ...customTaskNames])];
    const userPrincipal = fc.constantFrom(...users, 'Anonymous').map((user) => ({ user }));
    const groupPrincipal = fc
      .constantFrom(...groups, 'Authenticated', 'Everyone')
      .map((group) => ({ group }));
    const scopes: fc.Arbitrary<RawPermission['scope']>[] = [fc.constant('global' as const)];
    if (feeds.length > 0) scopes.push(fc.constantFrom(...feeds).map((feed) => ({ feed })));
    if (feedGroups.length > 0)
      scopes.push(fc.constantFrom(...feedGroups).map((feedGroup) => ({ feedGroup })));
    const permission: fc.Arbitrary<RawPermission> = fc.record({
      principal: fc.oneof(userPrincipal, groupPrincipal),
      task: fc.constantFrom(...taskNames),
      scope: fc.oneof(...scopes),
      deny: fc.constantFrom(true, false, undefined),
    });
    const subsetOf = (list: string[]) =>
      list.length === 0
        ? fc.constant([] as string[])
        : fc.subarray(list, { maxLength: Math.min(3, list.length) });
    return fc.record({
      users: fc.constant(users),
      feedNames: fc.constant(feeds),
      userGroups: fc.array(subsetOf(groups), { minLength: nUsers, maxLength: nUsers }),
      groupUsers: fc.array(subsetOf(users), { minLength: nGroups, maxLength: nGroups }),
      // Any group may nest any other, itself included: cycles and self-nesting happen.
      groupGroups: fc.array(subsetOf(groups), { minLength: nGroups, maxLength: nGroups }),
      groupNames: fc.constant(groups),
      feedGroups: fc.constant(feedGroups),
      feeds: fc.array(
        fc.record({
          feedGroup:
            feedGroups.length > 0
              ? fc.option(fc.constantFrom(...feedGroups), { nil: undefined })
              : fc.constant(undefined),
          access: fc.option(fc.constantFrom(...FEED_ACCESS_TYPES), { nil: undefined }),
        }),
        { minLength: nFeeds, maxLength: nFeeds },
      ),
      tasks: fc.tuple(
        ...customTaskNames.map((name) => attributeSet.map((attributes) => ({ name, attributes }))),
      ),
      permissions: fc.array(permission, { maxLength: 40, size: 'medium' }),
      duplicates: fc.array(fc.nat(), { maxLength: 4 }),
    });
  })
  .map((g) => {
    const effective = new Map<string, readonly string[]>(
      BUILT_IN_TASKS.map((t) => [t.name, t.attributes]),
    );
    for (const t of g.tasks) effective.set(t.name, t.attributes);
    const permissions = g.permissions.map((p) => {
      // A task that is not feed-scopable may only be granted globally.
      const scope = isFeedScopableTask(effective.get(p.task) ?? []) ? p.scope : 'global';
      return {
        ...p.principal,
        task: p.task,
        ...(scope === 'global' ? {} : scope),
        ...(p.deny === undefined ? {} : { deny: p.deny }),
      };
    });
    if (permissions.length > 0)
      for (const i of g.duplicates) permissions.push({ ...permissions[i % permissions.length]! });
    const file = {
      format: 'feedgate-policy/1',
      users: g.users.map((name, i) => ({
        name,
        ...(g.userGroups[i]!.length > 0 && { groups: g.userGroups[i] }),
      })),
      groups: g.groupNames.map((name, i) => ({
        name,
        users: g.groupUsers[i],
        groups: g.groupGroups[i],
      })),
      feedGroups: g.feedGroups.map((name) => ({ name })),
      feeds: g.feedNames.map((name, i) => ({ name, ...g.feeds[i] })),
      ...(g.tasks.length > 0 && { tasks: g.tasks }),
      permissions,
    };
    return {
      file: JSON.parse(JSON.stringify(file)) as Record<string, unknown>,
      users: g.users,
      feeds: g.feedNames,
    };
  });

function queryArb(users: string[], feeds: string[]): fc.Arbitrary<Query> {
  const principals = [...users, 'Anonymous', 'stranger'];
  return fc
    .record({
      user: fc.constantFrom(...principals),
      attribute: fc.oneof(
        { weight: 30, arbitrary: fc.constantFrom(...FEED_ATTRIBUTES) },
        { weight: 20, arbitrary: fc.constantFrom(...ATTRIBUTE_IDS) },
        { weight: 1, arbitrary: fc.constant('Feeds_Bogus') },
      ),
      feed: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        {
          weight: feeds.length > 0 ? 15 : 0,
          arbitrary: feeds.length > 0 ? fc.constantFrom(...feeds) : fc.constant(undefined),
        },
        { weight: 1, arbitrary: fc.constant('no-such-feed') },
      ),
      owner: fc.oneof(
        fc.constant<'none'>('none'),
        fc.constant<'same'>('same'),
        fc.constantFrom(...principals),
      ),
    })
    .map(({ user, attribute, feed, owner }) => {
      const query: Query = { user, attribute };
      if (feed !== undefined) query.feed = feed;
      if (owner === 'same') query.owner = user;
      else if (owner !== 'none') query.owner = owner;
      return query;
    });
}

const casesArb = policyFileArb.chain((g) =>
  fc.tuple(fc.constant(g), fc.array(queryArb(g.users, g.feeds), { minLength: 50, maxLength: 50 })),
);

describe('compile(policy).check(q) equals resolve(policy, q)', () => {
  it('in allowed, decidedBy and errors, over 1,000 generated policies × 50 queries', () => {
    const bit = new Map(ATTRIBUTE_IDS.map((a, i) => [a, i]));
    fc.assert(
      fc.property(casesArb, ([g, queries]) => {
        const policy = parsePolicy(g.file);
        const compiled = compile(policy);
        const wide = compile(policy, { wideRows: true });
        // Arrays handed back from an earlier call (another user) must be filled like fresh ones.
        let reused: FeedMasks | undefined;
        for (const query of queries) {
          const reference = resolve(policy, query);
          const fast = compiled.check(query);
          expect(
            { allowed: fast.allowed, decidedBy: fast.decidedBy, errors: [...fast.errors] },
            JSON.stringify(query),
          ).toEqual({
            allowed: reference.allowed,
            decidedBy: reference.decidedBy,
            errors: reference.errors,
          });
          // 32-bit rows (policies of 65,535 grants or more) decide the same.
          expect(wide.check(query), `wide rows ${JSON.stringify(query)}`).toEqual(fast);
          expect(
            compiled.isAllowed(query.user, query.attribute, query.feed, query.owner),
            `isAllowed ${JSON.stringify(query)}`,
          ).toBe(reference.allowed);
          expect(reference.trace[0]?.grant ?? null).toEqual(reference.decidedBy);
          expect(compiled.explain(query), JSON.stringify(query)).toEqual(reference);
          if (reference.errors.length === 0) {
            const mask = compiled.allowedMask(query.user, query.feed, query.owner);
            const index = compiled.attributeIds.indexOf(query.attribute);
            expect(index).toBe(bit.get(query.attribute));
            expect(((mask >>> index) & 1) === 1, `allowedMask ${JSON.stringify(query)}`).toBe(
              reference.allowed,
            );
            if (query.owner === undefined) {
              const masks = compiled.allowedMasks(query.user);
              const again = compiled.allowedMasks(query.user, reused);
              expect([again.system, [...again.feeds], [...again.touched]]).toEqual([
                masks.system,
                [...masks.feeds],
                [...masks.touched],
              ]);
              reused = again;
              const all =
                query.feed === undefined ? masks.system : masks.feeds[g.feeds.indexOf(query.feed)]!;
              expect(((all >>> index) & 1) === 1, `allowedMasks ${JSON.stringify(query)}`).toBe(
                reference.allowed,
              );
            }
          }
        }
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});

/** The same file with users, groups and feeds declared in another order. */
function shuffled(g: Generated): fc.Arbitrary<Record<string, unknown>> {
  const permutation = (list: unknown[]) =>
    fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length });
  const file = g.file as { users: unknown[]; groups: unknown[]; feeds: unknown[] };
  return fc
    .tuple(permutation(file.users), permutation(file.groups), permutation(file.feeds))
    .map(([users, groups, feeds]) => ({ ...g.file, users, groups, feeds }));
}

describe('the reference decision is independent of declaration order', () => {
  it('shuffling users, groups and feeds changes no decision', () => {
    const arb = policyFileArb.chain((g) =>
      fc.tuple(
        fc.constant(g),
        shuffled(g),
        fc.array(queryArb(g.users, g.feeds), { minLength: 30, maxLength: 30 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([g, other, queries]) => {
        const a: Policy = parsePolicy(g.file);
        const b: Policy = parsePolicy(other);
        for (const query of queries) {
          const x = resolve(a, query);
          const y = resolve(b, query);
          expect(y.allowed, JSON.stringify(query)).toBe(x.allowed);
          expect(y.decidedBy, JSON.stringify(query)).toEqual(x.decidedBy);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
