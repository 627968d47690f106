// Three-way merge of change sets: one case per rule, resolution of conflicts, and
// properties over generated policies (empty side, self-merge, symmetry, validity).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChangeSet, type ChangeSet, type Operation } from '../../src/core/change-set';
import { factId, factsBetween } from '../../src/core/change-facts';
import { canonicalPolicy, diffPolicies } from '../../src/core/diff';
import { mergeChangeSets, resolveConflicts, type MergeResult } from '../../src/core/merge';
import { parsePolicy, type Policy } from '../../src/core/index';
import { policyArb } from '../helpers/change-set-arbitrary';

const base = (): Policy =>
  parsePolicy({
    users: [
      { name: 'bob', displayName: 'Bob', groups: ['Developers'] },
      { name: 'alice', email: 'alice@example.org' },
    ],
    groups: [{ name: 'Developers' }, { name: 'Admins', users: ['alice'] }],
    feedGroups: [{ name: 'prod' }],
    feeds: [
      { name: 'Production', feedType: 'nuget', feedGroup: 'prod' },
      { name: 'Dev', feedType: 'npm' },
    ],
    tasks: [{ name: 'Readers', description: 'read', attributes: ['Feeds_ViewFeed'] }],
    permissions: [
      { group: 'Developers', task: 'Promote Packages' },
      { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
      { user: 'bob', task: 'Readers', feed: 'Dev' },
    ],
  });

const set = (...operations: Operation[]): ChangeSet => ({ operations });
const EMPTY = set();
const DEV_PROMOTE = 'group:Developers|Promote Packages|global|allow';
const DEV_PROD_DENY = 'group:Developers|Promote Packages|feed:Production|deny';
const BOB_READERS = 'user:bob|Readers|feed:Dev|allow';
const same = (a: Policy, b: Policy) => expect(canonicalPolicy(a)).toEqual(canonicalPolicy(b));
const user = (p: Policy, name: string) => p.users.find((u) => u.name === name);
const merge = (ours: ChangeSet, theirs: ChangeSet) => mergeChangeSets(base(), ours, theirs);
const resolveAll = (r: MergeResult, choice: 'ours' | 'theirs' | 'base') =>
  resolveConflicts(base(), r, Object.fromEntries(r.conflicts.map((c) => [c.id, choice])));

describe('mergeChangeSets', () => {
  it('applies identical changes once', () => {
    const ops = set(
      { op: 'add', kind: 'permission', item: { user: 'alice', task: 'Readers', feed: 'Dev' } },
      {
        op: 'update',
        kind: 'user',
        key: 'bob',
        changes: { displayName: { from: 'Bob', to: 'Robert' } },
      },
    );
    const r = merge(ops, structuredClone(ops));
    expect(r.conflicts).toEqual([]);
    expect(r.applied.operations).toHaveLength(2);
    same(r.merged, applyChangeSet(base(), ops));
  });

  it('applies changes to different items, and to different fields of one item', () => {
    const r = merge(
      set(
        {
          op: 'update',
          kind: 'user',
          key: 'bob',
          changes: { displayName: { from: 'Bob', to: 'Robert' } },
        },
        {
          op: 'update',
          kind: 'feed',
          key: 'Dev',
          changes: { access: { from: 'private', to: 'public' } },
        },
      ),
      set(
        {
          op: 'update',
          kind: 'user',
          key: 'bob',
          changes: { email: { from: null, to: 'bob@example.org' } },
        },
        {
          op: 'update',
          kind: 'feed',
          key: 'Dev',
          changes: { feedType: { from: 'npm', to: 'nuget' } },
        },
        { op: 'add', kind: 'feedGroup', item: { name: 'staging' } },
      ),
    );
    expect(r.conflicts).toEqual([]);
    expect(user(r.merged, 'bob')).toEqual({
      name: 'bob',
      displayName: 'Robert',
      email: 'bob@example.org',
      groups: ['Developers'],
    });
    expect(r.merged.feeds.find((f) => f.name === 'Dev')).toEqual({
      name: 'Dev',
      feedType: 'nuget',
      access: 'public',
    });
    expect(r.merged.feedGroups.map((f) => f.name)).toEqual(['prod', 'staging']);
  });

  it('merges concurrent membership and attribute edits as sets', () => {
    const r = merge(
      set(
        { op: 'update', kind: 'user', key: 'bob', changes: { groups: { added: ['Admins'] } } },
        {
          op: 'update',
          kind: 'task',
          key: 'Readers',
          changes: { attributes: { added: ['Feeds_DownloadPackage'] } },
        },
      ),
      set(
        {
          op: 'update',
          kind: 'group',
          key: 'Developers',
          changes: { users: { added: ['alice'], removed: ['bob'] } },
        },
        {
          op: 'update',
          kind: 'task',
          key: 'Readers',
          changes: { attributes: { added: ['Feeds_AddPackage'] } },
        },
      ),
    );
    expect(r.conflicts).toEqual([]);
    expect(user(r.merged, 'bob')?.groups).toEqual(['Admins']);
    expect(user(r.merged, 'alice')?.groups.sort()).toEqual(['Admins', 'Developers']);
    expect(r.merged.tasks.find((t) => t.name === 'Readers')?.attributes.sort()).toEqual([
      'Feeds_AddPackage',
      'Feeds_DownloadPackage',
      'Feeds_ViewFeed',
    ]);
  });

  it('conflicts on one field changed to different values, keeping the base value', () => {
    const r = merge(
      set({
        op: 'update',
        kind: 'feed',
        key: 'Dev',
        changes: {
          access: { from: 'private', to: 'public' },
          feedType: { from: 'npm', to: 'nuget' },
        },
      }),
      set({
        op: 'update',
        kind: 'feed',
        key: 'Dev',
        changes: { access: { from: 'private', to: 'community' } },
      }),
    );
    expect(r.conflicts).toEqual([
      {
        id: 'feed:Dev:access',
        kind: 'feed',
        key: 'Dev',
        reason: 'both sides change access of feed "Dev", to different values',
        base: 'private',
        ours: 'public',
        theirs: 'community',
        operations: {
          ours: [
            {
              op: 'update',
              kind: 'feed',
              key: 'Dev',
              changes: { access: { from: 'private', to: 'public' } },
            },
          ],
          theirs: [
            {
              op: 'update',
              kind: 'feed',
              key: 'Dev',
              changes: { access: { from: 'private', to: 'community' } },
            },
          ],
        },
      },
    ]);
    expect(r.merged.feeds.find((f) => f.name === 'Dev')).toEqual({
      name: 'Dev',
      feedType: 'nuget',
      access: 'private',
    });
    expect(
      resolveConflicts(base(), r, { 'feed:Dev:access': 'theirs' }).feeds.find(
        (f) => f.name === 'Dev',
      )?.access,
    ).toBe('community');
    expect(
      resolveConflicts(base(), r, { 'feed:Dev:access': 'ours' }).feeds.find((f) => f.name === 'Dev')
        ?.access,
    ).toBe('public');
    expect(
      resolveConflicts(base(), r, { 'feed:Dev:access': 'base' }).feeds.find((f) => f.name === 'Dev')
        ?.access,
    ).toBe('private');
  });

  it('conflicts when one side removes an item the other updates', () => {
    const removeBob = set(
      { op: 'remove', kind: 'permission', key: BOB_READERS },
      { op: 'remove', kind: 'user', key: 'bob' },
    );
    const r = merge(
      removeBob,
      set({
        op: 'update',
        kind: 'user',
        key: 'bob',
        changes: { email: { from: null, to: 'b@example.org' } },
      }),
    );
    expect(r.conflicts.map((c) => [c.id, c.reason])).toEqual([
      ['user:bob', 'ours removes user "bob"; theirs changes email of user "bob"'],
    ]);
    expect(r.conflicts[0]?.theirs).toEqual({
      name: 'bob',
      displayName: 'Bob',
      email: 'b@example.org',
      groups: ['Developers'],
    });
    expect(r.conflicts[0]?.ours).toBeNull();
    expect(user(r.merged, 'bob')).toEqual({
      name: 'bob',
      displayName: 'Bob',
      groups: ['Developers'],
    });
    expect(r.merged.permissions.map((p) => p.user ?? p.group)).not.toContain('bob'); // the grant removal did not conflict
    expect(user(resolveAll(r, 'ours'), 'bob')).toBeUndefined();
    expect(user(resolveAll(r, 'theirs'), 'bob')?.email).toBe('b@example.org');
  });

  it('conflicts when one side removes a principal the other grants to or adds members to', () => {
    const removeDevelopers = set(
      { op: 'remove', kind: 'permission', key: DEV_PROMOTE },
      { op: 'remove', kind: 'permission', key: DEV_PROD_DENY },
      { op: 'remove', kind: 'group', key: 'Developers' },
    );
    const r = merge(
      removeDevelopers,
      set(
        {
          op: 'add',
          kind: 'permission',
          item: { group: 'Developers', task: 'Readers', feed: 'Dev' },
        },
        {
          op: 'update',
          kind: 'user',
          key: 'alice',
          changes: { groups: { added: ['Developers'] } },
        },
      ),
    );
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]).toMatchObject({
      id: 'group:Developers',
      kind: 'group',
      key: 'Developers',
      ours: null,
    });
    expect(r.conflicts[0]?.reason).toBe(
      'ours removes group "Developers"; theirs adds permission group Developers · Readers · feed Dev (permission), adds user "alice" to group "Developers"',
    );
    // Base kept: the group stays, the new grant and membership stay out; the grant removals apply.
    expect(r.merged.groups.map((g) => g.name)).toContain('Developers');
    expect(r.merged.permissions).toEqual([
      { user: 'bob', task: 'Readers', feed: 'Dev', deny: false },
    ]);
    expect(user(r.merged, 'alice')?.groups).toEqual(['Admins']);
    const ours = resolveAll(r, 'ours');
    expect(ours.groups.map((g) => g.name)).toEqual(['Admins']);
    const theirs = resolveAll(r, 'theirs');
    expect(theirs.permissions).toContainEqual({
      group: 'Developers',
      task: 'Readers',
      feed: 'Dev',
      deny: false,
    });
    expect(user(theirs, 'alice')?.groups.sort()).toEqual(['Admins', 'Developers']);
  });

  it('conflicts when one side removes a task, feed or feed group the other side starts using', () => {
    const r = merge(
      set(
        { op: 'remove', kind: 'permission', key: BOB_READERS },
        { op: 'remove', kind: 'task', key: 'Readers' },
        {
          op: 'update',
          kind: 'feed',
          key: 'Production',
          changes: { feedGroup: { from: 'prod', to: null } },
        },
        { op: 'remove', kind: 'feedGroup', key: 'prod' },
      ),
      set(
        { op: 'add', kind: 'permission', item: { user: 'alice', task: 'Readers' } },
        { op: 'add', kind: 'feed', item: { name: 'Prod2', feedGroup: 'prod' } },
        // Depends on the new feed, which the feed-group conflict keeps out: it joins that conflict.
        {
          op: 'add',
          kind: 'permission',
          item: { user: 'alice', task: 'Publish Packages', feed: 'Prod2' },
        },
      ),
    );
    expect(r.conflicts.map((c) => c.id)).toEqual(['feedGroup:prod', 'task:Readers']);
    const fg = r.conflicts[0];
    expect(fg?.operations.theirs.map((o) => `${o.op} ${o.kind}`)).toEqual([
      'add feed',
      'add permission',
    ]);
    expect(r.merged.feeds.map((f) => f.name).sort()).toEqual(['Dev', 'Production']);
    expect(r.merged.feedGroups).toEqual([{ name: 'prod' }]);
    expect(r.merged.permissions.map((p) => p.task)).toEqual([
      'Promote Packages',
      'Promote Packages',
    ]);
    const theirs = resolveAll(r, 'theirs');
    expect(theirs.feeds.find((f) => f.name === 'Prod2')?.feedGroup).toBe('prod');
    expect(theirs.permissions).toContainEqual({
      user: 'alice',
      task: 'Publish Packages',
      feed: 'Prod2',
      deny: false,
    });
    expect(resolveAll(r, 'ours').feedGroups).toEqual([]);
  });

  it('conflicts when both sides add the same grant with opposite deny', () => {
    const r = merge(
      set({
        op: 'add',
        kind: 'permission',
        item: { user: 'alice', task: 'Readers', feed: 'Dev', deny: false },
      }),
      set({
        op: 'add',
        kind: 'permission',
        item: { user: 'alice', task: 'Readers', feed: 'Dev', deny: true },
      }),
    );
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]).toMatchObject({
      id: 'permission:user:alice|Readers|feed:Dev',
      kind: 'permission',
      key: 'user:alice|Readers|feed:Dev',
      base: [],
      ours: [{ user: 'alice', task: 'Readers', feed: 'Dev', deny: false }],
      theirs: [{ user: 'alice', task: 'Readers', feed: 'Dev', deny: true }],
    });
    expect(r.merged.permissions).toHaveLength(3);
    expect(resolveAll(r, 'theirs').permissions).toContainEqual({
      user: 'alice',
      task: 'Readers',
      feed: 'Dev',
      deny: true,
    });
  });

  it('conflicts when one side flips a grant and the other removes it', () => {
    const r = merge(
      set(
        { op: 'remove', kind: 'permission', key: DEV_PROD_DENY },
        {
          op: 'add',
          kind: 'permission',
          item: { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: false },
        },
      ),
      set({ op: 'remove', kind: 'permission', key: DEV_PROD_DENY }),
    );
    expect(r.conflicts.map((c) => [c.id, c.reason])).toEqual([
      [
        'permission:group:Developers|Promote Packages|feed:Production',
        'ours turns the grant into a permission, theirs removes it',
      ],
    ]);
    same(r.merged, base());
    expect(resolveAll(r, 'theirs').permissions).toHaveLength(2);
    expect(resolveAll(r, 'ours').permissions).toContainEqual({
      group: 'Developers',
      task: 'Promote Packages',
      feed: 'Production',
      deny: false,
    });
  });

  it('conflicts when one side makes a task system-wide and the other grants it at a feed', () => {
    const r = merge(
      set(
        { op: 'remove', kind: 'permission', key: BOB_READERS },
        {
          op: 'update',
          kind: 'task',
          key: 'Readers',
          changes: { attributes: { added: ['Admin_ViewScheduledTasks'] } },
        },
      ),
      set({
        op: 'add',
        kind: 'permission',
        item: { group: 'Admins', task: 'Readers', feedGroup: 'prod' },
      }),
    );
    expect(r.conflicts.map((c) => c.id)).toEqual(['task:Readers:scope']);
    expect(r.merged.tasks.find((t) => t.name === 'Readers')?.attributes).toEqual([
      'Feeds_ViewFeed',
    ]);
    expect(() => resolveAll(r, 'ours')).not.toThrow();
    expect(() => resolveAll(r, 'theirs')).not.toThrow();
  });

  it('conflicts when both sides add one item with different content, with what depends on it', () => {
    const r = merge(
      set({
        op: 'add',
        kind: 'user',
        item: { name: 'carol', email: 'c@a.org', groups: ['Admins'] },
      }),
      set(
        { op: 'add', kind: 'user', item: { name: 'carol', email: 'c@b.org' } },
        { op: 'add', kind: 'permission', item: { user: 'carol', task: 'Readers', feed: 'Dev' } },
      ),
    );
    expect(r.conflicts.map((c) => c.id)).toEqual(['user:carol']);
    expect(r.conflicts[0]?.operations.ours).toEqual([
      { op: 'add', kind: 'user', item: { name: 'carol', email: 'c@a.org', groups: ['Admins'] } },
    ]);
    expect(r.conflicts[0]?.operations.theirs).toHaveLength(2);
    expect(user(r.merged, 'carol')).toBeUndefined();
    expect(resolveAll(r, 'ours').permissions).toHaveLength(3);
    expect(user(resolveAll(r, 'theirs'), 'carol')?.email).toBe('c@b.org');
  });

  it('merges both sides adding the same group with different members', () => {
    const r = merge(
      set({ op: 'add', kind: 'group', item: { name: 'QA', users: ['bob'] } }),
      set({ op: 'add', kind: 'group', item: { name: 'QA', users: ['alice'] } }),
    );
    expect(r.conflicts).toEqual([]);
    expect(r.merged.groups.find((g) => g.name === 'QA')?.users.sort()).toEqual(['alice', 'bob']);
  });

  it('keeps the merged policy valid when a kept item refers to an item both sides removed', () => {
    // Both remove feed group prod; each moves Production elsewhere, differently.
    const r = merge(
      set(
        {
          op: 'update',
          kind: 'feed',
          key: 'Production',
          changes: { feedGroup: { from: 'prod', to: null } },
        },
        { op: 'remove', kind: 'feedGroup', key: 'prod' },
      ),
      set(
        { op: 'add', kind: 'feedGroup', item: { name: 'live' } },
        {
          op: 'update',
          kind: 'feed',
          key: 'Production',
          changes: { feedGroup: { from: 'prod', to: 'live' } },
        },
        { op: 'remove', kind: 'feedGroup', key: 'prod' },
      ),
    );
    expect(r.conflicts.map((c) => c.id)).toEqual(['feed:Production:feedGroup']);
    expect(r.merged.feedGroups.map((f) => f.name).sort()).toEqual(['live', 'prod']);
    expect(resolveAll(r, 'ours').feedGroups).toEqual([{ name: 'live' }]);
    expect(resolveAll(r, 'theirs').feeds.find((f) => f.name === 'Production')?.feedGroup).toBe(
      'live',
    );
  });

  it('refuses a change set that does not apply to the base, naming the side', () => {
    expect(() => merge(EMPTY, set({ op: 'remove', kind: 'user', key: 'zed' }))).toThrow(
      /^theirs: operations\[0\]/,
    );
  });
});

