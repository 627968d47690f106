// Three-way merge of change sets: changes that merge without conflict (identical changes,
// different items or fields, set edits), and refusal of a change set that does not apply.
import { describe, expect, it } from 'vitest';
import { applyChangeSet } from '../../src/core/change-set';
import { EMPTY, base, merge, same, set, user } from '../helpers/merge';

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

  it('merges both sides adding the same group with different members', () => {
    const r = merge(
      set({ op: 'add', kind: 'group', item: { name: 'QA', users: ['bob'] } }),
      set({ op: 'add', kind: 'group', item: { name: 'QA', users: ['alice'] } }),
    );
    expect(r.conflicts).toEqual([]);
    expect(r.merged.groups.find((g) => g.name === 'QA')?.users.sort()).toEqual(['alice', 'bob']);
  });

  it('refuses a change set that does not apply to the base, naming the side', () => {
    expect(() => merge(EMPTY, set({ op: 'remove', kind: 'user', key: 'zed' }))).toThrow(
      /^theirs: operations\[0\]/,
    );
  });
});
