// security-model.md, rule by rule (3/4): transitive groups and cycles, the
// virtual principals, undeclared users, and malformed queries.
import { describe, expect, it } from 'vitest';
import { decide, expectAllowed, expectDenied } from '../helpers/engine';
import {
  compile,
  groupsOfUser,
  indexPolicy,
  parsePolicy,
  resolve,
  type Policy,
} from '../../src/core/index';

const VD = 'View & Download Packages';
const view = 'Feeds_ViewFeed';

describe('Groups are resolved transitively (security-model.md "Principals and directories")', () => {
  it('groups[].groups names groups nested inside: members of a nested group are members of the outer group', () => {
    const p = parsePolicy({
      users: [
        { name: 'u', groups: ['Inner'] },
        { name: 'top', groups: ['Outer'] },
      ],
      groups: [
        { name: 'Inner' },
        { name: 'Middle', groups: ['Inner'] },
        { name: 'Outer', groups: ['Middle'] },
      ],
      permissions: [
        { group: 'Outer', task: VD },
        { group: 'Inner', task: 'Manage Projects' },
      ],
    });
    expectAllowed(
      p,
      { user: 'u', attribute: view },
      { index: 0, group: 'Outer', task: VD, deny: false },
    );
    // Membership flows inwards only: a member of the outer group is not in the inner one.
    expectDenied(p, { user: 'top', attribute: 'Projects_View' }, null);
    expect([...groupsOfUser(indexPolicy(p), 'u')].sort()).toEqual([
      'Authenticated',
      'Everyone',
      'Inner',
      'Middle',
      'Outer',
    ]);
  });

  it('cycles are harmless: every group on a cycle contains the members of all of them', () => {
    const p = parsePolicy({
      users: [
        { name: 'u', groups: ['A'] },
        { name: 'v', groups: ['C'] },
      ],
      groups: [
        { name: 'A', groups: ['C'] },
        { name: 'B', groups: ['A'] },
        { name: 'C', groups: ['B'] },
        { name: 'Unrelated', groups: ['Unrelated'] },
      ],
      permissions: [
        { group: 'Unrelated', task: 'Administer' },
        { group: 'C', task: VD },
        { group: 'A', task: VD, deny: true, feed: 'f' },
      ],
      feeds: [{ name: 'f' }],
    });
    expectAllowed(
      p,
      { user: 'u', attribute: view },
      { index: 1, group: 'C', task: VD, deny: false },
    );
    expectDenied(
      p,
      { user: 'v', attribute: view, feed: 'f' },
      { index: 2, group: 'A', task: VD, feed: 'f', deny: true },
    );
    expectDenied(p, { user: 'u', attribute: 'Licenses_Manage' }, null);
    expect([...groupsOfUser(indexPolicy(p), 'v')].sort()).toEqual([
      'A',
      'Authenticated',
      'B',
      'C',
      'Everyone',
    ]);
  });

  it('a group nested in itself is harmless', () => {
    const p = parsePolicy({
      users: [{ name: 'u', groups: ['Self'] }],
      groups: [{ name: 'Self', groups: ['Self'] }],
      permissions: [{ group: 'Self', task: VD }],
    });
    expectAllowed(
      p,
      { user: 'u', attribute: view },
      { index: 0, group: 'Self', task: VD, deny: false },
    );
  });

  /** g0 inside g1 inside ... inside g(n-1); user `deep` is in g0. */
  function chain(n: number, cycle: boolean): Policy {
    const groups = Array.from({ length: n }, (_, i) => ({
      name: `g${i}`,
      groups: i > 0 ? [`g${i - 1}`] : cycle ? [`g${n - 1}`] : [],
    }));
    return parsePolicy({
      users: [
        { name: 'deep', groups: ['g0'] },
        { name: 'shallow', groups: [`g${n - 1}`] },
      ],
      groups,
      permissions: [
        { group: `g${n - 1}`, task: VD },
        { group: 'g0', task: 'Manage Projects' },
      ],
    });
  }

  it('a chain of 10,000 nested groups neither hangs nor overflows the stack', () => {
    const p = chain(10_000, false);
    expectAllowed(
      p,
      { user: 'deep', attribute: view },
      { index: 0, group: 'g9999', task: VD, deny: false },
    );
    expectDenied(p, { user: 'shallow', attribute: 'Projects_View' }, null);
    expect(groupsOfUser(indexPolicy(p), 'deep').size).toBe(10_002);
    const fast = compile(p);
    expect(fast.isAllowed('deep', view)).toBe(true);
    expect(fast.isAllowed('shallow', 'Projects_View')).toBe(false);
  }, 20_000);

  it('a cycle of 10,000 nested groups neither hangs nor overflows the stack', () => {
    const p = chain(10_000, true);
    expectAllowed(
      p,
      { user: 'deep', attribute: view },
      { index: 0, group: 'g9999', task: VD, deny: false },
    );
    // On a cycle, every group contains every other: the outermost member is in g0 too.
    expectAllowed(
      p,
      { user: 'shallow', attribute: 'Projects_View' },
      { index: 1, group: 'g0', task: 'Manage Projects', deny: false },
    );
  }, 20_000);
});

