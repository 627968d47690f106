import { afterAll, describe, expect, it } from 'vitest';
import { PROMOTE, deepPolicy, feedgate, fixture, tempDir } from '../../../test/helpers/cli';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const V2 = fixture('promote-example-v2.json');

interface DiffJson {
  structural: { summary: { added: number; removed: number; updated: number }; entries: unknown[] };
  access: {
    totals: { flips: number; users: number; granted: number; revoked: number };
    groups: { change: string; users: string[]; feeds: (string | null)[]; count: number }[];
  };
}

describe('feedgate policy diff', () => {
  it('shows the structural change and the access change, grouped by deciding grant (exit 0)', () => {
    const r = feedgate(['policy', 'diff', PROMOTE, V2]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Structural changes:$/m);
    expect(r.stdout).toMatch(/^ {2}\+ user dan/m);
    expect(r.stdout).toMatch(/^ {2}- permission: .*bob/m);
    expect(r.stdout).toMatch(/^ {2}\d+ added, \d+ removed, \d+ updated$/m);
    expect(r.stdout).toContain(
      'Access changes: 16 decisions flip for 3 users (12 granted, 4 revoked)',
    );
    expect(r.stdout).toContain(
      '  - revoked Feeds_ViewFeed, Feeds_DownloadPackage, Feeds_AddPackage, Feeds_AcceptPackagePromotions on Production for 1 user ' +
        '(via restriction: group Developers · Promote Packages · feed Production [permissions[2]])\n      bob\n',
    );
    expect(r.stdout).toMatch(
      /^ {2}\+ granted Feeds_ViewFeed, Feeds_DownloadPackage on Staging for 2 users \(via implicit permission \(public access\): group Everyone .*\)\n {6}Anonymous, dan$/m,
    );
  });

  it('prints { structural, access } as JSON', () => {
    const r = feedgate(['policy', 'diff', PROMOTE, V2, '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as DiffJson;
    expect(Object.keys(out)).toEqual(['structural', 'access']);
    expect(out.access.totals).toEqual({ flips: 16, users: 3, granted: 12, revoked: 4 });
    expect(out.structural.entries.length).toBeGreaterThan(0);
  });

  it('finds nothing between the JSON and YAML forms of the same policy', () => {
    const r = feedgate(['policy', 'diff', PROMOTE, fixture('promote-example.yaml')]);
    expect(r).toEqual({
      status: 0,
      stdout: 'Structural changes: none\n\nAccess changes: none (no decision flips)\n',
      stderr: '',
    });
  });

  it('lists up to 10 users, then "and N more"', () => {
    const users = Array.from({ length: 15 }, (_, i) => ({
      name: `dev-${String(i).padStart(2, '0')}`,
      groups: ['Developers'],
    }));
    const before = {
      users,
      groups: [{ name: 'Developers' }],
      permissions: [{ group: 'Developers', task: 'View & Download Packages' }],
    };
    const after = { ...before, permissions: [] };
    const r = feedgate([
      'policy',
      'diff',
      tmp.file('before.json', before),
      tmp.file('after.json', after),
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'Access changes: 30 decisions flip for 15 users (0 granted, 30 revoked)',
    );
    expect(r.stdout).toContain(
      'for 15 users (no longer via permission: group Developers · View & Download Packages · global [permissions[0]])',
    );
    expect(r.stdout).toContain(
      '      dev-00, dev-01, dev-02, dev-03, dev-04, dev-05, dev-06, dev-07, dev-08, dev-09 and 5 more\n',
    );
  });

  it('follows a 5,000-deep nesting chain with a cycle', () => {
    const before = deepPolicy(5000) as { permissions: unknown[] };
    const after = { ...before, permissions: before.permissions.slice(1) };
    const r = feedgate([
      'policy',
      'diff',
      tmp.file('deep-before.json', before),
      tmp.file('deep-after.json', after),
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as DiffJson;
    expect(out.access.totals.revoked).toBeGreaterThan(0);
    expect(new Set(out.access.groups.flatMap((g) => g.users))).toEqual(new Set(['deep']));
  });

  it.each([
    [[PROMOTE], "missing required argument 'new'"],
    [['missing.json', V2], 'cannot read policy "missing.json": no such file'],
    [[PROMOTE, V2, '--stat'], "unknown option '--stat'"],
  ])('bad input %j exits 2', (args, message) => {
    const r = feedgate(['policy', 'diff', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('rejects an invalid NEW policy with exit 2 and its paths', () => {
    const bad = tmp.file('bad-new.json', { users: [{ name: 'x', role: 'admin' }] });
    const r = feedgate(['policy', 'diff', PROMOTE, bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${bad}: users[0].role: unknown key\nfeedgate: ${bad} is not a valid policy (1 problem)\n`,
    );
  });
});
