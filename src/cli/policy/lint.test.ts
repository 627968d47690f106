import { afterAll, describe, expect, it } from 'vitest';
import { PROMOTE, deepPolicy, feedgate, fixture, tempDir } from '../../../test/helpers/cli';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const HAZARDS = fixture('lint-hazards.yaml');

interface LintJson {
  findings: { id: string; severity: string; message: string; items: { kind: string }[] }[];
  summary: { errors: number; warnings: number; infos: number };
}

describe('feedgate policy lint', () => {
  it('exits 1 on an error-severity finding and lists every finding with severity, id and items', () => {
    const r = feedgate(['policy', 'lint', HAZARDS]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^error {4}lockout-risk {2}No declared user is allowed Admin_ConfigureProGet/m,
    );
    expect(r.stdout).toMatch(
      /^warning {2}permission-by-proxy {2}Task "Cleanup" has Feeds_AddPackage and Feeds_DeletePackage/m,
    );
    expect(r.stdout).toMatch(/^warning {2}nonsensical-access {2}Task "Blind Delete"/m);
    expect(r.stdout).toMatch(/^info {5}empty-group {2}Group Auditors/m);
    expect(r.stdout).toMatch(/^ {9}at: .*\(group "Auditors"\)/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^1 error, 2 warnings, \d+ info$/);
  });

  it('lists errors first, then warnings, then info', () => {
    const r = feedgate(['policy', 'lint', HAZARDS]);
    const severities = r.stdout
      .split('\n')
      .map((line) => /^(error|warning|info) /.exec(line)?.[1])
      .filter(Boolean);
    expect(severities).toEqual(
      [...severities].sort(
        (a, b) =>
          ['error', 'warning', 'info'].indexOf(a as string) -
          ['error', 'warning', 'info'].indexOf(b as string),
      ),
    );
  });

  it('exits 0 when findings are only warnings or info', () => {
    const r = feedgate(['policy', 'lint', PROMOTE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^0 errors, 0 warnings, \d+ info\n$/m);
  });

  it('prints { findings, summary } as JSON with the same exit code', () => {
    const r = feedgate(['policy', 'lint', HAZARDS, '--json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as LintJson;
    expect(out.summary.errors).toBe(1);
    expect(out.summary.warnings).toBe(2);
    expect(out.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['lockout-risk', 'permission-by-proxy', 'nonsensical-access']),
    );
    for (const f of out.findings) {
      expect(Object.keys(f).sort()).toEqual(['id', 'items', 'message', 'severity']);
    }
  });

  it('lints a 5,000-deep nesting chain with a cycle', () => {
    const r = feedgate(['policy', 'lint', tmp.file('deep.json', deepPolicy(5000)), '--json']);
    expect(r.status).toBe(1); // nobody administers it: lockout-risk
    expect((JSON.parse(r.stdout) as LintJson).findings.map((f) => f.id)).toContain('lockout-risk');
  });

  it.each([
    [[], "missing required argument 'file'"],
    [['missing.json'], 'cannot read policy "missing.json": no such file'],
    [[PROMOTE, '--fix'], "unknown option '--fix'"],
  ])('bad input %j exits 2', (args, message) => {
    const r = feedgate(['policy', 'lint', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('rejects an invalid policy with exit 2, not findings', () => {
    const file = tmp.file('bad.yaml', 'users:\n  - name: alice\n    grups: [x]\n');
    const r = feedgate(['policy', 'lint', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}: users[0].grups: unknown key`);
  });
});