describe('Virtual principals (security-model.md "Principals and directories")', () => {
  const p = parsePolicy({
    users: [{ name: 'member', groups: ['Staff'] }, { name: 'loner' }],
    groups: [{ name: 'Staff' }],
    permissions: [
      { group: 'Everyone', task: VD }, // 0
      { group: 'Authenticated', task: 'Publish Packages' }, // 1
      { user: 'Anonymous', task: 'Manage Projects' }, // 2
      { group: 'Staff', task: 'Manage Feed' }, // 3
    ],
  });
  const everyone = { index: 0, group: 'Everyone', task: VD, deny: false };
  const authenticated = { index: 1, group: 'Authenticated', task: 'Publish Packages', deny: false };

  it('Anonymous is in Everyone only: not in Authenticated, not in any declared group', () => {
    expect([...groupsOfUser(indexPolicy(p), 'Anonymous')]).toEqual(['Everyone']);
    expectAllowed(p, { user: 'Anonymous', attribute: view }, everyone);
    expectDenied(p, { user: 'Anonymous', attribute: 'Feeds_AddPackage' }, null);
    expectDenied(p, { user: 'Anonymous', attribute: 'Feeds_DeletePackage' }, null);
  });

  it('grants to the user Anonymous apply to the unauthenticated caller only', () => {
    expectAllowed(
      p,
      { user: 'Anonymous', attribute: 'Projects_View' },
      { index: 2, user: 'Anonymous', task: 'Manage Projects', deny: false },
    );
    expectDenied(p, { user: 'loner', attribute: 'Projects_View' }, null);
  });

  it('Authenticated applies to every signed-in user, declared or not, with or without groups', () => {
    for (const user of ['member', 'loner', 'someone-from-ldap']) {
      expectAllowed(p, { user, attribute: 'Feeds_AddPackage' }, authenticated);
      expect(groupsOfUser(indexPolicy(p), user).has('Authenticated')).toBe(true);
    }
  });

  it('Everyone applies to everybody, signed in or not', () => {
    for (const user of ['member', 'loner', 'someone-from-ldap', 'Anonymous']) {
      expectAllowed(p, { user, attribute: 'Feeds_DownloadPackage' }, everyone);
      expect(groupsOfUser(indexPolicy(p), user).has('Everyone')).toBe(true);
    }
  });

  it('virtual-group grants are sorted like any group grant (a declared group restriction at feed scope beats them)', () => {
    const q = parsePolicy({
      users: [{ name: 'member', groups: ['Staff'] }],
      groups: [{ name: 'Staff' }],
      feeds: [{ name: 'f' }],
      permissions: [
        { group: 'Everyone', task: VD },
        { group: 'Staff', task: VD, feed: 'f', deny: true },
        { group: 'Authenticated', task: VD, deny: true },
      ],
    });
    expectDenied(
      q,
      { user: 'member', attribute: view, feed: 'f' },
      { index: 1, group: 'Staff', task: VD, feed: 'f', deny: true },
    );
    // Global tier: the Authenticated restriction comes before the Everyone permission.
    expectDenied(
      q,
      { user: 'member', attribute: view },
      { index: 2, group: 'Authenticated', task: VD, deny: true },
    );
    expectAllowed(
      q,
      { user: 'Anonymous', attribute: view },
      { index: 0, group: 'Everyone', task: VD, deny: false },
    );
  });
});

