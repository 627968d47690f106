// Three-way merge of change sets: conflicts over grants (opposite deny, a flip against a
// removal, a task made system-wide against a feed-scoped grant).
import { describe, expect, it } from 'vitest';
import { BOB_READERS, DEV_PROD_DENY, base, merge, resolveAll, same, set } from '../helpers/merge';

describe('mergeChangeSets', () => {
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
});
