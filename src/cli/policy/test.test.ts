import { afterAll, describe, expect, it } from 'vitest';
import { PROMOTE, deepPolicy, feedgate, fixture, tempDir } from '../../../test/helpers/cli';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const PASSING = fixture('promote-example.tests.yaml');
const FAILING = fixture('promote-example.failing-tests.json');
const ok = { user: 'alice', attribute: 'Feeds_AddPackage', expect: 'allow' };

describe('feedgate policy test', () => {
  it('passes every assertion of the example (exit 0) and prints only the closing line', () => {
    const r = feedgate(['policy', 'test', PROMOTE, PASSING]);
    expect(r).toEqual({ status: 0, stdout: '6 passed, 0 failed\n', stderr: '' });
  });

  it('runs against a YAML policy too', () => {
    const r = feedgate(['policy', 'test', fixture('promote-example.yaml'), PASSING]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('6 passed, 0 failed\n');
  });

  it('prints each failure with the actual deciding grant, then N passed, N failed (exit 1)', () => {
    const r = feedgate(['policy', 'test', PROMOTE, FAILING]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('2 passed, 2 failed');
    expect(r.stdout).toContain(
      '✗ FAIL [1] "wrong: alice promotes into Production": alice · Feeds_AcceptPackagePromotions · feed Production\n' +
        '    expected allow, got deny: restriction: group Developers · Promote Packages · feed Production [permissions[2]]',
    );
    expect(r.stdout).toContain(
      '    expected deny, got allow: permission: user bob · Promote Packages · feed Production [permissions[3]]',
    );
    expect(r.stdout).not.toContain('[0]');
  });

  it('prints every result as JSON', () => {
    const r = feedgate(['policy', 'test', PROMOTE, FAILING, '--json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as {
      passed: number;
      failed: number;
      results: { path: string; passed: boolean; actual: string; decidedBy: unknown }[];
    };
    expect(out.passed).toBe(2);
    expect(out.failed).toBe(2);
    expect(out.results.map((t) => [t.path, t.passed, t.actual])).toEqual([
      ['[0]', true, 'allow'],
      ['[1]', false, 'deny'],
      ['[2]', false, 'allow'],
      ['[3]', true, 'allow'],
    ]);
  });

  it('passes owner through for community feeds', () => {
    const tests = tmp.file(
      'owner.yaml',
      [
        '- { user: dave, owner: dave, attribute: Feeds_DeletePackage, feed: community-nuget, expect: allow }',
        '- { user: dave, owner: erin, attribute: Feeds_DeletePackage, feed: community-nuget, expect: deny }',
        '- { user: Anonymous, attribute: Feeds_AddPackage, feed: community-nuget, expect: deny }',
      ].join('\n'),
    );
    const r = feedgate(['policy', 'test', fixture('community-example.json'), tests]);
    expect(r.stdout).toBe('3 passed, 0 failed\n');
    expect(r.status).toBe(0);
  });

  it('works on a 5,000-deep nesting chain with a cycle', () => {
    const policy = tmp.file('deep.json', deepPolicy(5000));
    const tests = tmp.file('deep-tests.json', [
      { user: 'deep', attribute: 'Feeds_PullPackage', expect: 'allow' },
      { user: 'deep', attribute: 'Feeds_PullPackage', feed: 'Production', expect: 'deny' },
      { user: 'loner', attribute: 'Feeds_PullPackage', expect: 'allow' },
    ]);
    const r = feedgate(['policy', 'test', policy, tests]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /\[2\]: loner · Feeds_PullPackage · system scope\n {4}expected allow, got deny: no applicable grant/,
    );
    expect(r.stdout.endsWith('\n2 passed, 1 failed\n')).toBe(true);
  });

  it('accepts an empty list, with a warning', () => {
    const r = feedgate(['policy', 'test', PROMOTE, tmp.file('empty.json', '{"tests": []}')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('0 passed, 0 failed\n');
    expect(r.stderr).toContain('contains no tests');
  });

  it.each<[string, string | object, string[]]>([
    ['malformed JSON', '[{"user": "alice",]', ['(root): malformed JSON at line 1']],
    ['malformed YAML', 'tests:\n  - user: [alice\n', ['(root): malformed YAML']],
    ['a scalar root', '42', ['(root): expected an array of tests or an object { tests: [...] }']],
    ['an unknown key', [{ ...ok, expected: 'allow' }], ['[0].expected: unknown key']],
    ['an unknown top-level key', { tests: [ok], policy: 'x' }, ['policy: unknown key']],
    ['tests not being a list', { tests: 'all' }, ['tests: must be an array of tests']],
    ['a test that is not an object', [ok, 'alice may add'], ['[1]: a test must be an object']],
    [
      'a malformed test naming unknown things',
      [{ user: 'bbo', attribute: 'Feeds_View', expect: 'yes' }],
      [
        '[0].expect: must be "allow" or "deny"',
        '[0].user: unknown user "bbo"',
        '[0].attribute: unknown attribute "Feeds_View"',
      ],
    ],
    ['a missing field', [{ user: 'alice', expect: 'allow' }], ['[0].attribute: is required']],
    [
      'a missing expect',
      { tests: [ok, { user: 'bob', attribute: 'Feeds_AddPackage' }] },
      ['tests[1].expect: is required'],
    ],
    ['a bad expect', [{ ...ok, expect: 'allowed' }], ['[0].expect: must be "allow" or "deny"']],
    ['a wrong type', [{ ...ok, user: 5 }], ['[0].user: user must be a string']],
    ['an empty value', [{ ...ok, feed: '' }], ['[0].feed: must not be empty']],
    [
      'an unknown attribute',
      [{ ...ok, attribute: 'Feeds_Add' }],
      ['[0].attribute: unknown attribute "Feeds_Add"'],
    ],
    ['an unknown feed', [ok, { ...ok, feed: 'Prod' }], ['[1].feed: unknown feed "Prod"']],
    [
      'an unknown user',
      [{ ...ok, user: 'bbo' }],
      [
        `[0].user: unknown user "bbo": not declared in ${PROMOTE} (use Anonymous for an unauthenticated caller)`,
      ],
    ],
    ['an unknown owner', [{ ...ok, owner: 'zed' }], ['[0].owner: unknown owner "zed"']],
    [
      'several problems',
      [{ ...ok, user: 'bbo', attribute: 'X' }, { user: 'alice' }],
      [
        '[0].user: unknown user "bbo"',
        '[0].attribute: unknown attribute "X"',
        '[1].attribute: is required',
        '[1].expect: is required',
      ],
    ],
  ])('rejects a tests file with %s (exit 2)', (_what, content, messages) => {
    const file = tmp.file(
      'tests.json',
      typeof content === 'string' ? content : JSON.stringify(content),
    );
    const r = feedgate(['policy', 'test', PROMOTE, file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    for (const message of messages) expect(r.stderr).toContain(`${file}: ${message}`);
    expect(r.stderr).toMatch(/is not a valid tests file \(\d+ problems?\)\n$/);
  });

  it.each([
    [[PROMOTE], "missing required argument 'tests'"],
    [[PROMOTE, 'no-such-tests.yaml'], 'cannot read tests file "no-such-tests.yaml": no such file'],
    [['no-such-policy.json', PASSING], 'cannot read policy "no-such-policy.json": no such file'],
    [[PROMOTE, PASSING, '--verbose'], "unknown option '--verbose'"],
  ])('bad input %j exits 2', (args, message) => {
    const r = feedgate(['policy', 'test', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});
