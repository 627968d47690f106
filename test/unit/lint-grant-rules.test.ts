// Policy lint, grant rules (docs/lint-rules.md): shadowed, duplicate and conflicting grants
// and grants to empty groups fire on a minimal policy with the hazard and not on the fixed one.
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, ATTRIBUTE_IDS, lintPolicy, resolve } from '../../src/core/index';
import { generatePolicy } from '../bench/generate';
import { ACCEPT, VIEW, of, only, policyOf } from '../helpers/lint';

describe('shadowed-grant', () => {
  const devs = { users: [{ name: 'bob', groups: ['Devs'] }], groups: [{ name: 'Devs' }] };

  it('a grant fully covered by an earlier grant of the same tier; not when it comes first', () => {
    const shadowed = policyOf({
      ...devs,
      permissions: [
        { group: 'Devs', task: 'Manage Feed' },
        { group: 'Devs', task: 'Publish Packages' },
      ],
    });
    const [finding, ...rest] = of(shadowed, 'shadowed-grant');
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('warning');
    expect(finding?.items.map((i) => i.index)).toEqual([2, 1]);
    expect(finding?.message).toContain('group Devs · Publish Packages · global [permissions[2]]');
    expect(finding?.message).toContain(
      'group Devs · Manage Feed · global [permissions[1]] always decides first',
    );
    const fixed = policyOf({
      ...devs,
      permissions: [
        { group: 'Devs', task: 'Publish Packages' },
        { group: 'Devs', task: 'Manage Feed' },
      ],
    });
    expect(of(fixed, 'shadowed-grant')).toEqual([]);
  });

  it('a group grant beaten for its only member by a user restriction; not once the group has another member', () => {
    const perms = [
      { user: 'bob', task: 'View & Download Packages', deny: true },
      { group: 'Devs', task: 'View & Download Packages', feed: 'main' },
    ];
    expect(
      of(policyOf({ ...devs, permissions: perms }), 'shadowed-grant').map((f) => f.items[0]?.index),
    ).toEqual([2]);
    const fixed = policyOf({
      users: [
        { name: 'bob', groups: ['Devs'] },
        { name: 'alice', groups: ['Devs'] },
      ],
      groups: [{ name: 'Devs' }],
      permissions: perms,
    });
    expect(of(fixed, 'shadowed-grant')).toEqual([]);
  });

  it('names several shadowing grants when no single one does it', () => {
    const perms = [
      { group: 'Devs', task: 'View & Download Packages', deny: true },
      { group: 'Devs', task: 'Publish Packages', deny: true },
      { group: 'Devs', task: 'Accepters', deny: true },
      { group: 'Devs', task: 'Promote Packages' },
    ];
    const tasks = [{ name: 'Accepters', attributes: [VIEW, ACCEPT] }];
    const findings = of(policyOf({ ...devs, tasks, permissions: perms }), 'shadowed-grant');
    expect(findings.map((f) => f.items.map((i) => i.index))).toEqual([[4, 1, 2, 3]]);
    expect(findings[0]?.message).toContain('earlier grants always decide first');
    const fixed = policyOf({ ...devs, tasks, permissions: perms.filter((_, i) => i !== 2) });
    expect(of(fixed, 'shadowed-grant')).toEqual([]);
  });

  it('feed-group grants are checked at every feed of the group', () => {
    const feeds = [
      { name: 'a', feedGroup: 'fg' },
      { name: 'b', feedGroup: 'fg' },
    ];
    const perms = [
      { group: 'Devs', task: 'Publish Packages', feed: 'a' },
      { group: 'Devs', task: 'Publish Packages', feedGroup: 'fg' },
    ];
    expect(
      of(
        policyOf({ ...devs, feedGroups: [{ name: 'fg' }], feeds, permissions: perms }),
        'shadowed-grant',
      ),
    ).toEqual([]);
    const both = [
      ...perms.slice(0, 1),
      { group: 'Devs', task: 'Publish Packages', feed: 'b' },
      perms[1] as Record<string, unknown>,
    ];
    expect(
      of(
        policyOf({ ...devs, feedGroups: [{ name: 'fg' }], feeds, permissions: both }),
        'shadowed-grant',
      ).map((f) => f.items[0]?.index),
    ).toEqual([3]);
  });

  it('an implicit public-feed grant can shadow a feed-group grant', () => {
    const base = {
      users: [{ name: 'bob', groups: ['Devs'] }],
      groups: [{ name: 'Devs' }],
      feedGroups: [{ name: 'fg' }],
      permissions: [{ group: 'Devs', task: 'View & Download Packages', feedGroup: 'fg' }],
    };
    const [finding] = of(
      policyOf({ ...base, feeds: [{ name: 'pub', feedGroup: 'fg', access: 'public' }] }),
      'shadowed-grant',
    );
    expect(finding?.message).toContain('implicit permission (public access)');
    expect(
      of(
        policyOf({ ...base, feeds: [{ name: 'pub', feedGroup: 'fg', access: 'private' }] }),
        'shadowed-grant',
      ),
    ).toEqual([]);
  });

  it('a feed group without feeds (info)', () => {
    const p = policyOf({
      ...devs,
      feedGroups: [{ name: 'fg' }],
      permissions: [{ group: 'Devs', task: 'Publish Packages', feedGroup: 'fg' }],
    });
    expect(of(p, 'shadowed-grant').map((f) => f.severity)).toEqual(['info']);
    const fixed = policyOf({
      ...devs,
      feedGroups: [{ name: 'fg' }],
      feeds: [{ name: 'f', feedGroup: 'fg' }],
      permissions: [{ group: 'Devs', task: 'Publish Packages', feedGroup: 'fg' }],
    });
    expect(of(fixed, 'shadowed-grant')).toEqual([]);
  });

  it('grant-to-empty-group: a grant to a group with no members (info), and not once it has one', () => {
    const p = policyOf({
      groups: [{ name: 'Ghosts' }],
      permissions: [{ group: 'Ghosts', task: 'Publish Packages' }],
    });
    const findings = lintPolicy(p);
    expect(only(findings, 'grant-to-empty-group')).toEqual([
      expect.objectContaining({
        severity: 'info',
        items: [
          expect.objectContaining({ index: 1 }),
          { kind: 'group', name: 'Ghosts', path: 'groups[1]' },
        ],
      }),
    ]);
    expect(only(findings, 'shadowed-grant')).toEqual([]);
    const fixed = policyOf({
      users: [{ name: 'casper', groups: ['Ghosts'] }],
      groups: [{ name: 'Ghosts' }],
      permissions: [{ group: 'Ghosts', task: 'Publish Packages' }],
    });
    expect(of(fixed, 'grant-to-empty-group')).toEqual([]);
  });

  it('grants to the virtual groups count Anonymous and undeclared users', () => {
    // Everyone's grant decides for Anonymous even though every declared user is an administrator.
    const p = policyOf({
      permissions: [
        { group: 'Everyone', task: 'View & Download Packages' },
        { group: 'Authenticated', task: 'Manage Projects' },
      ],
    });
    expect(of(p, 'shadowed-grant')).toEqual([]);
  });

  it('exact copies and restriction twins are left to duplicate-grant and conflicting-grant', () => {
    const p = policyOf({
      ...devs,
      permissions: [
        { group: 'Devs', task: 'Publish Packages' },
        { group: 'Devs', task: 'Publish Packages' },
        { group: 'Devs', task: 'Publish Packages', deny: true },
      ],
    });
    const ids = lintPolicy(p).map((f) => f.id);
    expect(ids).toContain('duplicate-grant');
    expect(ids).toContain('conflicting-grant');
    expect(ids).not.toContain('shadowed-grant');
  });

  it('agrees with an exhaustive sweep of the reference resolver on generated policies', () => {
    for (const seed of [1, 2, 3]) {
      const policy = generatePolicy({ users: 30, groups: 8, feeds: 6, grants: 80 }, seed);
      const decided = new Set<number>();
      const users = [...policy.users.map((u) => u.name), ANONYMOUS, 'someone-undeclared'];
      for (const user of users)
        for (const attribute of ATTRIBUTE_IDS)
          for (const feed of [undefined, ...policy.feeds.map((f) => f.name)]) {
            const by = resolve(policy, {
              user,
              attribute,
              ...(feed !== undefined && { feed }),
            }).decidedBy;
            if (by) decided.add(by.index);
          }
      const findings = lintPolicy(policy);
      const flagged = new Set(
        findings
          .filter((f) => f.id === 'shadowed-grant' || f.id === 'grant-to-empty-group')
          .map((f) => f.items[0]?.index),
      );
      const copies = new Set(
        findings
          .filter((f) => f.id === 'duplicate-grant' || f.id === 'conflicting-grant')
          .flatMap((f) => f.items.map((i) => i.index)),
      );
      policy.permissions.forEach((_, i) => {
        if (flagged.has(i))
          expect(decided.has(i), `permissions[${i}] flagged but decides`).toBe(false);
        else if (!decided.has(i))
          expect(copies.has(i), `permissions[${i}] never decides but is not reported`).toBe(true);
      });
    }
  });
});

