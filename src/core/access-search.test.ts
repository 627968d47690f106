// "Who can …" and "what can … do" on a small policy whose answers are known by hand: a group
// restriction beaten by a user permission, a public feed's implicit grants, a feed group with
// two feeds, and a group answering for its members through a probe.
import { describe, expect, it } from 'vitest';
import { whatCan, whoCan } from './access-search';
import { parsePolicy } from './parse';

const policy = parsePolicy({
  users: [
    { name: 'alice', groups: ['Developers'] },
    { name: 'bob', groups: ['Developers'] },
    { name: 'carol' },
  ],
  groups: [{ name: 'Developers' }, { name: 'Readers' }],
  feedGroups: [{ name: 'prod' }],
  feeds: [
    { name: 'Production', feedGroup: 'prod' },
    { name: 'Production-eu', feedGroup: 'prod' },
    { name: 'Staging' },
    { name: 'public-npm', feedType: 'npm', access: 'public' },
  ],
  permissions: [
    { group: 'Developers', task: 'Promote Packages' },
    { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
    { user: 'bob', task: 'Promote Packages', feed: 'Production' },
    { group: 'Readers', task: 'View & Download Packages', feedGroup: 'prod' },
  ],
});

const summary = (answer: ReturnType<typeof whoCan>) =>
  answer.rows.map(
    (r) =>
      `${r.kind}:${r.name} ${r.feeds.join(',')} ← ${r.decidedBy.map((g) => g.user ?? g.group).join(',')}`,
  );

describe('whoCan', () => {
  it('lists the users and groups allowed an attribute at a feed, with the deciding grant', () => {
    const answer = whoCan(policy, { attribute: 'Feeds_AddPackage' }, { feed: 'Production' });
    expect(answer.errors).toEqual([]);
    // alice is denied by the group restriction; bob's own permission beats it.
    expect(summary(answer)).toEqual(['user:bob Production ← bob']);
    expect(answer.rows[0]?.decidedBy[0]).toMatchObject({
      user: 'bob',
      feed: 'Production',
      deny: false,
    });

    const staging = whoCan(policy, { attribute: 'Feeds_AddPackage' }, { feed: 'Staging' });
    expect(summary(staging)).toEqual([
      'user:alice Staging ← Developers',
      'user:bob Staging ← Developers',
      'group:Developers Staging ← Developers',
    ]);
  });

  it('asks every feed of a feed group, and a task needs all of its attributes', () => {
    const answer = whoCan(policy, { task: 'View & Download Packages' }, { feedGroup: 'prod' });
    expect(answer.feeds).toEqual(['Production', 'Production-eu']);
    expect(summary(answer)).toEqual([
      'user:alice Production-eu ← Developers',
      'user:bob Production,Production-eu ← bob,Developers',
      'group:Developers Production-eu ← Developers',
      'group:Readers Production,Production-eu ← Readers',
    ]);
    // Readers hold view and download, not add: the task needs all four attributes.
    const promote = whoCan(policy, { task: 'Promote Packages' }, { feedGroup: 'prod' });
    expect(promote.rows.map((r) => r.name)).toEqual(['alice', 'bob', 'Developers']);
  });

  it("shows a public feed's implicit grant and Anonymous", () => {
    const answer = whoCan(policy, { attribute: 'Feeds_ViewFeed' }, { feed: 'public-npm' });
    const anonymous = answer.rows.find((r) => r.name === 'Anonymous');
    expect(anonymous?.decidedBy[0]).toMatchObject({ implicit: 'public', group: 'Everyone' });
    expect(answer.rows.filter((r) => r.kind === 'group').map((r) => r.name)).toEqual([
      'Developers',
      'Readers',
    ]);
  });

  it('says what is unknown instead of answering', () => {
    expect(whoCan(policy, { task: 'Nope' }, { feed: 'Gone' }).errors).toEqual([
      'unknown task "Nope"',
      'unknown feed "Gone"',
    ]);
    expect(whoCan(policy, { attribute: 'Feeds_Fly' }, { feedGroup: 'x' }).errors).toEqual([
      'unknown attribute "Feeds_Fly"',
      'unknown feed group "x"',
    ]);
  });
});

describe('whatCan', () => {
  it('gives every attribute of a user at a feed with the grant that decided', () => {
    const { errors, decisions } = whatCan(policy, { kind: 'user', name: 'alice' }, 'Production');
    expect(errors).toEqual([]);
    const add = decisions.find((d) => d.attribute === 'Feeds_AddPackage');
    expect(add).toMatchObject({
      allowed: false,
      scope: 'feed',
      decidedBy: { group: 'Developers', deny: true },
    });
    const system = decisions.find((d) => d.attribute === 'Admin_ConfigureProGet');
    expect(system).toMatchObject({ allowed: false, scope: 'system', decidedBy: null });
  });

  it('answers for a group as for a member of that group alone', () => {
    const { decisions } = whatCan(policy, { kind: 'group', name: 'Readers' }, 'Production');
    expect(decisions.filter((d) => d.allowed).map((d) => d.attribute)).toEqual([
      'Feeds_ViewFeed',
      'Feeds_DownloadPackage',
    ]);
    expect(whatCan(policy, { kind: 'group', name: 'Ghosts' }, 'Nope').errors).toEqual([
      'unknown feed "Nope"',
      'unknown group "Ghosts"',
    ]);
  });
});
