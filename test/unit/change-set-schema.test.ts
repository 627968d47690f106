// Change sets: the schema (with problems that name their path) and permission keys.
import { describe, expect, it } from 'vitest';
import {
  describePermission,
  parseChangeSet,
  parsePermissionKey,
  permissionKey,
} from '../../src/core/change-set';
import { PolicyError } from '../../src/core/index';
import { thrown } from '../helpers/thrown';

describe('permissionKey', () => {
  it('is stable, names principal, task, scope and effect, and ignores property order', () => {
    const key = permissionKey({
      group: 'Developers',
      task: 'Promote Packages',
      feed: 'Production',
      deny: true,
    });
    expect(key).toBe('group:Developers|Promote Packages|feed:Production|deny');
    expect(
      permissionKey({
        deny: true,
        feed: 'Production',
        task: 'Promote Packages',
        group: 'Developers',
      }),
    ).toBe(key);
    expect(permissionKey({ user: 'bob', task: 'Administer' })).toBe(
      'user:bob|Administer|global|allow',
    );
    expect(permissionKey({ user: 'a|b%', task: 'T', feedGroup: 'g' })).toBe(
      'user:a%7Cb%25|T|feedGroup:g|allow',
    );
  });

  it('parses back into the permission it names', () => {
    for (const p of [
      { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
      { user: 'a|b%7C:c', task: 'T|%25', feedGroup: 'x:y|z', deny: false },
      { user: 'bob', task: 'Administer', deny: false },
    ]) {
      expect(parsePermissionKey(permissionKey(p))).toEqual(p);
    }
  });

  it('has a readable description', () => {
    expect(
      describePermission({
        group: 'Developers',
        task: 'Promote Packages',
        feed: 'Production',
        deny: true,
      }),
    ).toBe('group Developers · Promote Packages · feed Production (restriction)');
  });
});

describe('parseChangeSet', () => {
  it('accepts every operation form', () => {
    const set = {
      directory: 'Built-in',
      allowLockout: false,
      operations: [
        { op: 'add', kind: 'user', item: { name: 'carol', groups: ['Admins'] } },
        {
          op: 'remove',
          kind: 'permission',
          key: 'group:Developers|Promote Packages|feed:Production|deny',
        },
        {
          op: 'update',
          kind: 'user',
          key: 'bob',
          changes: { displayName: { from: 'Bob', to: null }, groups: { added: ['Admins'] } },
        },
        {
          op: 'update',
          kind: 'feed',
          key: 'Production',
          changes: { access: { from: 'private', to: 'public' } },
        },
        {
          op: 'update',
          kind: 'task',
          key: 'Readers',
          changes: { attributes: { removed: ['Feeds_ViewFeed'] } },
        },
      ],
    };
    expect(parseChangeSet(set)).toEqual(set);
  });

  it('names the path of every problem', () => {
    const error = thrown(() =>
      parseChangeSet({
        operations: [
          { op: 'rename', kind: 'user' },
          { op: 'add', kind: 'user', item: { name: 'x', colour: 'red' } },
          {
            op: 'update',
            kind: 'group',
            key: 'G',
            changes: { users: { added: ['a'], removed: ['a'] } },
          },
          { op: 'update', kind: 'feed', key: 'F', changes: {} },
          { op: 'update', kind: 'permission', key: 'k', changes: {} },
        ],
        extra: 1,
      }),
    ) as PolicyError;
    expect(error).toBeInstanceOf(PolicyError);
    const paths = error.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'operations[0].op',
        'operations[1].item',
        'operations[2].changes.users',
        'operations[3].changes',
        'operations[4].kind',
      ]),
    );
    expect(error.message).toMatch(/^invalid change set/);
    expect(error.message).toContain('a value cannot be both added and removed');
  });
});
