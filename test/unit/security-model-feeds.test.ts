// security-model.md, rule by rule (4/4): the implicit grants of private, public,
// community and organization feeds, how they sort against explicit grants, and how they
// appear in decisions and traces.
import { describe, expect, it } from 'vitest';
import { expectAllowed, expectDenied } from '../helpers/engine';
import { IMPLICIT_RULES, parsePolicy, type Grant } from '../../src/core/index';

const VD = 'View & Download Packages';
const READ = ['Feeds_ViewFeed', 'Feeds_DownloadPackage'];
const OWN = ['Feeds_OverwritePackage', 'Feeds_DeletePackage', 'Feeds_UnlistPackage'];
const NEVER_IMPLICIT = [
  'Feeds_PullPackage',
  'Feeds_AcceptPackagePromotions',
  'Admin_ManageFeed',
  'Admin_ManageConnectors',
];
const SIGNED_IN = ['member', 'loner', 'undeclared-user'];

const p = parsePolicy({
  users: [{ name: 'member', groups: ['Staff'] }, { name: 'loner' }, { name: 'owner' }],
  groups: [{ name: 'Staff' }],
  feeds: [
    { name: 'priv', access: 'private' },
    { name: 'default' },
    { name: 'pub', access: 'public' },
    { name: 'comm', access: 'community' },
    { name: 'org', access: 'organization' },
  ],
});

function implicit(
  feed: string,
  group: 'Everyone' | 'Authenticated',
  task: string,
  source: Grant['implicit'],
): Grant {
  return { index: -1, group, task, feed, deny: false, implicit: source };
}
const publicRead = implicit('pub', 'Everyone', 'View & Download Packages (public feed)', 'public');
const communityRead = implicit(
  'comm',
  'Everyone',
  'View & Download Packages (community feed)',
  'community',
);
const communityAdd = implicit(
  'comm',
  'Authenticated',
  'Add Packages (community feed)',
  'community',
);
const communityOwn = implicit(
  'comm',
  'Authenticated',
  'Manage Own Packages (community feed)',
  'community-owner',
);
const orgRead = implicit(
  'org',
  'Authenticated',
  'View & Download Packages (organization feed)',
  'organization',
);

