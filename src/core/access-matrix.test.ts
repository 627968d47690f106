// The matrix on a small policy whose answers are known by hand: a group restriction beaten by
// a user permission, a public feed's implicit grants (they decide first there), a task partly
// allowed, a group through its probe member (which never shows as a row), the filter per mode
// over one prepared policy, and windows sliced from their offsets.
import { describe, expect, it } from 'vitest';
import { explainMatrixCell, matrixWindow } from './access-matrix';
import { prepareAccess } from './access-search';
import { parsePolicy } from './parse';

const policy = parsePolicy({
  users: [
    { name: 'alice', groups: ['Developers'] },
    { name: 'bob', groups: ['Developers'] },
    { name: 'Dana' },
  ],
  groups: [{ name: 'Developers' }, { name: 'Readers' }],
  feeds: [
    { name: 'Production' },
    { name: 'Staging' },
    { name: 'public-npm', feedType: 'npm', access: 'public' },
  ],
  permissions: [
    { group: 'Developers', task: 'Promote Packages' },
    { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
    { user: 'bob', task: 'Promote Packages', feed: 'Production' },
  ],
});

const all = { offset: 0, limit: 10 };

describe('matrixWindow', () => {
  it('gives each cell the state that decides it', () => {
    const window = matrixWindow(policy, {
      mode: 'users',
      subject: { attribute: 'Feeds_ViewFeed' },
      rows: all,
      feeds: all,
    });
    expect(window.principals).toEqual(['alice', 'bob', 'Dana']);
    expect(window.cells).toEqual([
      ['deny', 'allow', 'implicit'],
      ['allow', 'allow', 'implicit'],
      ['none', 'none', 'implicit'],
    ]);
  });

  it('shows groups without their probe members, a task partly allowed', () => {
    const prepared = prepareAccess(policy);
    const groups = matrixWindow(prepared, {
      mode: 'groups',
      subject: { task: 'Manage Feed' },
      rows: all,
      feeds: all,
    });
    expect(groups.principals).toEqual(['Developers', 'Readers']);
    expect(groups.cells[0]).toEqual(['deny', 'partial', 'partial']);
    // A public feed gives its readers some of Manage Feed: viewing and downloading.
    expect(groups.cells[1]).toEqual(['none', 'none', 'partial']);
    // The probes are users of the prepared policy, never rows of the users matrix.
    const users = matrixWindow(prepared, {
      mode: 'users',
      subject: { task: 'Manage Feed' },
      rows: all,
      feeds: all,
    });
    expect(users.totalPrincipals).toBe(3);
  });

  it('filters each mode on its own names, and slices from the offsets', () => {
    const prepared = prepareAccess(policy);
    const ask = (mode: 'users' | 'groups', filter: string) =>
      matrixWindow(prepared, {
        mode,
        subject: { attribute: 'Feeds_ViewFeed' },
        filter,
        rows: { offset: 1, limit: 1 },
        feeds: { offset: 1, limit: 5 },
      });
    expect(ask('users', 'd')).toMatchObject({
      totalPrincipals: 1,
      principals: [],
      feeds: ['Staging', 'public-npm'],
    });
    expect(ask('groups', 'd')).toMatchObject({ totalPrincipals: 2, principals: ['Readers'] });
    expect(ask('users', 'B')).toMatchObject({ totalPrincipals: 1, principals: [] });
    expect(ask('users', '')).toMatchObject({ principals: ['bob'], cells: [['allow', 'implicit']] });
  });
});

describe('explainMatrixCell', () => {
  it('explains a group cell through its probe, naming the grants that lost', () => {
    const answer = explainMatrixCell(policy, {
      mode: 'groups',
      subject: { attribute: 'Feeds_AddPackage' },
      principal: 'Developers',
      feed: 'Production',
    });
    expect(answer.state).toBe('deny');
    const [only] = answer.decisions;
    expect(only?.decision.decidedBy).toMatchObject({ group: 'Developers', deny: true });
    expect(only?.decision.trace.map((t) => t.decided)).toEqual([true, false]);
  });
});
