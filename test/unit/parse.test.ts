// policy-file.md (1/2): parsePolicy reports every validation problem with its exact path
// and message, all at once.
import { describe, expect, it } from 'vitest';
import { errorOf, one, problemsOf } from '../helpers/engine';
import { parsePolicy } from '../../src/core/index';

describe('parsePolicy: unknown keys are errors named with their path', () => {
  it('at the top level', () => {
    expect(problemsOf({ format: 'feedgate-policy/1', extra: 1 })).toEqual(
      one('extra', 'unknown key'),
    );
  });

  it('nested in items of every section', () => {
    expect(
      problemsOf({
        users: [{ name: 'a', nick: 'x' }],
        groups: [{ name: 'g', parent: 'x' }],
        feedGroups: [{ name: 'fg', feeds: [] }],
        feeds: [{ name: 'f', url: 'x' }],
        tasks: [{ name: 't', attributes: [], builtIn: true }],
        permissions: [{ user: 'a', task: 'Administer', id: 3 }],
      }),
    ).toEqual([
      { path: 'users[0].nick', message: 'unknown key' },
      { path: 'groups[0].parent', message: 'unknown key' },
      { path: 'feedGroups[0].feeds', message: 'unknown key' },
      { path: 'feeds[0].url', message: 'unknown key' },
      { path: 'tasks[0].builtIn', message: 'unknown key' },
      { path: 'permissions[0].id', message: 'unknown key' },
    ]);
  });
});

describe('parsePolicy: permissions', () => {
  const base = {
    users: [{ name: 'bob' }],
    groups: [{ name: 'Devs' }],
    feedGroups: [{ name: 'fg' }],
    feeds: [{ name: 'f', feedGroup: 'fg' }],
  };

  it('user and group both set', () => {
    expect(
      problemsOf({ ...base, permissions: [{ user: 'bob', group: 'Devs', task: 'Administer' }] }),
    ).toEqual(one('permissions[0]', 'user and group cannot both be set'));
  });

  it('neither user nor group', () => {
    expect(problemsOf({ ...base, permissions: [{ task: 'Administer' }] })).toEqual(
      one('permissions[0]', 'one of user or group is required'),
    );
  });

  it('both feed and feedGroup', () => {
    expect(
      problemsOf({
        ...base,
        permissions: [{ group: 'Devs', task: 'Publish Packages', feed: 'f', feedGroup: 'fg' }],
      }),
    ).toEqual(one('permissions[0]', 'feed and feedGroup cannot both be set'));
  });

  it('undeclared user, group, feed and feed group', () => {
    expect(
      problemsOf({
        ...base,
        permissions: [
          { user: 'alice', task: 'Administer' },
          { group: 'Ops', task: 'Administer' },
          { group: 'Devs', task: 'Publish Packages', feed: 'nuget' },
          { group: 'Devs', task: 'Publish Packages', feedGroup: 'prod' },
        ],
      }),
    ).toEqual([
      { path: 'permissions[0].user', message: 'unknown user "alice"' },
      { path: 'permissions[1].group', message: 'unknown group "Ops"' },
      { path: 'permissions[2].feed', message: 'unknown feed "nuget"' },
      { path: 'permissions[3].feedGroup', message: 'unknown feed group "prod"' },
    ]);
  });

  it('unknown task, with a suggestion as in the spec example', () => {
    const permissions = [0, 1, 2, 3].map((i) => ({
      group: 'Devs',
      task: i === 3 ? 'Publsh Packages' : 'Administer',
    }));
    expect(problemsOf({ ...base, permissions })).toEqual(
      one(
        'permissions[3].task',
        'unknown task "Publsh Packages" (did you mean "Publish Packages"?)',
      ),
    );
    expect(problemsOf({ ...base, permissions: [{ group: 'Devs', task: 'Deploy' }] })).toEqual(
      one('permissions[0].task', 'unknown task "Deploy"'),
    );
  });

  it('a non-feed-scopable task at feed or feed-group scope, naming the grant', () => {
    expect(
      problemsOf({
        ...base,
        tasks: [{ name: 'Mixed', attributes: ['Feeds_ViewFeed', 'Licenses_Manage'] }],
        permissions: [
          { group: 'Devs', task: 'Administer', feed: 'f' },
          { group: 'Devs', task: 'Manage Projects', feedGroup: 'fg' },
          { user: 'bob', task: 'Mixed', feed: 'f' },
          { user: 'bob', task: 'Mixed' },
        ],
      }).map((p) => [p.path, p.message.replace(/ \(it has system attributes [^)]*\)/, '')]),
    ).toEqual([
      [
        'permissions[0].task',
        'task "Administer" is not feed-scopable and cannot be granted at feed "f"',
      ],
      [
        'permissions[1].task',
        'task "Manage Projects" is not feed-scopable and cannot be granted at feed group "fg"',
      ],
      [
        'permissions[2].task',
        'task "Mixed" is not feed-scopable and cannot be granted at feed "f"',
      ],
    ]);
  });

  it('virtual principals: a user Anonymous and groups Authenticated/Everyone need no declaration; the wrong kind is an error', () => {
    const ok = parsePolicy({
      permissions: [
        { user: 'Anonymous', task: 'Administer' },
        { group: 'Authenticated', task: 'Administer' },
        { group: 'Everyone', task: 'Administer' },
      ],
    });
    expect(ok.permissions).toHaveLength(3);
    expect(
      problemsOf({
        permissions: [
          { user: 'Everyone', task: 'Administer' },
          { group: 'Anonymous', task: 'Administer' },
        ],
      }),
    ).toEqual([
      { path: 'permissions[0].user', message: '"Everyone" is a group, not a user' },
      { path: 'permissions[1].group', message: '"Anonymous" is a user, not a group' },
    ]);
  });
});

