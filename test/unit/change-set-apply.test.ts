// Change sets: applying operations (with errors that name the operation, and re-validation
// of the outcome through parsePolicy).
import { describe, expect, it } from 'vitest';
import { ChangeSetError, applyChangeSet, type ChangeSet } from '../../src/core/change-set';
import { PolicyError, parsePolicy, type Policy } from '../../src/core/index';
import { thrown } from '../helpers/thrown';

const policy = (): Policy =>
  parsePolicy({
    users: [{ name: 'bob', displayName: 'Bob', groups: ['Developers'] }, { name: 'alice' }],
    groups: [{ name: 'Developers' }, { name: 'Admins', users: ['alice'], groups: ['Developers'] }],
    feedGroups: [{ name: 'prod' }],
    feeds: [{ name: 'Production', feedType: 'nuget', feedGroup: 'prod' }],
    tasks: [{ name: 'Readers', attributes: ['Feeds_ViewFeed'] }],
    permissions: [
      { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
    ],
  });

const apply = (...operations: ChangeSet['operations']) => applyChangeSet(policy(), { operations });
const user = (p: Policy, name: string) => p.users.find((u) => u.name === name);
const group = (p: Policy, name: string) => p.groups.find((g) => g.name === name);

describe('applyChangeSet', () => {
  it('adds, updates and removes every kind of item, leaving the input untouched', () => {
    const before = policy();
    const snapshot = structuredClone(before);
    const after = applyChangeSet(before, {
      operations: [
        { op: 'add', kind: 'task', item: { name: 'Pushers', attributes: ['Feeds_AddPackage'] } },
        { op: 'add', kind: 'feedGroup', item: { name: 'dev' } },
        { op: 'add', kind: 'feed', item: { name: 'Scratch', feedGroup: 'dev' } },
        { op: 'add', kind: 'group', item: { name: 'QA', users: ['bob'] } },
        {
          op: 'add',
          kind: 'user',
          item: { name: 'carol', email: 'c@example.org', groups: ['QA'] },
        },
        { op: 'add', kind: 'permission', item: { group: 'QA', task: 'Pushers', feedGroup: 'dev' } },
        {
          op: 'update',
          kind: 'user',
          key: 'bob',
          changes: {
            displayName: { from: 'Bob', to: 'Robert' },
            email: { from: null, to: 'b@example.org' },
          },
        },
        {
          op: 'update',
          kind: 'feed',
          key: 'Production',
          changes: {
            feedGroup: { from: 'prod', to: null },
            access: { from: 'private', to: 'public' },
          },
        },
        {
          op: 'update',
          kind: 'task',
          key: 'Readers',
          changes: {
            description: { from: '', to: 'read' },
            attributes: { added: ['Feeds_DownloadPackage'] },
          },
        },
        { op: 'remove', kind: 'feedGroup', key: 'prod' },
        {
          op: 'remove',
          kind: 'permission',
          key: 'group:Developers|Promote Packages|feed:Production|deny',
        },
      ],
    });
    expect(before).toEqual(snapshot);
    expect(after.tasks.find((t) => t.name === 'Pushers')).toEqual({
      name: 'Pushers',
      description: '',
      attributes: ['Feeds_AddPackage'],
    });
    expect(after.tasks.find((t) => t.name === 'Readers')).toEqual({
      name: 'Readers',
      description: 'read',
      attributes: ['Feeds_ViewFeed', 'Feeds_DownloadPackage'],
    });
    expect(after.feedGroups).toEqual([{ name: 'dev' }]);
    expect(after.feeds).toEqual([
      { name: 'Production', feedType: 'nuget', access: 'public' },
      { name: 'Scratch', feedType: 'universal', access: 'private', feedGroup: 'dev' },
    ]);
    expect(user(after, 'bob')).toEqual({
      name: 'bob',
      displayName: 'Robert',
      email: 'b@example.org',
      groups: ['Developers', 'QA'],
    });
    expect(group(after, 'QA')?.users.sort()).toEqual(['bob', 'carol']);
    expect(after.permissions).toEqual([
      { group: 'QA', task: 'Pushers', feedGroup: 'dev', deny: false },
    ]);
  });

  it('keeps both sides of a membership in step, whichever side the change names', () => {
    const a = apply({
      op: 'update',
      kind: 'group',
      key: 'Developers',
      changes: { users: { added: ['alice'], removed: ['bob'] } },
    });
    expect(user(a, 'alice')?.groups.sort()).toEqual(['Admins', 'Developers']);
    expect(user(a, 'bob')?.groups).toEqual([]);
    expect(group(a, 'Developers')?.users).toEqual(['alice']);
    const b = apply({
      op: 'update',
      kind: 'user',
      key: 'bob',
      changes: { groups: { removed: ['Developers'] } },
    });
    expect(group(b, 'Developers')?.users).toEqual([]);
  });

  it('applies set changes idempotently (adding a member twice, removing an absent one)', () => {
    const p = apply({
      op: 'update',
      kind: 'user',
      key: 'bob',
      changes: { groups: { added: ['Developers'], removed: ['Admins'] } },
    });
    expect(user(p, 'bob')?.groups).toEqual(['Developers']);
  });

  it('removing a principal removes its memberships and nestings', () => {
    const p = apply(
      {
        op: 'remove',
        kind: 'permission',
        key: 'group:Developers|Promote Packages|feed:Production|deny',
      },
      { op: 'remove', kind: 'group', key: 'Developers' },
      { op: 'remove', kind: 'user', key: 'alice' },
    );
    expect(user(p, 'bob')?.groups).toEqual([]);
    expect(p.groups).toEqual([{ name: 'Admins', users: [], groups: [] }]);
  });

  it('flips deny as remove + add', () => {
    const p = apply(
      {
        op: 'remove',
        kind: 'permission',
        key: 'group:Developers|Promote Packages|feed:Production|deny',
      },
      {
        op: 'add',
        kind: 'permission',
        item: { group: 'Developers', task: 'Promote Packages', feed: 'Production' },
      },
    );
    expect(p.permissions).toEqual([
      { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: false },
    ]);
  });

  it('names the operation that does not fit', () => {
    const cases: [ChangeSet['operations'][number], RegExp][] = [
      [
        { op: 'remove', kind: 'user', key: 'zed' },
        /^operations\[1\] \(remove user "zed"\): no such user$/,
      ],
      [
        { op: 'add', kind: 'group', item: { name: 'Admins' } },
        /^operations\[1\] \(add group "Admins"\): group already exists$/,
      ],
      [
        { op: 'add', kind: 'task', item: { name: 'Administer', attributes: [] } },
        /task already exists/,
      ],
      [
        {
          op: 'add',
          kind: 'permission',
          item: { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
        },
        /permission already exists/,
      ],
      [
        {
          op: 'update',
          kind: 'user',
          key: 'bob',
          changes: { displayName: { from: 'Robert', to: 'Bobby' } },
        },
        /operations\[1\] \(update user "bob"\): displayName is "Bob", but the change expects "Robert"/,
      ],
      [
        {
          op: 'update',
          kind: 'feed',
          key: 'Production',
          changes: { feedGroup: { from: null, to: 'prod' } },
        },
        /feedGroup is "prod", but the change expects \(none\)/,
      ],
      [
        {
          op: 'update',
          kind: 'task',
          key: 'Nope',
          changes: { description: { from: '', to: 'x' } },
        },
        /no such task/,
      ],
      [
        { op: 'remove', kind: 'permission', key: 'user:bob|Administer|global|allow' },
        /no such permission/,
      ],
      [{ op: 'remove', kind: 'task', key: 'Manage Feed' }, /built-in task cannot be removed/],
    ];
    for (const [op, message] of cases) {
      const error = thrown(() => apply({ op: 'add', kind: 'feedGroup', item: { name: 'x' } }, op));
      expect(error).toBeInstanceOf(ChangeSetError);
      expect((error as ChangeSetError).operationIndex).toBe(1);
      expect(error.message).toMatch(message);
    }
  });

  it('re-validates the outcome: an invalid policy throws PolicyError with paths', () => {
    const error = thrown(() =>
      apply(
        { op: 'remove', kind: 'group', key: 'Developers' },
        { op: 'remove', kind: 'feedGroup', key: 'prod' },
        {
          op: 'add',
          kind: 'permission',
          item: { user: 'bob', task: 'Administer', feed: 'Production' },
        },
        {
          op: 'update',
          kind: 'task',
          key: 'Readers',
          changes: { attributes: { added: ['Feeds_Fly'] } },
        },
      ),
    ) as PolicyError;
    expect(error).toBeInstanceOf(PolicyError);
    expect(error.message).toMatch(/^the change set leaves an invalid policy/);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        { path: 'feeds[0].feedGroup', message: 'unknown feed group "prod"' },
        { path: 'permissions[0].group', message: 'unknown group "Developers"' },
        expect.objectContaining({
          path: 'permissions[1].task',
          message: expect.stringContaining('not feed-scopable'),
        }),
        expect.objectContaining({
          path: expect.stringMatching(/^tasks\[\d+\]\.attributes\[1\]$/),
          message: 'unknown attribute "Feeds_Fly"',
        }),
      ]),
    );
  });

  it('reports a membership of an unknown principal', () => {
    const error = thrown(() =>
      apply({
        op: 'update',
        kind: 'group',
        key: 'Admins',
        changes: { users: { added: ['ghost'] } },
      }),
    ) as PolicyError;
    expect(error.problems).toEqual([expect.objectContaining({ message: 'unknown user "ghost"' })]);
  });

  it('refuses a change set for another directory and an invalid change set', () => {
    expect(() => applyChangeSet(policy(), { directory: 'corp-ldap', operations: [] })).toThrow(
      /concerns directory "corp-ldap"/,
    );
    expect(() =>
      applyChangeSet(policy(), { operations: [{ op: 'remove', kind: 'user' }] } as never),
    ).toThrow(PolicyError);
  });
});
