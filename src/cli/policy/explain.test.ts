import { afterAll, describe, expect, it } from 'vitest';
import { ATTRIBUTE_IDS } from '../../core/index';
import { PROMOTE, deepPolicy, feedgate, tempDir } from '../../../test/helpers/cli';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface ExplainJson {
  user: string;
  feed: string | null;
  allowed: number;
  total: number;
  attributes: {
    attribute: string;
    category: string;
    scope: string;
    allowed: boolean;
    decidedBy: { index: number } | null;
  }[];
}

describe('feedgate policy explain', () => {
  it('lists every attribute by category with the deciding grant (exit 0)', () => {
    const r = feedgate(['policy', 'explain', PROMOTE, '--user', 'bob', '--feed', 'Production']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^bob on feed Production: 4 of 21 attributes allowed$/m);
    for (const id of ATTRIBUTE_IDS) expect(r.stdout).toContain(id);
    for (const category of [
      'Administration',
      'Licenses',
      'Credentials',
      'Vulnerabilities',
      'Projects',
      'Feeds',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^${category}$`, 'm'));
    }
    expect(r.stdout).toMatch(
      /^ {2}✓ {2}Feeds_AcceptPackagePromotions +ALLOW +feed +permission: user bob · Promote Packages · feed Production \[permissions\[3\]\]$/m,
    );
    expect(r.stdout).toMatch(
      /^ {2}✗ {2}Feeds_DeletePackage +DENY +feed +no applicable grant \(denied by default\)$/m,
    );
    expect(r.stdout).toMatch(/^ {2}✗ {2}Licenses_Manage +DENY +system +no applicable grant/m);
  });

  it('prints the decisions in catalog order as JSON', () => {
    const r = feedgate(['policy', 'explain', PROMOTE, '--user', 'carol', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as ExplainJson;
    expect(out.user).toBe('carol');
    expect(out.feed).toBeNull();
    expect(out.attributes.map((a) => a.attribute)).toEqual(ATTRIBUTE_IDS);
    expect(out.allowed).toBe(21);
    expect(out.attributes.every((a) => a.decidedBy?.index === 0 && a.scope === 'system')).toBe(
      true,
    );
  });

  it('explains Anonymous, who gets only the implicit grants of public feeds', () => {
    const r = feedgate([
      'policy',
      'explain',
      PROMOTE,
      '--user',
      'Anonymous',
      '--feed',
      'public-npm',
      '--json',
    ]);
    const out = JSON.parse(r.stdout) as ExplainJson;
    expect(out.attributes.filter((a) => a.allowed).map((a) => a.attribute)).toEqual([
      'Feeds_ViewFeed',
      'Feeds_DownloadPackage',
    ]);
  });

  it('works through a 5,000-deep group nesting chain with a cycle', () => {
    const file = tmp.file('deep.yaml', JSON.stringify(deepPolicy(5000)));
    const r = feedgate(['policy', 'explain', file, '--user', 'deep', '--json']);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as ExplainJson).allowed).toBe(4);
  });

  it.each([
    [
      ['--user', 'bbo'],
      `unknown user "bbo": not declared in ${PROMOTE} (use Anonymous for an unauthenticated caller)`,
    ],
    [['--user', 'bob', '--feed', 'nope'], 'unknown feed "nope"'],
    [[], "required option '-u, --user <name>' not specified"],
    [['--user', 'bob', '--attribute', 'Feeds_ViewFeed'], "unknown option '--attribute'"],
  ])('bad input %j exits 2', (args, message) => {
    const r = feedgate(['policy', 'explain', PROMOTE, ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});