describe('An undeclared user is treated as signed in with no groups', () => {
  const p = parsePolicy({
    users: [{ name: 'known', groups: ['Staff'] }],
    groups: [{ name: 'Staff' }],
    permissions: [
      { group: 'Staff', task: 'Administer' },
      { group: 'Authenticated', task: VD },
    ],
  });

  it('gets Authenticated and Everyone grants and nothing from declared groups, without errors', () => {
    expect([...groupsOfUser(indexPolicy(p), 'ghost')].sort()).toEqual([
      'Authenticated',
      'Everyone',
    ]);
    expectAllowed(
      p,
      { user: 'ghost', attribute: view },
      { index: 1, group: 'Authenticated', task: VD, deny: false },
    );
    expectDenied(p, { user: 'ghost', attribute: 'Licenses_Manage' }, null);
    expectAllowed(
      p,
      { user: 'known', attribute: 'Licenses_Manage' },
      { index: 0, group: 'Staff', task: 'Administer', deny: false },
    );
  });

  it('two undeclared users get the same decisions from the compiled evaluator', () => {
    const fast = compile(p);
    fast.check({ user: 'ghost-1', attribute: view });
    expect(fast.check({ user: 'ghost-2', attribute: 'Licenses_Manage' }).allowed).toBe(false);
    expect(fast.check({ user: 'ghost-2', attribute: view }).allowed).toBe(true);
  });

  it('a hand-built policy (not parsed) with a grant naming an undeclared user: compile agrees with resolve', () => {
    const forged: Policy = {
      ...p,
      permissions: [...p.permissions, { user: 'ghost', task: 'Administer', deny: false }],
    };
    const grant = { index: 2, user: 'ghost', task: 'Administer', deny: false };
    expectAllowed(forged, { user: 'ghost', attribute: 'Licenses_Manage' }, grant);
    expectDenied(forged, { user: 'ghost-2', attribute: 'Licenses_Manage' }, null);
  });
});

describe('Malformed queries: unknown attribute or feed → errors, allowed false', () => {
  const p = parsePolicy({
    users: [{ name: 'u' }],
    feeds: [{ name: 'f', access: 'public' }],
    permissions: [{ user: 'u', task: 'Administer' }],
  });

  it('an unknown attribute is an error (with a suggestion for a near miss), never allowed', () => {
    const d = decide(p, { user: 'u', attribute: 'Feeds_ViewFed' });
    expect(d).toEqual({
      allowed: false,
      decidedBy: null,
      trace: [],
      errors: ['unknown attribute "Feeds_ViewFed" (did you mean "Feeds_ViewFeed"?)'],
    });
    expect(decide(p, { user: 'u', attribute: 'Nope' }).errors).toEqual([
      'unknown attribute "Nope"',
    ]);
  });

  it('an unknown feed is an error, never allowed, even for an administrator', () => {
    const d = decide(p, { user: 'u', attribute: view, feed: 'nowhere' });
    expect(d).toEqual({
      allowed: false,
      decidedBy: null,
      trace: [],
      errors: ['unknown feed "nowhere"'],
    });
  });

  it('both problems are reported together; an empty user is an error too', () => {
    expect(decide(p, { user: 'u', attribute: 'Nope', feed: 'nowhere' }).errors).toEqual([
      'unknown attribute "Nope"',
      'unknown feed "nowhere"',
    ]);
    const d = decide(p, { user: '', attribute: view });
    expect(d.allowed).toBe(false);
    expect(d.errors).toEqual(['user is required']);
    expect(resolve(p, { user: 'u', attribute: view, feed: 'f' }).errors).toEqual([]);
  });
});
