// withMember: how an LDAP user's groups enter a decision (the LDAP side is in
// http/routes/v1-directories.test.ts, against a real slapd). Both engines must agree (decide).
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../core/index';
import { decide } from '../../../test/helpers/engine';
import { PROBE_USER, withMember } from './directories';

const policy = parsePolicy({
  directory: 'corp',
  users: [{ name: 'bob', groups: ['Readers'] }],
  groups: [
    { name: 'Admins', users: [] },
    { name: 'Readers', users: [] },
    { name: 'Blocked', users: [] },
  ],
  feeds: [{ name: 'Main', feedType: 'nuget', access: 'private' }],
  permissions: [
    { group: 'Admins', task: 'Administer' },
    { group: 'Readers', task: 'View & Download Packages', feed: 'Main' },
    { group: 'Blocked', task: 'Administer', deny: true },
  ],
});
const admin = (p: typeof policy, user: string) =>
  decide(p, { user, attribute: 'Admin_ConfigureProGet' }).allowed;

describe('withMember', () => {
  it('makes an undeclared user a member of the declared groups among theirs, matched without case', () => {
    const member = withMember(policy, PROBE_USER, ['admins', 'not-in-the-policy']);
    expect(member.users.find((u) => u.name === PROBE_USER)?.groups).toEqual(['Admins']);
    expect(member.groups.find((g) => g.name === 'Admins')?.users).toEqual([PROBE_USER]);
    expect(admin(member, PROBE_USER)).toBe(true);
    expect(admin(withMember(policy, PROBE_USER, ['not-in-the-policy']), PROBE_USER)).toBe(false);
  });

  it("keeps a declared user's stored groups and lets a restriction of an LDAP group win", () => {
    const bob = withMember(policy, 'bob', ['Admins']);
    expect(bob.users.find((u) => u.name === 'bob')?.groups.sort()).toEqual(['Admins', 'Readers']);
    expect(decide(bob, { user: 'bob', attribute: 'Feeds_ViewFeed', feed: 'Main' }).allowed).toBe(
      true,
    );
    expect(admin(bob, 'bob')).toBe(true);
    expect(admin(withMember(policy, 'bob', ['Admins', 'Blocked']), 'bob')).toBe(false);
  });

  it('changes nothing in the policy it is given', () => {
    const before = JSON.stringify(policy);
    withMember(policy, 'bob', ['Admins']);
    expect(JSON.stringify(policy)).toBe(before);
  });
});
