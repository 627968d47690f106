// policy-file.md (2/2): reading JSON and YAML text (and what is not a policy file), the
// format and value types, and normalization: merged memberships, defaults, built-in tasks.
import { describe, expect, it } from 'vitest';
import { errorOf, one, problemsOf } from '../helpers/engine';
import { BUILT_IN_TASKS, parsePolicy, resolve } from '../../src/core/index';

describe('parsePolicy: format and types', () => {
  it('a wrong `format`', () => {
    expect(problemsOf({ format: 'feedgate-policy/2' })).toEqual(
      one('format', 'must be "feedgate-policy/1"'),
    );
    expect(problemsOf({ format: 1 })).toEqual(one('format', 'must be "feedgate-policy/1"'));
  });

  it('wrong types, with their paths', () => {
    expect(problemsOf({ users: 'bob' })).toEqual(
      one('users', 'Invalid input: expected array, received string'),
    );
    expect(problemsOf({ users: [{ name: 3 }] })).toEqual(
      one('users[0].name', 'Invalid input: expected string, received number'),
    );
    expect(problemsOf({ users: [{ name: ' ' }] })).toEqual(
      one('users[0].name', 'must not be empty'),
    );
    expect(
      problemsOf({ permissions: [{ group: 'Everyone', task: 'Administer', deny: 'yes' }] }),
    ).toEqual(one('permissions[0].deny', 'Invalid input: expected boolean, received string'));
    expect(problemsOf({ permissions: [{ group: 'Everyone' }] })).toEqual(
      one('permissions[0].task', 'Invalid input: expected string, received undefined'),
    );
    expect(problemsOf({ tasks: [{ name: 't' }] })).toEqual(
      one('tasks[0].attributes', 'Invalid input: expected array, received undefined'),
    );
    const access = problemsOf({ feeds: [{ name: 'f', access: 'secret' }] });
    expect(access).toEqual(
      one(
        'feeds[0].access',
        'Invalid option: expected one of "private"|"public"|"community"|"organization"',
      ),
    );
    expect(problemsOf({ feeds: [{ name: 'f', feedType: 'floppy' }] })[0]?.path).toBe(
      'feeds[0].feedType',
    );
  });

  it('an empty file, a blank file', () => {
    expect(problemsOf('')).toEqual(one('(root)', 'the file is empty'));
    expect(problemsOf(' \n\t\n')).toEqual(one('(root)', 'the file is empty'));
  });

  it('a top-level array, scalar or null is not a policy file', () => {
    for (const input of ['[]', '[{"users": []}]', '- users: []', '42', '"text"', [], null, 7])
      expect(problemsOf(input), JSON.stringify(input)).toEqual(
        one('(root)', 'expected an object (a policy file)'),
      );
  });

  it('malformed JSON gives a PolicyError whose message names a line', () => {
    for (const text of [
      '{"users": [}',
      '{\n  "users": [\n    {"name": "a",}\n  ]\n}',
      '{\n  "users": [\n',
    ]) {
      const e = errorOf(text);
      expect(e.message).toMatch(/line \d+/);
      expect(e.problems[0]?.path).toBe('(root)');
      expect(e.problems[0]?.message).toMatch(/^malformed JSON/);
    }
    expect(errorOf('{\n  "users": [\n    {"name": "a",}\n  ]\n}').message).toMatch(/line 3\b/);
  });

  it('malformed YAML gives a PolicyError whose message names a line', () => {
    for (const text of ['users:\n  - name: a\n   - b: [', 'users: [\n', 'format: a\nformat: b\n']) {
      const e = errorOf(text);
      expect(e.message).toMatch(/line \d+/);
      expect(e.problems[0]?.message).toMatch(/^malformed YAML/);
    }
  });
});