describe('Feed access types add implicit grants (security-model.md "Feed access types")', () => {
  it('the implicit rules are permissions to Everyone or Authenticated, as the spec lists them', () => {
    expect(IMPLICIT_RULES.private).toEqual([]);
    const summary = Object.fromEntries(
      Object.entries(IMPLICIT_RULES).map(([access, rules]) => [
        access,
        rules.map((r) => [r.group, [...r.attributes].sort(), r.ownerOnly]),
      ]),
    );
    expect(summary).toEqual({
      private: [],
      public: [['Everyone', [...READ].sort(), false]],
      community: [
        ['Everyone', [...READ].sort(), false],
        ['Authenticated', ['Feeds_AddPackage'], false],
        ['Authenticated', [...OWN].sort(), true],
      ],
      organization: [['Authenticated', [...READ].sort(), false]],
    });
  });

  it('private (also the default): nothing implicit', () => {
    for (const feed of ['priv', 'default'])
      for (const user of [...SIGNED_IN, 'Anonymous', 'owner'])
        for (const attribute of [...READ, 'Feeds_AddPackage', ...OWN])
          expectDenied(p, { user, attribute, feed, owner: user }, null);
    expect(p.feeds.find((f) => f.name === 'default')?.access).toBe('private');
  });

  it('public: everyone (Anonymous included) may view and download; only granted principals may push', () => {
    for (const user of [...SIGNED_IN, 'Anonymous']) {
      for (const attribute of READ) expectAllowed(p, { user, attribute, feed: 'pub' }, publicRead);
      for (const attribute of ['Feeds_AddPackage', ...OWN, ...NEVER_IMPLICIT])
        expectDenied(p, { user, attribute, feed: 'pub', owner: user }, null);
    }
  });

  it('community: everyone may view and download', () => {
    for (const user of [...SIGNED_IN, 'Anonymous'])
      for (const attribute of READ)
        expectAllowed(p, { user, attribute, feed: 'comm' }, communityRead);
  });

  it('community: every authenticated user may add packages; Anonymous never gets community add', () => {
    for (const user of SIGNED_IN)
      expectAllowed(p, { user, attribute: 'Feeds_AddPackage', feed: 'comm' }, communityAdd);
    expectDenied(p, { user: 'Anonymous', attribute: 'Feeds_AddPackage', feed: 'comm' }, null);
    expectDenied(
      p,
      { user: 'Anonymous', attribute: 'Feeds_AddPackage', feed: 'comm', owner: 'Anonymous' },
      null,
    );
  });

  it('community: overwrite/delete/unlist ONLY when query.owner === query.user', () => {
    for (const user of SIGNED_IN) {
      for (const attribute of OWN) {
        expectAllowed(p, { user, attribute, feed: 'comm', owner: user }, communityOwn);
        expectDenied(p, { user, attribute, feed: 'comm' }, null); // owner unknown
        expectDenied(p, { user, attribute, feed: 'comm', owner: 'owner' }, null); // someone else's package
      }
    }
    for (const attribute of OWN)
      expectDenied(p, { user: 'Anonymous', attribute, feed: 'comm', owner: 'Anonymous' }, null);
  });

  it('community: nothing else is implicit', () => {
    for (const attribute of NEVER_IMPLICIT)
      expectDenied(p, { user: 'member', attribute, feed: 'comm', owner: 'member' }, null);
  });

  it('organization: every authenticated user may view and download; Anonymous gets nothing', () => {
    for (const user of SIGNED_IN) {
      for (const attribute of READ) expectAllowed(p, { user, attribute, feed: 'org' }, orgRead);
      for (const attribute of ['Feeds_AddPackage', ...OWN])
        expectDenied(p, { user, attribute, feed: 'org', owner: user }, null);
    }
    for (const attribute of READ)
      expectDenied(p, { user: 'Anonymous', attribute, feed: 'org' }, null);
  });

  it('implicit grants apply only at their feed: not at system scope, not on other feeds', () => {
    for (const attribute of READ) {
      expectDenied(p, { user: 'Anonymous', attribute }, null);
      expectDenied(p, { user: 'member', attribute }, null);
      expectDenied(p, { user: 'member', attribute, feed: 'priv' }, null);
    }
  });

  it('implicit grants appear in decidedBy and trace with `implicit` set and index -1', () => {
    const d = expectAllowed(
      p,
      { user: 'loner', attribute: 'Feeds_DeletePackage', feed: 'comm', owner: 'loner' },
      communityOwn,
    );
    expect(d.trace).toEqual([
      {
        grant: communityOwn,
        decided: true,
        reason: 'first applicable grant: a permission, so allowed',
      },
    ]);
    expect(d.decidedBy?.index).toBe(-1);
    expect(d.decidedBy?.implicit).toBe('community-owner');
  });
});