describe('duplicate-grant and conflicting-grant', () => {
  const bob = { users: [{ name: 'bob' }] };

  it('duplicate-grant lists every index', () => {
    const p = policyOf({
      ...bob,
      permissions: [
        { user: 'bob', task: 'Publish Packages', feed: 'main' },
        { user: 'bob', task: 'View & Download Packages' },
        { user: 'bob', task: 'Publish Packages', feed: 'main' },
      ],
    });
    expect(of(p, 'duplicate-grant')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        items: [
          expect.objectContaining({ index: 1, path: 'permissions[1]' }),
          expect.objectContaining({ index: 3 }),
        ],
      }),
    ]);
    const fixed = policyOf({
      ...bob,
      permissions: [
        { user: 'bob', task: 'Publish Packages', feed: 'main' },
        { user: 'bob', task: 'View & Download Packages' },
      ],
    });
    expect(of(fixed, 'duplicate-grant')).toEqual([]);
  });

  it('different scope, principal or effect is not a duplicate', () => {
    const p = policyOf({
      ...bob,
      permissions: [
        { user: 'bob', task: 'Publish Packages', feed: 'main' },
        { user: 'bob', task: 'Publish Packages' },
        { user: 'Admin', task: 'Publish Packages', feed: 'main' },
        { user: 'bob', task: 'Publish Packages', feed: 'main', deny: true },
      ],
    });
    expect(of(p, 'duplicate-grant')).toEqual([]);
  });

  it('conflicting-grant: a permission and a restriction for the same principal, task and scope', () => {
    const p = policyOf({
      ...bob,
      permissions: [
        { user: 'bob', task: 'Publish Packages', feed: 'main' },
        { user: 'bob', task: 'Publish Packages', feed: 'main', deny: true },
      ],
    });
    const [finding] = of(p, 'conflicting-grant');
    expect(finding).toMatchObject({ severity: 'info', items: [{ index: 1 }, { index: 2 }] });
    expect(finding?.message).toContain('restriction always wins');
    const fixed = policyOf({
      ...bob,
      permissions: [
        { user: 'bob', task: 'Publish Packages' },
        { user: 'bob', task: 'Publish Packages', feed: 'main', deny: true },
      ],
    });
    expect(of(fixed, 'conflicting-grant')).toEqual([]);
  });
});
