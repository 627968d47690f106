// Three-way merge of change sets: conflicts over items (one field changed two ways, removal
// against use, one item added twice differently) and how each resolution comes out.
import { describe, expect, it } from 'vitest';
import { resolveConflicts } from '../../src/core/merge';
import {
  BOB_READERS,
  DEV_PROD_DENY,
  DEV_PROMOTE,
  base,
  merge,
  resolveAll,
  set,
  user,
} from '../helpers/merge';

describe('mergeChangeSets', () => {
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
});