describe('Implicit grants sort like group grants at feed scope (security-model.md "Feed access types")', () => {
  const q = parsePolicy({
    users: [
      { name: 'contractor', groups: ['Contractors'] },
      { name: 'dev', groups: ['Developers'] },
      { name: 'vip', groups: ['Contractors'] },
    ],
    groups: [{ name: 'Contractors' }, { name: 'Developers' }],
    feedGroups: [{ name: 'FG' }],
    feeds: [
      { name: 'pub', access: 'public', feedGroup: 'FG' },
      { name: 'comm', access: 'community' },
      { name: 'org', access: 'organization' },
    ],
    permissions: [
      { group: 'Contractors', task: VD, feed: 'pub', deny: true }, // 0
      { group: 'Contractors', task: VD, feed: 'org', deny: true }, // 1
      { group: 'Developers', task: VD, deny: true }, // 2
      { group: 'Developers', task: VD, feedGroup: 'FG', deny: true }, // 3
      { user: 'vip', task: VD, feed: 'pub' }, // 4
      { user: 'dev', task: 'Publish Packages', feed: 'comm', deny: true }, // 5
      { group: 'Everyone', task: 'Manage Feed', feed: 'comm', deny: true }, // 6
      { group: 'Developers', task: 'Manage Feed', feed: 'org' }, // 7
    ],
  });

  it('an explicit group restriction on that feed beats the implicit grant', () => {
    const d = expectDenied(
      q,
      { user: 'contractor', attribute: 'Feeds_ViewFeed', feed: 'pub' },
      { index: 0, group: 'Contractors', task: VD, feed: 'pub', deny: true },
    );
    expect(d.trace.map((t) => [t.grant, t.reason])).toEqual([
      [
        { index: 0, group: 'Contractors', task: VD, feed: 'pub', deny: true },
        'first applicable grant: a restriction, so denied',
      ],
      [publicRead, 'a restriction comes before a permission at the same level'],
    ]);
    expectDenied(
      q,
      { user: 'contractor', attribute: 'Feeds_DownloadPackage', feed: 'org' },
      { index: 1, group: 'Contractors', task: VD, feed: 'org', deny: true },
    );
    expectAllowed(q, { user: 'Anonymous', attribute: 'Feeds_ViewFeed', feed: 'pub' }, publicRead);
  });

  it('a restriction for Everyone on the feed beats the implicit grants to Everyone and Authenticated', () => {
    const restriction = {
      index: 6,
      group: 'Everyone',
      task: 'Manage Feed',
      feed: 'comm',
      deny: true,
    };
    expectDenied(
      q,
      { user: 'contractor', attribute: 'Feeds_AddPackage', feed: 'comm' },
      restriction,
    );
    expectDenied(q, { user: 'Anonymous', attribute: 'Feeds_ViewFeed', feed: 'comm' }, restriction);
    expectDenied(
      q,
      { user: 'contractor', attribute: 'Feeds_DeletePackage', feed: 'comm', owner: 'contractor' },
      restriction,
    );
  });

  it('a group restriction at feed-group or global scope does not beat the feed-scoped implicit grant', () => {
    const d = expectAllowed(
      q,
      { user: 'dev', attribute: 'Feeds_DownloadPackage', feed: 'pub' },
      publicRead,
    );
    expect(d.trace.map((t) => [t.grant.index, t.reason])).toEqual([
      [-1, 'first applicable grant: a permission, so allowed'],
      [3, 'group grants at feed scope come before group grants at feed-group scope'],
      [2, 'group grants at feed scope come before group grants at global scope'],
    ]);
  });

  it('an explicit group permission at the same feed comes before the implicit one (policy order, explicit first)', () => {
    const d = expectAllowed(
      q,
      { user: 'dev', attribute: 'Feeds_ViewFeed', feed: 'org' },
      { index: 7, group: 'Developers', task: 'Manage Feed', feed: 'org', deny: false },
    );
    expect(d.trace.map((t) => t.grant)).toEqual([
      { index: 7, group: 'Developers', task: 'Manage Feed', feed: 'org', deny: false },
      orgRead,
      { index: 2, group: 'Developers', task: VD, deny: true },
    ]);
  });

  it('a user-level grant comes first: a user permission beats a group restriction, a user restriction beats the implicit grant', () => {
    const d = expectAllowed(
      q,
      { user: 'vip', attribute: 'Feeds_ViewFeed', feed: 'pub' },
      { index: 4, user: 'vip', task: VD, feed: 'pub', deny: false },
    );
    expect(d.trace.map((t) => [t.grant.index, t.reason])).toEqual([
      [4, 'first applicable grant: a permission, so allowed'],
      [0, 'a user-specific grant comes before group grants'],
      [-1, 'a user-specific grant comes before group grants'],
    ]);
    const restriction = {
      index: 5,
      user: 'dev',
      task: 'Publish Packages',
      feed: 'comm',
      deny: true,
    };
    const e = expectDenied(
      q,
      { user: 'dev', attribute: 'Feeds_AddPackage', feed: 'comm' },
      restriction,
    );
    expect(e.trace.map((t) => t.grant)).toEqual([
      restriction,
      { index: 6, group: 'Everyone', task: 'Manage Feed', feed: 'comm', deny: true },
      communityAdd,
    ]);
  });
});