describe('resolveConflicts', () => {
  const conflicted = () =>
    merge(
      set({
        op: 'update',
        kind: 'user',
        key: 'bob',
        changes: { displayName: { from: 'Bob', to: 'Robert' } },
      }),
      set({
        op: 'update',
        kind: 'user',
        key: 'bob',
        changes: { displayName: { from: 'Bob', to: 'Bobby' } },
      }),
    );

  it('throws when a choice is missing or names no conflict', () => {
    expect(() => resolveConflicts(base(), conflicted(), {})).toThrow(
      'conflict "user:bob:displayName" needs a choice',
    );
    expect(() =>
      resolveConflicts(base(), conflicted(), { 'user:bob:displayName': 'ours', nope: 'ours' }),
    ).toThrow('no conflict "nope"');
  });

  it('throws when the outcome is invalid', () => {
    const r = conflicted();
    const bad: MergeResult = {
      ...r,
      conflicts: r.conflicts.map((c) => ({
        ...c,
        operations: {
          ...c.operations,
          ours: [
            { op: 'update', kind: 'user', key: 'bob', changes: { groups: { added: ['Ghosts'] } } },
          ],
        },
      })),
    };
    expect(() => resolveConflicts(base(), bad, { 'user:bob:displayName': 'ours' })).toThrow(
      /the chosen resolution leaves an invalid policy/,
    );
  });
});