describe('parsePolicy: declarations', () => {
  it('undeclared users and groups in memberships, undeclared feed groups of feeds', () => {
    expect(
      problemsOf({
        users: [{ name: 'a', groups: ['nope'] }],
        groups: [{ name: 'g', users: ['x'], groups: ['y'] }],
        feeds: [{ name: 'f', feedGroup: 'missing' }],
      }),
    ).toEqual([
      { path: 'users[0].groups[0]', message: 'unknown group "nope"' },
      { path: 'groups[0].users[0]', message: 'unknown user "x"' },
      { path: 'groups[0].groups[0]', message: 'unknown group "y"' },
      { path: 'feeds[0].feedGroup', message: 'unknown feed group "missing"' },
    ]);
  });

  it('an unknown attribute in a task (with a suggestion for a near miss)', () => {
    expect(
      problemsOf({
        tasks: [{ name: 't', attributes: ['Feeds_ViewFeed', 'Feeds_viewfeed', 'Nope'] }],
      }),
    ).toEqual([
      {
        path: 'tasks[0].attributes[1]',
        message: 'unknown attribute "Feeds_viewfeed" (did you mean "Feeds_ViewFeed"?)',
      },
      { path: 'tasks[0].attributes[2]', message: 'unknown attribute "Nope"' },
    ]);
  });

  it('duplicate names in every section', () => {
    expect(
      problemsOf({
        users: [{ name: 'a' }, { name: 'b' }, { name: 'a' }],
        groups: [{ name: 'g' }, { name: 'g' }],
        feedGroups: [{ name: 'x' }, { name: 'x' }],
        feeds: [{ name: 'f' }, { name: 'f' }],
        tasks: [
          { name: 't', attributes: [] },
          { name: 't', attributes: [] },
        ],
      }),
    ).toEqual([
      { path: 'users[2].name', message: 'duplicate name "a" (also users[0])' },
      { path: 'groups[1].name', message: 'duplicate name "g" (also groups[0])' },
      { path: 'feedGroups[1].name', message: 'duplicate name "x" (also feedGroups[0])' },
      { path: 'feeds[1].name', message: 'duplicate name "f" (also feeds[0])' },
      { path: 'tasks[1].name', message: 'duplicate name "t" (also tasks[0])' },
    ]);
  });

  it('virtual principals cannot be declared', () => {
    expect(
      problemsOf({
        users: [{ name: 'Anonymous' }, { name: 'Everyone' }],
        groups: [{ name: 'Authenticated' }],
      }),
    ).toEqual([
      {
        path: 'users[0].name',
        message: '"Anonymous" is a virtual principal and cannot be declared',
      },
      {
        path: 'users[1].name',
        message: '"Everyone" is a virtual principal and cannot be declared',
      },
      {
        path: 'groups[0].name',
        message: '"Authenticated" is a virtual principal and cannot be declared',
      },
    ]);
  });

  it('virtual principals cannot be listed as members', () => {
    const implicit = (n: string) =>
      `"${n}" is a virtual principal: its membership is implicit and cannot be listed`;
    expect(
      problemsOf({
        users: [{ name: 'a', groups: ['Everyone', 'Authenticated'] }],
        groups: [{ name: 'g', users: ['Anonymous'], groups: ['Authenticated', 'Everyone'] }],
      }),
    ).toEqual([
      { path: 'users[0].groups[0]', message: implicit('Everyone') },
      { path: 'users[0].groups[1]', message: implicit('Authenticated') },
      { path: 'groups[0].users[0]', message: implicit('Anonymous') },
      { path: 'groups[0].groups[0]', message: implicit('Authenticated') },
      { path: 'groups[0].groups[1]', message: implicit('Everyone') },
    ]);
  });
});

describe('parsePolicy: every problem is reported at once', () => {
  it('several problems from one file (≥ 3)', () => {
    const problems = problemsOf({
      format: 'feedgate-policy/9',
      users: [{ name: 'bob', groups: ['Ghosts'] }],
      tasks: [{ name: 'Mine', attributes: ['Feeds_Nope'] }],
      permissions: [{ user: 'carol', task: 'Publsh Packages', feed: 'nuget' }],
    });
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'format',
        'users[0].groups[0]',
        'tasks[0].attributes[0]',
        'permissions[0].user',
        'permissions[0].task',
        'permissions[0].feed',
      ]),
    );
    const e = errorOf({
      users: [{ name: 'bob', groups: ['Ghosts'] }],
      permissions: [{ user: 'carol', task: 'Deploy' }],
    });
    expect(e.message).toContain('users[0].groups[0]: unknown group "Ghosts"');
    expect(e.message).toContain('permissions[0].task: unknown task "Deploy"');
  });

  it('a structural problem in one item does not hide the semantic problems of other items', () => {
    expect(
      problemsOf({
        users: [{ name: 'bob', nick: 'b' }],
        permissions: [{ user: 'bob', task: 'Deploy' }],
      }),
    ).toEqual([
      { path: 'users[0].nick', message: 'unknown key' },
      { path: 'permissions[0].task', message: 'unknown task "Deploy"' },
    ]);
    expect(
      problemsOf({
        extra: true,
        groups: [{ name: 'g', users: 5 }],
        permissions: [
          { group: 'Devs', task: 'Administer' },
          { group: 'Everyone', task: 'Administer', deny: 1 },
        ],
      }),
    ).toEqual([
      { path: 'extra', message: 'unknown key' },
      { path: 'groups[0].users', message: 'Invalid input: expected array, received number' },
      { path: 'permissions[1].deny', message: 'Invalid input: expected boolean, received number' },
      { path: 'permissions[0].group', message: 'unknown group "Devs"' },
    ]);
  });
});
