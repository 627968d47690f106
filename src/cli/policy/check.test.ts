import { afterAll, describe, expect, it } from 'vitest';
import { PROMOTE, deepPolicy, feedgate, fixture, tempDir } from '../../../test/helpers/cli';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const promote = (user: string, feed: string, ...more: string[]) =>
  feedgate([
    'policy',
    'check',
    PROMOTE,
    '--user',
    user,
    '--attribute',
    'Feeds_AcceptPackagePromotions',
    '--feed',
    feed,
    ...more,
  ]);

describe('feedgate policy check', () => {
  it('denies a developer promoting into Production (exit 1) and names the deciding restriction', () => {
    const r = promote('alice', 'Production');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^DENIED {2}alice · Feeds_AcceptPackagePromotions · feed Production$/m,
    );
    expect(r.stdout).toContain(
      'Decided by: restriction: group Developers · Promote Packages · feed Production [permissions[2]]',
    );
    expect(r.stdout).toContain(
      'lost: group grants at feed scope come before group grants at global scope',
    );
  });

  it('allows a developer promoting into Staging (exit 0)', () => {
    const r = promote('alice', 'Staging');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ALLOWED/);
    expect(r.stdout).toContain(
      'permission: group Developers · Promote Packages · global [permissions[1]]',
    );
  });

  it('lets a user-level permission beat the group restriction', () => {
    const r = promote('bob', 'Production');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('a user-specific grant comes before group grants');
  });

  it('reads YAML policies the same way', () => {
    const r = feedgate([
      'policy',
      'check',
      fixture('promote-example.yaml'),
      '-u',
      'alice',
      '-a',
      'Feeds_AcceptPackagePromotions',
      '-f',
      'Production',
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('DENIED');
  });

  it('prints exactly { allowed, decidedBy, trace } with --json', () => {
    const r = promote('alice', 'Production', '--json');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['allowed', 'decidedBy', 'trace']);
    expect(out.allowed).toBe(false);
    expect(out.decidedBy).toEqual({
      index: 2,
      group: 'Developers',
      task: 'Promote Packages',
      feed: 'Production',
      deny: true,
    });
    expect(out.trace).toHaveLength(2);
  });

  it('denies by default with no applicable grant, and decides system attributes globally', () => {
    const r = feedgate([
      'policy',
      'check',
      PROMOTE,
      '--user',
      'Anonymous',
      '--attribute',
      'Licenses_Manage',
      '--feed',
      'Staging',
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('system scope (Licenses_Manage is a system attribute');
    expect(r.stdout).toContain('Decided by: no applicable grant (denied by default)');
  });

  it('takes the package owner into account on community feeds', () => {
    const args = [
      'policy',
      'check',
      fixture('community-example.json'),
      '--user',
      'dave',
      '--attribute',
      'Feeds_DeletePackage',
      '--feed',
      'community-nuget',
    ];
    expect(feedgate(args).status).toBe(1);
    const own = feedgate([...args, '--owner', 'dave']);
    expect(own.status).toBe(0);
    expect(own.stdout).toContain('implicit permission (community-owner access)');
  });

  it.each([
    [
      ['--user', 'bbo', '--attribute', 'Feeds_ViewFeed'],
      `unknown user "bbo": not declared in ${PROMOTE} (use Anonymous for an unauthenticated caller)`,
    ],
    [
      ['--user', 'alice', '--attribute', 'Feeds_AddPackag'],
      'unknown attribute "Feeds_AddPackag" (did you mean "Feeds_AddPackage"?)',
    ],
    [
      ['--user', 'alice', '--attribute', 'Feeds_AddPackage', '--feed', 'Prod'],
      'unknown feed "Prod"',
    ],
    [
      ['--user', 'alice', '--attribute', 'Feeds_AddPackage', '--owner', 'zed'],
      'unknown owner "zed"',
    ],
    [['--attribute', 'Feeds_AddPackage'], "required option '-u, --user <name>' not specified"],
    [['--user', 'alice'], "required option '-a, --attribute <id>' not specified"],
    [
      ['--user', 'alice', '--attribute', 'Feeds_AddPackage', '--verbose'],
      "unknown option '--verbose'",
    ],
    [['--user'], "option '-u, --user <name>' argument missing"],
  ])('bad input %j exits 2', (args, message) => {
    const r = feedgate(['policy', 'check', PROMOTE, ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('reports a missing FILE argument with exit 2', () => {
    const r = feedgate(['policy', 'check', '--user', 'alice', '--attribute', 'Feeds_AddPackage']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing required argument 'file'");
  });

  it('works through a 5,000-deep group nesting chain closed into a cycle', () => {
    const file = tmp.file('deep.json', deepPolicy(5000));
    const base = ['policy', 'check', file, '--user', 'deep', '--attribute', 'Feeds_AddPackage'];
    const global = feedgate(base);
    expect(global.status).toBe(0);
    expect(global.stdout).toContain('permission: group g4999 · Publish Packages · global');
    const production = feedgate([...base, '--feed', 'Production']);
    expect(production.status).toBe(1);
    expect(production.stdout).toContain('restriction: group g4999');
    expect(
      feedgate(['policy', 'check', file, '--user', 'loner', '--attribute', 'Feeds_AddPackage'])
        .status,
    ).toBe(1);
  });
});