describe('parsePolicy: normalization', () => {
  it('memberships from users[].groups and groups[].users are merged, without duplicates', () => {
    const p = parsePolicy({
      users: [{ name: 'a', groups: ['G1'] }, { name: 'b', groups: ['G2', 'G1'] }, { name: 'c' }],
      groups: [
        { name: 'G1', users: ['a', 'c'] },
        { name: 'G2', users: ['a'], groups: ['G1'] },
      ],
    });
    expect(p.users).toEqual([
      { name: 'a', groups: ['G1', 'G2'] },
      { name: 'b', groups: ['G2', 'G1'] },
      { name: 'c', groups: ['G1'] },
    ]);
    expect(p.groups).toEqual([
      { name: 'G1', users: ['a', 'b', 'c'], groups: [] },
      { name: 'G2', users: ['b', 'a'], groups: ['G1'] },
    ]);
  });

  it('defaults: format, directory Built-in, feed type universal, access private, deny false; `tasks` omitted → built-ins', () => {
    const p = parsePolicy({
      feeds: [{ name: 'f' }],
      permissions: [{ group: 'Everyone', task: 'View & Download Packages', feed: 'f' }],
    });
    expect(p.format).toBe('feedgate-policy/1');
    expect(p.directory).toBe('Built-in');
    expect(p.feeds).toEqual([{ name: 'f', feedType: 'universal', access: 'private' }]);
    expect(p.permissions).toEqual([
      { group: 'Everyone', task: 'View & Download Packages', feed: 'f', deny: false },
    ]);
    expect(p.tasks).toEqual(
      BUILT_IN_TASKS.map((t) => ({
        name: t.name,
        description: t.description,
        attributes: [...t.attributes],
      })),
    );
    expect(parsePolicy({ directory: 'corp-ldap' }).directory).toBe('corp-ldap');
  });

  it("a file's task replaces the built-in of the same name; other built-ins stay; new tasks are added", () => {
    const p = parsePolicy({
      users: [{ name: 'u' }],
      feeds: [{ name: 'f' }],
      tasks: [
        { name: 'Administer', description: 'tamed', attributes: ['Feeds_ViewFeed'] },
        { name: 'Custom', attributes: ['Feeds_PullPackage'] },
      ],
      // Administer is feed-scopable now, so it may be granted at a feed.
      permissions: [{ user: 'u', task: 'Administer', feed: 'f' }],
    });
    expect(p.tasks.map((t) => t.name)).toEqual([...BUILT_IN_TASKS.map((t) => t.name), 'Custom']);
    expect(p.tasks.find((t) => t.name === 'Administer')).toEqual({
      name: 'Administer',
      description: 'tamed',
      attributes: ['Feeds_ViewFeed'],
    });
    expect(p.tasks.find((t) => t.name === 'Custom')).toEqual({
      name: 'Custom',
      description: '',
      attributes: ['Feeds_PullPackage'],
    });
    expect(resolve(p, { user: 'u', attribute: 'Feeds_ViewFeed', feed: 'f' }).allowed).toBe(true);
    expect(resolve(p, { user: 'u', attribute: 'Feeds_AddPackage', feed: 'f' }).allowed).toBe(false);
  });

  it("a file's task that makes an existing feed-scoped grant invalid is refused, naming that grant", () => {
    const problems = problemsOf({
      groups: [{ name: 'Devs' }],
      feeds: [{ name: 'f' }],
      tasks: [{ name: 'Publish Packages', attributes: ['Feeds_AddPackage', 'Licenses_Manage'] }],
      permissions: [
        { group: 'Devs', task: 'Publish Packages' },
        { group: 'Devs', task: 'Publish Packages', feed: 'f' },
      ],
    });
    expect(problems).toEqual(
      one(
        'permissions[1].task',
        'task "Publish Packages" is not feed-scopable (it has system attributes Licenses_Manage) and cannot be granted at feed "f"',
      ),
    );
  });

  it('YAML input is equivalent to JSON input (and to an object)', () => {
    const object = {
      format: 'feedgate-policy/1',
      users: [
        { name: 'bob', displayName: 'Bob', email: 'bob@example.org', groups: ['Developers'] },
      ],
      groups: [{ name: 'Developers', users: [], groups: [] }],
      feedGroups: [{ name: 'production-packages' }],
      feeds: [
        {
          name: 'Production',
          feedType: 'nuget',
          feedGroup: 'production-packages',
          access: 'community',
        },
      ],
      tasks: [
        {
          name: 'Read',
          description: 'read only',
          attributes: ['Feeds_ViewFeed', 'Feeds_DownloadPackage'],
        },
      ],
      permissions: [
        { task: 'Promote Packages', group: 'Developers', feed: 'Production', deny: true },
      ],
    };
    const yaml = `format: feedgate-policy/1
users:
  - name: bob
    displayName: Bob
    email: bob@example.org
    groups: [Developers]
groups:
  - { name: Developers, users: [], groups: [] }
feedGroups:
  - name: production-packages
feeds:
  - name: Production
    feedType: nuget
    feedGroup: production-packages
    access: community
tasks:
  - name: Read
    description: read only
    attributes:
      - Feeds_ViewFeed
      - Feeds_DownloadPackage
permissions:
  - task: Promote Packages
    group: Developers
    feed: Production
    deny: true
`;
    const fromJson = parsePolicy(JSON.stringify(object, null, 2));
    expect(parsePolicy(yaml)).toEqual(fromJson);
    expect(parsePolicy(object)).toEqual(fromJson);
    expect(parsePolicy('\ufeff' + JSON.stringify(object))).toEqual(fromJson);
  });

  it('a problem in YAML input is reported with its path like JSON input', () => {
    expect(problemsOf('users:\n  - name: bob\n    nick: b\n')).toEqual(
      one('users[0].nick', 'unknown key'),
    );
  });
});

describe('YAML alias bombs', () => {
  it('refuses a "billion laughs" document as bad input instead of expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    lines.push('users: *a9');
    expect(errorOf(lines.join('\n')).problems[0]?.message).toMatch(
      /YAML cannot be expanded safely/,
    );
  });
});
