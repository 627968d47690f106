// security-model.md, rule by rule (2/4): the resolution algorithm, explanations, and the
// worked example. Every decision is asserted for both resolve() and compile().check().
import { describe, expect, it } from 'vitest';
import { SYSTEM_ONLY, expectAllowed, expectDenied, policyWith } from '../helpers/engine';
import { parsePolicy, type Policy } from '../../src/core/index';

describe('Resolution (security-model.md "Resolution")', () => {
  const view = 'Feeds_ViewFeed';
  const VD = 'View & Download Packages';

  it('step 2: user-specific grants come before group grants (a global user permission beats a feed group restriction)', () => {
    const p = policyWith([
      { group: 'G', task: VD, feed: 'A', deny: true },
      { user: 'u', task: VD },
    ]);
    const d = expectAllowed(
      p,
      { user: 'u', attribute: view, feed: 'A' },
      { index: 1, user: 'u', task: VD, deny: false },
    );
    expect(d.trace.map((t) => [t.grant.index, t.decided, t.reason])).toEqual([
      [1, true, 'first applicable grant: a permission, so allowed'],
      [0, false, 'a user-specific grant comes before group grants'],
    ]);
  });

  it('step 2: a global user restriction beats a feed-scoped group permission', () => {
    const p = policyWith([
      { group: 'G', task: VD, feed: 'A' },
      { user: 'u', task: VD, deny: true },
    ]);
    expectDenied(
      p,
      { user: 'u', attribute: view, feed: 'A' },
      { index: 1, user: 'u', task: VD, deny: true },
    );
  });

  it('step 2: feed before feed group before global (user grants)', () => {
    const global = { user: 'u', task: VD, deny: true };
    const group = { user: 'u', task: VD, feedGroup: 'FG' };
    const feed = { user: 'u', task: VD, feed: 'A', deny: true };
    expectDenied(
      policyWith([global, group, feed]),
      { user: 'u', attribute: view, feed: 'A' },
      { index: 2, ...feed },
    );
    expectAllowed(
      policyWith([global, group]),
      { user: 'u', attribute: view, feed: 'A' },
      { index: 1, ...group, deny: false },
    );
    expectDenied(
      policyWith([global, group]),
      { user: 'u', attribute: view, feed: 'B' },
      { index: 0, ...global },
    );
  });

  it('step 2: feed before feed group before global (group grants)', () => {
    const global = { group: 'G', task: VD };
    const group = { group: 'G', task: VD, feedGroup: 'FG', deny: true };
    const feed = { group: 'G', task: VD, feed: 'A' };
    const p = policyWith([global, group, feed]);
    const d = expectAllowed(
      p,
      { user: 'u', attribute: view, feed: 'A' },
      { index: 2, ...feed, deny: false },
    );
    expect(d.trace.map((t) => [t.grant.index, t.reason])).toEqual([
      [2, 'first applicable grant: a permission, so allowed'],
      [1, 'group grants at feed scope come before group grants at feed-group scope'],
      [0, 'group grants at feed scope come before group grants at global scope'],
    ]);
    expectDenied(
      policyWith([global, group]),
      { user: 'u', attribute: view, feed: 'A' },
      { index: 1, ...group },
    );
  });

  it('step 2: restriction before permission at the same level, whatever the policy order', () => {
    const allow = { group: 'G', task: VD, feed: 'A' };
    const deny = { group: 'G', task: 'Promote Packages', feed: 'A', deny: true };
    const d = expectDenied(
      policyWith([allow, deny]),
      { user: 'u', attribute: view, feed: 'A' },
      { index: 1, ...deny },
    );
    expect(d.trace[1]?.reason).toBe('a restriction comes before a permission at the same level');
    expectDenied(
      policyWith([deny, allow]),
      { user: 'u', attribute: view, feed: 'A' },
      { index: 0, ...deny },
    );
  });

  it('step 3: the first grant decides; equal grants keep policy order', () => {
    const p = policyWith([
      { group: 'G', task: 'Promote Packages' },
      { group: 'G', task: VD },
    ]);
    const d = expectAllowed(
      p,
      { user: 'u', attribute: view },
      { index: 0, group: 'G', task: 'Promote Packages', deny: false },
    );
    expect(d.trace.map((t) => [t.grant.index, t.decided])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(d.trace[1]?.reason).toBe(
      'an earlier grant at the same level and with the same effect decided (policy order)',
    );
  });

  it('step 3: no applicable grant means denied, with no deciding grant and an empty trace', () => {
    const p = policyWith([{ user: 'other', task: 'Administer' }]);
    const d = expectDenied(p, { user: 'u', attribute: view, feed: 'A' }, null);
    expect(d.trace).toEqual([]);
    expect(d.errors).toEqual([]);
  });

  it('step 1: a system-only attribute is decided by global grants alone, even when a feed is named', () => {
    const admin = { group: 'G', task: 'Administer' };
    const p = policyWith([admin]);
    for (const attribute of SYSTEM_ONLY)
      expectAllowed(p, { user: 'u', attribute, feed: 'A' }, { index: 0, ...admin, deny: false });
    // A feed-scoped grant of a system attribute (not parseable, built by hand) never applies.
    const forged: Policy = {
      ...p,
      permissions: [{ user: 'u', task: 'Administer', feed: 'A', deny: true }, ...p.permissions],
    };
    const d = expectAllowed(
      forged,
      { user: 'u', attribute: 'Licenses_Manage', feed: 'A' },
      { index: 1, ...admin, deny: false },
    );
    expect(d.trace).toHaveLength(1);
    // ... while it does apply to the feed-scopable attributes on that feed.
    expectDenied(
      forged,
      { user: 'u', attribute: view, feed: 'A' },
      { index: 0, user: 'u', task: 'Administer', feed: 'A', deny: true },
    );
  });

  it('step 1: a feed-scopable attribute demanded without a feed is decided by global grants only', () => {
    const p = policyWith([
      { user: 'u', task: VD, feed: 'A' },
      { user: 'u', task: VD, feedGroup: 'FG' },
      { group: 'G', task: VD, feed: 'B' },
    ]);
    expectDenied(p, { user: 'u', attribute: view }, null);
    const withGlobal = policyWith([
      { user: 'u', task: VD, feed: 'A', deny: true },
      { group: 'G', task: VD },
    ]);
    const d = expectAllowed(
      withGlobal,
      { user: 'u', attribute: view },
      { index: 1, group: 'G', task: VD, deny: false },
    );
    expect(d.trace).toHaveLength(1);
  });

  it('step 1: scope coverage: global covers all feeds, a feed group covers its feeds, a feed covers itself', () => {
    const p = policyWith([{ user: 'u', task: VD, feedGroup: 'FG' }]);
    expectAllowed(
      p,
      { user: 'u', attribute: view, feed: 'A' },
      { index: 0, user: 'u', task: VD, feedGroup: 'FG', deny: false },
    );
    expectDenied(p, { user: 'u', attribute: view, feed: 'B' }, null);
    const q = policyWith([{ user: 'u', task: VD, feed: 'B' }]);
    expectDenied(q, { user: 'u', attribute: view, feed: 'A' }, null);
  });

  it('every decision is explainable: the trace lists every applicable grant in order, with why each lost', () => {
    const p = policyWith([
      { group: 'G', task: VD }, // 0 group global
      { user: 'other', task: VD, deny: true }, // not applicable: another user
      { user: 'u', task: VD, feed: 'B', deny: true }, // not applicable: another feed
      { user: 'u', task: 'Manage Projects' }, // not applicable: task does not meet
      { group: 'G', task: VD, feed: 'A', deny: true }, // 4 group feed restriction
      { user: 'u', task: VD, feedGroup: 'FG' }, // 5 user feed group
      { group: 'G', task: 'Manage Feed', feed: 'A' }, // 6 group feed permission
      { user: 'u', task: VD }, // 7 user global
    ]);
    const d = expectAllowed(
      p,
      { user: 'u', attribute: view, feed: 'A' },
      { index: 5, user: 'u', task: VD, feedGroup: 'FG', deny: false },
    );
    expect(d.trace.map((t) => [t.grant.index, t.decided, t.reason])).toEqual([
      [5, true, 'first applicable grant: a permission, so allowed'],
      [7, false, 'user grants at feed-group scope come before user grants at global scope'],
      [4, false, 'a user-specific grant comes before group grants'],
      [6, false, 'a user-specific grant comes before group grants'],
      [0, false, 'a user-specific grant comes before group grants'],
    ]);
    expect(d.trace[2]?.grant).toEqual({ index: 4, group: 'G', task: VD, feed: 'A', deny: true });
  });
});

describe('Worked example (security-model.md): "Developers may Promote Packages" / "may not ... to Production"', () => {
  const p = parsePolicy({
    users: [
      { name: 'alice', groups: ['Developers'] },
      { name: 'bob', groups: ['Developers'] },
      { name: 'carol' },
    ],
    groups: [{ name: 'Developers' }, { name: 'Administrators', users: ['carol'] }],
    feedGroups: [{ name: 'production-packages' }],
    feeds: [
      { name: 'Production', feedGroup: 'production-packages' },
      { name: 'Staging' },
      { name: 'Nightly' },
    ],
    permissions: [
      { group: 'Administrators', task: 'Administer' },
      { group: 'Developers', task: 'Promote Packages' },
      { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
      { user: 'bob', task: 'Promote Packages', feed: 'Production' },
    ],
  });
  const promote = 'Feeds_AcceptPackagePromotions';
  const allowDevs = { index: 1, group: 'Developers', task: 'Promote Packages', deny: false };
  const denyDevs = {
    index: 2,
    group: 'Developers',
    task: 'Promote Packages',
    feed: 'Production',
    deny: true,
  };

  it('a developer can promote into every feed except Production', () => {
    expectAllowed(p, { user: 'alice', attribute: promote, feed: 'Staging' }, allowDevs);
    expectAllowed(p, { user: 'alice', attribute: promote, feed: 'Nightly' }, allowDevs);
    const d = expectDenied(p, { user: 'alice', attribute: promote, feed: 'Production' }, denyDevs);
    expect(d.trace.map((t) => [t.grant.index, t.reason])).toEqual([
      [2, 'first applicable grant: a restriction, so denied'],
      [1, 'group grants at feed scope come before group grants at global scope'],
    ]);
    for (const attribute of ['Feeds_ViewFeed', 'Feeds_DownloadPackage', 'Feeds_AddPackage'])
      expectDenied(p, { user: 'alice', attribute, feed: 'Production' }, denyDevs);
  });

  it('a user-level permission beats a group-level restriction', () => {
    const d = expectAllowed(
      p,
      { user: 'bob', attribute: promote, feed: 'Production' },
      { index: 3, user: 'bob', task: 'Promote Packages', feed: 'Production', deny: false },
    );
    expect(d.trace.map((t) => [t.grant.index, t.reason])).toEqual([
      [3, 'first applicable grant: a permission, so allowed'],
      [2, 'a user-specific grant comes before group grants'],
      [1, 'a user-specific grant comes before group grants'],
    ]);
    expectAllowed(p, { user: 'bob', attribute: promote, feed: 'Staging' }, allowDevs);
  });

  it('the restriction covers only what the task meets; others are unaffected', () => {
    expectDenied(p, { user: 'alice', attribute: 'Feeds_DeletePackage', feed: 'Staging' }, null);
    expectAllowed(
      p,
      { user: 'carol', attribute: promote, feed: 'Production' },
      { index: 0, group: 'Administrators', task: 'Administer', deny: false },
    );
    expectAllowed(
      p,
      { user: 'carol', attribute: 'Feeds_ViewFeed', feed: 'Nightly' },
      { index: 0, group: 'Administrators', task: 'Administer', deny: false },
    );
  });

  it('a feed-group restriction beats a global permission, and a feed-scoped group permission beats both', () => {
    const fg = parsePolicy({
      ...exampleFile(),
      permissions: [
        { group: 'Developers', task: 'Promote Packages' },
        {
          group: 'Developers',
          task: 'Promote Packages',
          feedGroup: 'production-packages',
          deny: true,
        },
      ],
    });
    const restriction = {
      index: 1,
      group: 'Developers',
      task: 'Promote Packages',
      feedGroup: 'production-packages',
      deny: true,
    };
    const d = expectDenied(
      fg,
      { user: 'alice', attribute: promote, feed: 'Production' },
      restriction,
    );
    expect(d.trace[1]?.reason).toBe(
      'group grants at feed-group scope come before group grants at global scope',
    );
    expectAllowed(
      fg,
      { user: 'alice', attribute: promote, feed: 'Staging' },
      { index: 0, group: 'Developers', task: 'Promote Packages', deny: false },
    );
    const withFeed = {
      ...fg,
      permissions: [
        ...fg.permissions,
        { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: false },
      ],
    };
    expectAllowed(
      withFeed,
      { user: 'alice', attribute: promote, feed: 'Production' },
      { index: 2, group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: false },
    );
  });
});

function exampleFile() {
  return {
    users: [{ name: 'alice', groups: ['Developers'] }],
    groups: [{ name: 'Developers' }],
    feedGroups: [{ name: 'production-packages' }],
    feeds: [{ name: 'Production', feedGroup: 'production-packages' }, { name: 'Staging' }],
  };
}