describe('merge properties', () => {
  const scenario = fc.tuple(policyArb, policyArb, policyArb).map(([b, x, y]) => ({
    base: b,
    x: diffPolicies(b, x).changeSet,
    y: diffPolicies(b, y).changeSet,
    xPolicy: x,
  }));

  it('merging a change set with an empty one gives that change set’s result', () => {
    fc.assert(
      fc.property(scenario, ({ base: b, x, xPolicy }) => {
        for (const r of [mergeChangeSets(b, x, EMPTY), mergeChangeSets(b, EMPTY, x)]) {
          expect(r.conflicts).toEqual([]);
          same(r.merged, xPolicy);
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('merging a change set with itself gives its result', () => {
    fc.assert(
      fc.property(scenario, ({ base: b, x, xPolicy }) => {
        const r = mergeChangeSets(b, x, x);
        expect(r.conflicts).toEqual([]);
        same(r.merged, xPolicy);
        expect(r.applied.operations).toEqual(x.operations);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('is symmetric, valid, and every resolution is valid', () => {
    fc.assert(
      fc.property(scenario, ({ base: b, x, y }) => {
        const r = mergeChangeSets(b, x, y);
        const swapped = mergeChangeSets(b, y, x);
        same(r.merged, swapped.merged);
        expect(swapped.conflicts.map((c) => c.id)).toEqual(r.conflicts.map((c) => c.id));
        same(parsePolicy(r.merged), r.merged);
        for (const choice of ['ours', 'theirs', 'base'] as const) {
          const choices = Object.fromEntries(r.conflicts.map((c) => [c.id, choice]));
          const resolved = resolveConflicts(b, r, choices);
          if (r.conflicts.length === 0) same(resolved, r.merged);
          const mirrored = { ours: 'theirs', theirs: 'ours', base: 'base' } as const;
          const flipped = Object.fromEntries(
            swapped.conflicts.map((c) => [c.id, mirrored[choice]]),
          );
          same(resolveConflicts(b, swapped, flipped), resolved);
        }
        if (r.conflicts.length === 0) {
          // Without conflicts the merge holds exactly both sides' facts (bar edge removals
          // made moot by removing a principal).
          const ids = (p: Policy) => new Set(factsBetween(b, p).map(factId));
          const merged = ids(r.merged);
          const gone = (kind: string, key: string) =>
            merged.has(factId({ type: 'remove', kind: kind as 'user', key }));
          for (const side of [applyChangeSet(b, x), applyChangeSet(b, y)]) {
            for (const f of factsBetween(b, side)) {
              const moot =
                (f.type === 'member' &&
                  !f.added &&
                  (gone('user', f.user) || gone('group', f.group))) ||
                (f.type === 'nest' &&
                  !f.added &&
                  (gone('group', f.parent) || gone('group', f.child)));
              if (!moot) expect(merged).toContain(factId(f));
            }
          }
          expect(merged.size).toBeLessThanOrEqual(
            ids(applyChangeSet(b, x)).size + ids(applyChangeSet(b, y)).size,
          );
        }
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
