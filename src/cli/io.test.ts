// Reading policy files (shared by every `feedgate policy` command): every way a file can be
// bad gives exit 2 and `FILE: path: message` lines, never a stack trace.
import { truncateSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { feedgate, largePolicy, tempDir } from '../../test/helpers/cli';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const check = (file: string) =>
  feedgate(['policy', 'check', file, '--user', 'alice', '--attribute', 'Feeds_AddPackage']);

const base = {
  format: 'feedgate-policy/1',
  users: [{ name: 'alice', groups: ['Developers'] }],
  groups: [{ name: 'Developers' }],
  feedGroups: [{ name: 'prod' }],
  feeds: [{ name: 'Production', feedGroup: 'prod' }],
};
const withPermission = (permission: object) => ({ ...base, permissions: [permission] });

describe('reading a policy file', () => {
  it.each<[string, string | object, string]>([
    ['malformed JSON', '{"users": [}', '(root): malformed JSON at line 1'],
    ['malformed YAML', 'users:\n  - name: [alice\n', '(root): malformed YAML'],
    ['an empty file', '  \n', '(root): the file is empty'],
    ['a non-object root', '[1, 2]', '(root): expected an object'],
    ['an unknown top-level key', { ...base, usres: [] }, 'usres: unknown key'],
    [
      'an unknown nested key',
      withPermission({ group: 'Developers', task: 'Administer', scope: 'x' }),
      'permissions[0].scope: unknown key',
    ],
    ['a wrong type', { ...base, users: 'alice' }, 'users: Invalid input: expected array'],
    [
      'a wrong format',
      { ...base, format: 'feedgate-policy/9' },
      'format: must be "feedgate-policy/1"',
    ],
    ['an empty name', { ...base, feeds: [{ name: ' ' }] }, 'feeds[0].name: must not be empty'],
    [
      'an invalid access type',
      { ...base, feeds: [{ name: 'x', access: 'secret' }] },
      'feeds[0].access:',
    ],
    [
      'a non-boolean deny',
      withPermission({ group: 'Developers', task: 'Administer', deny: 'yes' }),
      'permissions[0].deny:',
    ],
    [
      'a duplicate name',
      { ...base, users: [{ name: 'alice' }, { name: 'alice' }] },
      'users[1].name: duplicate name "alice" (also users[0])',
    ],
    [
      'a declared virtual principal',
      { ...base, users: [{ name: 'Anonymous' }] },
      'users[0].name: "Anonymous" is a virtual principal',
    ],
    [
      'an unknown group in a membership',
      { ...base, users: [{ name: 'alice', groups: ['Devs'] }] },
      'users[0].groups[0]: unknown group "Devs"',
    ],
    [
      'an unknown user in a group',
      { ...base, groups: [{ name: 'Developers', users: ['bob'] }] },
      'groups[0].users[0]: unknown user "bob"',
    ],
    [
      'a listed virtual membership',
      { ...base, users: [{ name: 'alice', groups: ['Everyone'] }] },
      'users[0].groups[0]: "Everyone" is a virtual principal',
    ],
    [
      'an unknown nested group',
      { ...base, groups: [{ name: 'Developers', groups: ['Ops'] }] },
      'groups[0].groups[0]: unknown group "Ops"',
    ],
    [
      'an unknown feed group',
      { ...base, feeds: [{ name: 'x', feedGroup: 'nope' }] },
      'feeds[0].feedGroup: unknown feed group "nope"',
    ],
    [
      'an unknown attribute in a task',
      { ...base, tasks: [{ name: 'T', attributes: ['Feeds_View'] }] },
      'tasks[0].attributes[0]: unknown attribute "Feeds_View"',
    ],
    [
      'a grant to a user and a group',
      withPermission({ user: 'alice', group: 'Developers', task: 'Administer' }),
      'permissions[0]: user and group cannot both be set',
    ],
    [
      'a grant to nobody',
      withPermission({ task: 'Administer' }),
      'permissions[0]: one of user or group is required',
    ],
    [
      'a grant on a feed and a feed group',
      withPermission({
        group: 'Developers',
        task: 'Manage Feed',
        feed: 'Production',
        feedGroup: 'prod',
      }),
      'permissions[0]: feed and feedGroup cannot both be set',
    ],
    [
      'a grant to an unknown user',
      withPermission({ user: 'bob', task: 'Administer' }),
      'permissions[0].user: unknown user "bob"',
    ],
    [
      'a grant to a group named as a user',
      withPermission({ user: 'Everyone', task: 'Administer' }),
      'permissions[0].user: "Everyone" is a group, not a user',
    ],
    [
      'a grant to an unknown group',
      withPermission({ group: 'Ops', task: 'Administer' }),
      'permissions[0].group: unknown group "Ops"',
    ],
    [
      'a grant on an unknown feed',
      withPermission({ group: 'Developers', task: 'Manage Feed', feed: 'Prod' }),
      'permissions[0].feed: unknown feed "Prod"',
    ],
    [
      'a grant on an unknown feed group',
      withPermission({ group: 'Developers', task: 'Manage Feed', feedGroup: 'p' }),
      'permissions[0].feedGroup: unknown feed group "p"',
    ],
    [
      'a grant of an unknown task',
      withPermission({ group: 'Developers', task: 'Publsh Packages' }),
      'permissions[0].task: unknown task "Publsh Packages" (did you mean "Publish Packages"?)',
    ],
    [
      'a system task at feed scope',
      withPermission({ group: 'Developers', task: 'Administer', feed: 'Production' }),
      'permissions[0].task: task "Administer" is not feed-scopable',
    ],
  ])('rejects %s with exit 2 and the path', (_what, content, message) => {
    const file = tmp.file('bad.json', content);
    const r = check(file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}: ${message}`);
    expect(r.stderr).toMatch(
      new RegExp(
        `^feedgate: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid policy \\(\\d+ problems?\\)$`,
        'm',
      ),
    );
  });

  it('lists every problem, not just the first', () => {
    const file = tmp.file('many.json', {
      ...base,
      users: [{ name: 'alice', groups: ['A'] }],
      extra: 1,
      permissions: [{ group: 'B', task: 'C' }],
    });
    const r = check(file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}: extra: unknown key`);
    expect(r.stderr).toContain(`${file}: users[0].groups[0]: unknown group "A"`);
    expect(r.stderr).toContain(`${file}: permissions[0].group: unknown group "B"`);
    expect(r.stderr).toContain(`${file}: permissions[0].task: unknown task "C"`);
    expect(r.stderr).toContain('(4 problems)');
  });

  it.each<[string, () => string, string]>([
    ['a missing file', () => `${tmp.dir}/missing.json`, 'no such file'],
    ['a directory', () => tmp.dir, 'it is a directory, not a file'],
    [
      'a binary file',
      () => tmp.file('binary.json', '{\u0000}'),
      'it is a binary file, not JSON or YAML text',
    ],
    [
      'a file over 64 MB',
      () => {
        const file = tmp.file('huge.json', '');
        truncateSync(file, 65 * 1024 * 1024);
        return file;
      },
      'file too large (65.0 MB; the limit is 64 MB)',
    ],
  ])('rejects %s with exit 2', (_what, make, message) => {
    const file = make();
    const r = check(file);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`feedgate: cannot read policy "${file}": ${message}\n`);
  });

  describe('a 20 MB policy', () => {
    const text = JSON.stringify(largePolicy(20));

    it('is read and decided', { timeout: 120_000 }, () => {
      const file = tmp.file('large.json', text);
      expect(text.length).toBeGreaterThan(20 * 1024 * 1024);
      const r = feedgate([
        'policy',
        'check',
        file,
        '--user',
        'user-4',
        '--attribute',
        'Feeds_AcceptPackagePromotions',
        '--feed',
        'Production',
      ]);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(
        'restriction: group Developers · Promote Packages · feed Production',
      );
      const allowed = feedgate([
        'policy',
        'check',
        file,
        '--user',
        'user-5',
        '--attribute',
        'Feeds_DownloadPackage',
        '--feed',
        'Production',
      ]);
      expect(allowed.status).toBe(0);
    });

    it('that is truncated gives exit 2 and where JSON breaks', { timeout: 120_000 }, () => {
      const file = tmp.file('large-truncated.json', text.slice(0, text.length - 1000));
      const r = check(file);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/: \(root\): malformed JSON at line 1, column \d+/);
      expect(r.stderr.split('\n').length).toBeLessThan(5);
    });

    it(
      'with one bad reference near its end gives exit 2 and that path',
      { timeout: 120_000 },
      () => {
        const policy = largePolicy(20) as { users: { groups: string[] }[] };
        const last = policy.users.length - 1;
        (policy.users[last] as { groups: string[] }).groups = ['no-such-team'];
        const file = tmp.file('large-invalid.json', JSON.stringify(policy));
        writeFileSync(file, JSON.stringify(policy));
        const r = check(file);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(
          `${file}: users[${last}].groups[0]: unknown group "no-such-team"\n` +
            `feedgate: ${file} is not a valid policy (1 problem)\n`,
        );
      },
    );
  });
});
