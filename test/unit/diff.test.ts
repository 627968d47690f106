// The structural diff: order never shows, every kind of change is detected, and the diff's
// change set turns the old policy into the new one (property-tested on generated policies).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChangeSet } from '../../src/core/change-set';
import { canonicalPolicy, diffPolicies, formatDiff, policiesEqual } from '../../src/core/diff';
import { parsePolicy, type Policy } from '../../src/core/index';
import { policyArb, policyFileArb } from '../helpers/change-set-arbitrary';

const BASE = {
  users: [
    { name: 'bob', displayName: 'Bob', groups: ['Developers'] },
    { name: 'alice', email: 'alice@example.org' },
  ],
  groups: [
    { name: 'Developers', users: ['alice'], groups: [] },
    { name: 'Admins', groups: ['Developers'] },
  ],
  feedGroups: [{ name: 'production-packages' }],
  feeds: [
    { name: 'Production', feedType: 'nuget', feedGroup: 'production-packages' },
    { name: 'Dev', feedType: 'npm', access: 'public' },
  ],
  tasks: [
    {
      name: 'Readers',
      description: 'read',
      attributes: ['Feeds_ViewFeed', 'Feeds_DownloadPackage'],
    },
  ],
  permissions: [
    { group: 'Developers', task: 'Promote Packages' },
    { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
    { user: 'bob', task: 'Readers', feedGroup: 'production-packages' },
  ],
} as const;

const base = (): Policy => parsePolicy(structuredClone(BASE));
const edit = (f: (file: Record<string, unknown[]>) => void): Policy => {
  const file = structuredClone(BASE) as unknown as Record<string, unknown[]>;
  f(file);
  return parsePolicy(file);
};
const reverse = <T>(list: readonly T[]): T[] => [...list].reverse();

describe('diffPolicies', () => {
  it('is empty when only list order differs', () => {
    const a = base();
    const b: Policy = {
      ...a,
      users: reverse(a.users).map((u) => ({ ...u, groups: reverse(u.groups) })),
      groups: reverse(a.groups).map((g) => ({
        ...g,
        users: reverse(g.users),
        groups: reverse(g.groups),
      })),
      feedGroups: reverse(a.feedGroups),
      feeds: reverse(a.feeds),
      tasks: reverse(a.tasks).map((t) => ({ ...t, attributes: reverse(t.attributes) })),
      permissions: reverse([...a.permissions, ...a.permissions]),
    };
    const diff = diffPolicies(a, b);
    expect(diff.changeSet.operations).toEqual([]);
    expect(diff.entries).toEqual([]);
    expect(diff.summary).toEqual({ added: 0, removed: 0, updated: 0 });
    expect(formatDiff(diff)).toBe('no structural changes');
    expect(policiesEqual(a, b)).toBe(true);
  });

  it('sees a membership the same whichever side lists it', () => {
    const a = base();
    const b = edit((f) => {
      f.users = [
        { name: 'bob', displayName: 'Bob' },
        { name: 'alice', email: 'alice@example.org', groups: ['Developers'] },
      ];
      f.groups = [
        { name: 'Developers', users: ['bob'] },
        { name: 'Admins', groups: ['Developers'] },
      ];
    });
    expect(diffPolicies(a, b).entries).toEqual([]);
  });

  it('detects users: added, removed, fields and memberships', () => {
    const b = edit((f) => {
      f.users = [
        { name: 'bob', displayName: 'Robert', email: 'bob@example.org', groups: ['Admins'] },
        { name: 'carol', groups: ['Developers'] },
      ];
      f.groups = [{ name: 'Developers' }, { name: 'Admins', groups: ['Developers'] }];
    });
    const diff = diffPolicies(base(), b);
    expect(diff.entries).toEqual([
      { kind: 'user', key: 'alice', label: 'alice', change: 'removed', details: [] },
      {
        kind: 'user',
        key: 'bob',
        label: 'bob',
        change: 'updated',
        details: [
          'displayName "Bob" → "Robert"',
          'email (none) → "bob@example.org"',
          'groups +Admins -Developers',
        ],
      },
      {
        kind: 'user',
        key: 'carol',
        label: 'carol',
        change: 'added',
        details: ['groups Developers'],
      },
    ]);
    expect(formatDiff(diff)).toContain(
      '~ user bob: displayName "Bob" → "Robert"; email (none) → "bob@example.org"; groups +Admins -Developers',
    );
    expect(diff.summary).toEqual({ added: 1, removed: 1, updated: 1 });
  });

  it('detects groups, nesting, feed groups, feeds and tasks', () => {
    const b = edit((f) => {
      f.groups = [
        { name: 'Developers', users: ['alice'], groups: ['Ops'] },
        { name: 'Admins' },
        { name: 'Ops', users: ['bob'] },
      ];
      f.feedGroups = [{ name: 'production-packages' }, { name: 'staging' }];
      f.feeds = [
        { name: 'Production', feedType: 'nuget', feedGroup: 'staging', access: 'organization' },
        { name: 'Dev', feedType: 'npm', access: 'public' },
        { name: 'Scratch' },
      ];
      f.tasks = [{ name: 'Readers', description: 'read only', attributes: ['Feeds_ViewFeed'] }];
    });
    const lines = formatDiff(diffPolicies(base(), b)).split('\n');
    expect(lines).toEqual([
      '~ task Readers: description "read" → "read only"; attributes -Feeds_DownloadPackage',
      '+ feed group staging',
      '~ feed Production: feedGroup production-packages → staging; access private → organization',
      '+ feed Scratch: feedType universal; access private',
      '~ group Admins: nested groups -Developers',
      '~ group Developers: nested groups +Ops',
      '+ group Ops: users bob',
      '3 added, 0 removed, 4 updated',
    ]);
  });

  it('detects permissions, and shows a flipped deny as remove + add', () => {
    const b = edit((f) => {
      f.permissions = [
        { group: 'Developers', task: 'Promote Packages', deny: true },
        { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
        { user: 'bob', task: 'Readers', feedGroup: 'production-packages' },
        { user: 'alice', task: 'Publish Packages', feed: 'Dev' },
      ];
    });
    const diff = diffPolicies(base(), b);
    expect(diff.changeSet.operations).toEqual([
      {
        op: 'add',
        kind: 'permission',
        item: { group: 'Developers', task: 'Promote Packages', deny: true },
      },
      {
        op: 'add',
        kind: 'permission',
        item: { user: 'alice', task: 'Publish Packages', feed: 'Dev', deny: false },
      },
      { op: 'remove', kind: 'permission', key: 'group:Developers|Promote Packages|global|allow' },
    ]);
    expect(formatDiff(diff).split('\n')).toEqual([
      '- permission: group Developers · Promote Packages · global (permission)',
      '+ permission: group Developers · Promote Packages · global (restriction)',
      '+ permission: user alice · Publish Packages · feed Dev (permission)',
      '2 added, 1 removed, 0 updated',
    ]);
  });

  it('orders operations: adds by dependency, then removes dependents first', () => {
    const b = edit((f) => {
      f.users = [{ name: 'bob', displayName: 'Bob', groups: ['QA'] }];
      f.groups = [{ name: 'QA' }];
      f.permissions = [{ group: 'QA', task: 'Readers', feed: 'Dev' }];
    });
    const { operations } = diffPolicies(base(), b).changeSet;
    expect(operations.map((o) => `${o.op} ${o.kind}`)).toEqual([
      'add group',
      'add permission',
      'remove permission',
      'remove permission',
      'remove permission',
      'remove user',
      'remove group',
      'remove group',
    ]);
    // bob joins the new group: the membership travels with the group's add.
    expect(operations[0]).toEqual({
      op: 'add',
      kind: 'group',
      item: { name: 'QA', users: ['bob'], groups: [] },
    });
    expect(policiesEqual(applyChangeSet(base(), diffPolicies(base(), b).changeSet), b)).toBe(true);
  });

  it('notes a change of directory outside the change set', () => {
    const b = parsePolicy({ ...structuredClone(BASE), directory: 'corp-ldap' });
    const diff = diffPolicies(base(), b);
    expect(diff.directory).toEqual({ from: 'Built-in', to: 'corp-ldap' });
    expect(diff.changeSet).toEqual({ directory: 'Built-in', operations: [] });
    expect(formatDiff(diff).split('\n')[0]).toBe('~ directory: Built-in → corp-ldap');
  });

  it('round-trips: diff(a, b) applied to a equals b (property)', () => {
    fc.assert(
      fc.property(policyArb, policyArb, (a, b) => {
        const diff = diffPolicies(a, b);
        const result = applyChangeSet(a, diff.changeSet);
        expect(canonicalPolicy(result)).toEqual(canonicalPolicy(b));
        expect(diffPolicies(result, b).changeSet.operations).toEqual([]);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('is empty between a policy and a shuffled copy of its file (property)', () => {
    fc.assert(
      fc.property(
        policyFileArb.chain((file) =>
          fc.tuple(
            fc.constant(file),
            fc.record(
              Object.fromEntries(
                Object.entries(file).map(([k, v]) => [
                  k,
                  fc.shuffledSubarray(v as unknown[], { minLength: (v as unknown[]).length }),
                ]),
              ),
            ),
          ),
        ),
        ([file, shuffled]) => {
          const diff = diffPolicies(parsePolicy(file), parsePolicy(shuffled));
          expect(diff.entries).toEqual([]);
          expect(diff.changeSet.operations).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  it('counts one entry per item and agrees with the change set (property)', () => {
    fc.assert(
      fc.property(policyArb, policyArb, (a, b) => {
        const diff = diffPolicies(a, b);
        const { added, removed, updated } = diff.summary;
        expect(added + removed + updated).toBe(diff.entries.length);
        expect(new Set(diff.entries.map((e) => `${e.kind}\0${e.key}`)).size).toBe(
          diff.entries.length,
        );
        expect(diff.entries.length === 0).toBe(policiesEqual(a, b));
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
