// Generated small valid policies for the diff and merge property tests. Names come from
// small pools so that two generated policies overlap a lot (the interesting case for diffs
// and merges); every list is shuffled so that order must never matter.
import fc from 'fast-check';
import {
  BUILT_IN_TASKS,
  FEED_ACCESS_TYPES,
  isFeedScopableTask,
  parsePolicy,
  type Policy,
} from '../../src/core/index';

const USERS = ['alice', 'bob', 'carol', 'dave'];
const GROUPS = ['Admins', 'Devs', 'Ops'];
const FEED_GROUPS = ['fg1', 'fg2'];
const FEEDS = ['f1', 'f2', 'f3'];
const CUSTOM_TASKS = ['T1', 'T2', 'Promote Packages'];
const ATTRS = [
  'Feeds_ViewFeed',
  'Feeds_DownloadPackage',
  'Feeds_AddPackage',
  'Admin_ViewScheduledTasks',
  'Projects_View',
];

const subset = (list: string[]) => fc.shuffledSubarray(list);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A policy file object that parsePolicy accepts. */
export const policyFileArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    users: subset(USERS),
    groups: subset(GROUPS),
    feedGroups: subset(FEED_GROUPS),
    feeds: subset(FEEDS),
    tasks: subset(CUSTOM_TASKS),
  })
  .chain((names) => {
    const memberOf = (list: string[]) => (list.length === 0 ? fc.constant([]) : subset(list));
    return fc.record({
      users: fc.tuple(
        ...names.users.map((name) =>
          fc.record({
            name: fc.constant(name),
            displayName: opt(fc.constantFrom('A', 'B')),
            email: opt(fc.constantFrom('x@example.org', 'y@example.org')),
            groups: memberOf(names.groups),
          }),
        ),
      ),
      groups: fc.tuple(
        ...names.groups.map((name) =>
          fc.record({
            name: fc.constant(name),
            users: memberOf(names.users),
            groups: memberOf(names.groups),
          }),
        ),
      ),
      feedGroups: fc.constant(names.feedGroups.map((name) => ({ name }))),
      feeds: fc.tuple(
        ...names.feeds.map((name) =>
          fc.record({
            name: fc.constant(name),
            feedType: opt(fc.constantFrom('nuget', 'npm', 'universal')),
            access: opt(fc.constantFrom(...FEED_ACCESS_TYPES)),
            feedGroup:
              names.feedGroups.length > 0
                ? opt(fc.constantFrom(...names.feedGroups))
                : fc.constant(undefined),
          }),
        ),
      ),
      tasks: fc.tuple(
        ...names.tasks.map((name) =>
          fc.record({
            name: fc.constant(name),
            description: opt(fc.constantFrom('', 'd1', 'd2')),
            attributes: subset(ATTRS),
          }),
        ),
      ),
      permissions: fc.array(
        fc.record({
          principal: fc.oneof(
            fc.constantFrom(...names.users, 'Anonymous').map((user) => ({ user })),
            fc.constantFrom(...names.groups, 'Everyone').map((group) => ({ group })),
          ),
          task: fc.constantFrom(...BUILT_IN_TASKS.map((t) => t.name), ...names.tasks),
          scope: fc.oneof(
            fc.constant({}),
            ...(names.feeds.length > 0
              ? [fc.constantFrom(...names.feeds).map((feed) => ({ feed }))]
              : []),
            ...(names.feedGroups.length > 0
              ? [fc.constantFrom(...names.feedGroups).map((feedGroup) => ({ feedGroup }))]
              : []),
          ),
          deny: opt(fc.boolean()),
        }),
        { maxLength: 10 },
      ),
    });
  })
  .map((g) => {
    const attrs = new Map<string, readonly string[]>(
      BUILT_IN_TASKS.map((t) => [t.name, t.attributes]),
    );
    for (const t of g.tasks) attrs.set(t.name, t.attributes);
    const permissions = g.permissions
      .filter(
        (p) => Object.keys(p.scope).length === 0 || isFeedScopableTask(attrs.get(p.task) ?? []),
      )
      .map((p) => defined({ ...p.principal, task: p.task, ...p.scope, deny: p.deny }));
    return {
      users: g.users.map(defined),
      groups: g.groups,
      feedGroups: g.feedGroups,
      feeds: g.feeds.map(defined),
      tasks: g.tasks.map(defined),
      permissions,
    };
  });

export const policyArb: fc.Arbitrary<Policy> = policyFileArb.map((file) => parsePolicy(file));
