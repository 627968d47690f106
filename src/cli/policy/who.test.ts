import { afterAll, describe, expect, it } from 'vitest';
import {
  PROMOTE,
  deepPolicy,
  feedgate,
  fixture,
  largePolicy,
  tempDir,
} from '../../../test/helpers/cli';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface WhoJson {
  attribute: string;
  feed: string | null;
  usersChecked: number;
  users: { user: string; decidedBy: { index: number; user?: string; group?: string } }[];
}

describe('feedgate policy who', () => {
  it('lists who may promote into Production, and through which grant', () => {
    const r = feedgate([
      'policy',
      'who',
      PROMOTE,
      '--attribute',
      'Feeds_AcceptPackagePromotions',
      '--feed',
      'Production',
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Feeds_AcceptPackagePromotions on feed Production: 2 of 4 users$/m);
    expect(r.stdout).toMatch(
      /^ {2}bob {4}via permission: user bob · Promote Packages · feed Production \[permissions\[3\]\]$/m,
    );
    expect(r.stdout).toMatch(
      /^ {2}carol {2}via permission: group Administrators · Administer · global \[permissions\[0\]\]$/m,
    );
    expect(r.stdout).not.toContain('alice');
  });

  it('includes Anonymous and prints JSON', () => {
    const r = feedgate([
      'policy',
      'who',
      PROMOTE,
      '-a',
      'Feeds_ViewFeed',
      '-f',
      'public-npm',
      '--json',
    ]);
    const out = JSON.parse(r.stdout) as WhoJson;
    expect(out.usersChecked).toBe(4);
    expect(out.users.map((u) => u.user)).toEqual(['alice', 'bob', 'carol', 'Anonymous']);
    expect(out.users[3]?.decidedBy).toMatchObject({ index: -1, group: 'Everyone' });
  });

  it('says so when nobody has the attribute (still exit 0)', () => {
    const r = feedgate([
      'policy',
      'who',
      fixture('community-example.json'),
      '-a',
      'Licenses_Manage',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Licenses_Manage on system scope: 0 of 3 users');
    expect(r.stdout).toContain('nobody has it');
  });

  it('answers for ~190,000 users of a 20 MB policy', { timeout: 120_000 }, () => {
    const file = tmp.file('large.json', largePolicy(20));
    const r = feedgate([
      'policy',
      'who',
      file,
      '--attribute',
      'Feeds_AddPackage',
      '--feed',
      'Staging',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as WhoJson;
    expect(out.users.length).toBe(Math.ceil((out.usersChecked - 1) / 2));
  });

  it('follows a 5,000-deep nesting chain with a cycle', () => {
    const file = tmp.file('deep.json', deepPolicy(5000));
    const r = feedgate(['policy', 'who', file, '--attribute', 'Feeds_PullPackage', '--json']);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as WhoJson).users.map((u) => u.user)).toEqual(['deep']);
  });

  it.each([
    [['--attribute', 'Feeds_Fly'], 'unknown attribute "Feeds_Fly"'],
    [['--attribute', 'Feeds_ViewFeed', '--feed', 'Prod'], 'unknown feed "Prod"'],
    [[], "required option '-a, --attribute <id>' not specified"],
    [['--attribute', 'Feeds_ViewFeed', '--user', 'bob'], "unknown option '--user'"],
  ])('bad input %j exits 2', (args, message) => {
    const r = feedgate(['policy', 'who', PROMOTE, ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});
