// Policy lint (security-model.md, "Task hazards", and docs/lint-rules.md): every rule fires on
// a minimal policy with the hazard and not on the fixed one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  LINT_RULES,
  lintPolicy as lintPolicyDirect,
  lintTask as lintTaskDirect,
} from '../../src/core/lint';
import {
  ANONYMOUS,
  ATTRIBUTE_IDS,
  BUILT_IN_TASKS,
  compile,
  lintPolicy,
  lintTask,
  parsePolicy,
  resolve,
  type LintFinding,
  type Policy,
} from '../../src/core/index';
import { generatePolicy, SIZES } from '../bench/generate';

interface Sections {
  users?: { name: string; groups?: string[] }[];
  groups?: { name: string; users?: string[]; groups?: string[] }[];
  feedGroups?: { name: string }[];
  feeds?: { name: string; feedGroup?: string; access?: string }[];
  tasks?: { name: string; attributes: string[] }[];
  permissions?: Record<string, unknown>[];
}

/** A sound policy (Admin administers) plus the given sections; permissions start at index 1. */
function policyOf(s: Sections = {}): Policy {
  return parsePolicy({
    format: 'feedgate-policy/1',
    users: [{ name: 'Admin', groups: ['Administrators'] }, ...(s.users ?? [])],
    groups: [{ name: 'Administrators' }, ...(s.groups ?? [])],
    feedGroups: s.feedGroups ?? [],
    feeds: s.feeds ?? [{ name: 'main' }],
    ...(s.tasks && { tasks: s.tasks }),
    permissions: [{ group: 'Administrators', task: 'Administer' }, ...(s.permissions ?? [])],
  });
}

const only = (findings: LintFinding[], id: string) => findings.filter((f) => f.id === id);
const of = (policy: Policy, id: string) => only(lintPolicy(policy), id);
const taskIds = (attributes: string[]) =>
  lintTask({ name: 'T', attributes }).map((f) => `${f.severity}:${f.id}`);

const VIEW = 'Feeds_ViewFeed';
const DOWNLOAD = 'Feeds_DownloadPackage';
const ADD = 'Feeds_AddPackage';
const DELETE = 'Feeds_DeletePackage';
const OVERWRITE = 'Feeds_OverwritePackage';
const ACCEPT = 'Feeds_AcceptPackagePromotions';

describe('the library face', () => {
  it('index re-exports lint.ts', () => {
    expect(lintPolicy).toBe(lintPolicyDirect);
    expect(lintTask).toBe(lintTaskDirect);
  });

  it('every rule id is kebab-case, unique and documented in docs/lint-rules.md', () => {
    const doc = readFileSync(new URL('../../docs/lint-rules.md', import.meta.url), 'utf8');
    const ids = LINT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(doc).toContain(`\`${id}\``);
    }
  });

  it('a sound policy has no findings but the intended Administer note', () => {
    expect(lintPolicy(policyOf()).map((f) => `${f.severity}:${f.id}:${f.items[0]?.name}`)).toEqual([
      'info:permission-by-proxy:Administer',
    ]);
  });
});

describe('task hazards', () => {
  it('built-in tasks: only Administer is flagged, once, as intended (info)', () => {
    for (const t of BUILT_IN_TASKS) {
      const findings = lintTask(t).map((f) => `${f.severity}:${f.id}`);
      expect(findings, t.name).toEqual(t.name === 'Administer' ? ['info:permission-by-proxy'] : []);
    }
  });

  it('permission-by-proxy: add and delete without overwrite', () => {
    const [finding] = lintTask({ name: 'Curate', attributes: [VIEW, DOWNLOAD, ADD, DELETE] });
    expect(finding).toMatchObject({
      id: 'permission-by-proxy',
      severity: 'warning',
      items: [{ kind: 'task', name: 'Curate' }],
    });
    expect(finding?.message).toContain('Curate');
    expect(finding?.message).toContain(OVERWRITE);
    expect(taskIds([VIEW, DOWNLOAD, ADD, DELETE, OVERWRITE])).toEqual([]);
    expect(taskIds([VIEW, ADD])).toEqual([]);
  });

  it('permission-by-proxy: Admin_ManageFeed meets overwrite, so add and delete with it are fine', () => {
    expect(taskIds(['Admin_ManageFeed', ADD, DELETE])).toEqual([]);
  });

  it('permission-by-proxy: Admin_ConfigureProGet short of Administer lets holders change their own permissions', () => {
    const findings = lintTask({
      name: 'Ops',
      attributes: ['Admin_ConfigureProGet', 'Licenses_Manage'],
    });
    expect(findings.map((f) => `${f.severity}:${f.id}`)).toEqual(['warning:permission-by-proxy']);
    expect(findings[0]?.message).toMatch(/change their own permissions/);
    expect(taskIds(['Licenses_Manage'])).toEqual([]);
    // every attribute under another name: the intended Administer note, once
    expect(taskIds([...ATTRIBUTE_IDS])).toEqual(['info:permission-by-proxy']);
  });

  it('nonsensical-access: sensitive attributes without view', () => {
    for (const a of [DELETE, ADD, OVERWRITE, 'Feeds_UnlistPackage', 'Feeds_PullPackage']) {
      expect(taskIds([DOWNLOAD, a]), a).toEqual(['warning:nonsensical-access']);
      expect(taskIds([VIEW, DOWNLOAD, a]), a).toEqual([]);
    }
    expect(lintTask({ name: 'Pusher', attributes: [ADD] })[0]?.message).toMatch(
      /Pusher.*Feeds_ViewFeed/,
    );
    expect(taskIds(['Admin_ManageFeed'])).toEqual([]); // view met by proxy
  });

  it('promotion-without-view-download', () => {
    expect(taskIds([VIEW, ACCEPT])).toEqual(['warning:promotion-without-view-download']);
    expect(taskIds([ACCEPT])).toEqual([
      'warning:nonsensical-access',
      'warning:promotion-without-view-download',
    ]);
    expect(lintTask({ name: 'P', attributes: [VIEW, ACCEPT] })[0]?.message).toContain(DOWNLOAD);
    expect(taskIds([VIEW, DOWNLOAD, ACCEPT])).toEqual([]);
    expect(taskIds(['Admin_ManageFeed', ACCEPT])).toEqual([]);
  });

  it('lintPolicy reports the hazards of the policy tasks with their path', () => {
    const findings = of(
      policyOf({
        tasks: [{ name: 'Curate', attributes: [VIEW, ADD, DELETE] }],
        permissions: [{ user: 'Admin', task: 'Curate' }],
      }),
      'permission-by-proxy',
    );
    expect(findings.filter((f) => f.severity === 'warning')).toEqual([
      expect.objectContaining({
        items: [{ kind: 'task', name: 'Curate', path: `tasks[${BUILT_IN_TASKS.length}]` }],
      }),
    ]);
  });
});

describe('shadowed-grant', () => {
  const devs = { users: [{ name: 'bob', groups: ['Devs'] }], groups: [{ name: 'Devs' }] };

  it('a grant fully covered by an earlier grant of the same tier; not when it comes first', () => {
    const shadowed = policyOf({
      ...devs,
      permissions: [
        { group: 'Devs', task: 'Manage Feed' },
        { group: 'Devs', task: 'Publish Packages' },
      ],
    });
    const [finding, ...rest] = of(shadowed, 'shadowed-grant');
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('warning');
    expect(finding?.items.map((i) => i.index)).toEqual([2, 1]);
    expect(finding?.message).toContain('group Devs · Publish Packages · global [permissions[2]]');
    expect(finding?.message).toContain(
      'group Devs · Manage Feed · global [permissions[1]] always decides first',
    );
    const fixed = policyOf({
      ...devs,
      permissions: [
        { group: 'Devs', task: 'Publish Packages' },
        { group: 'Devs', task: 'Manage Feed' },
      ],
    });
    expect(of(fixed, 'shadowed-grant')).toEqual([]);
  });

  it('a group grant beaten for its only member by a user restriction; not once the group has another member', () => {
    const perms = [
      { user: 'bob', task: 'View & Download Packages', deny: true },
      { group: 'Devs', task: 'View & Download Packages', feed: 'main' },
    ];
    expect(
      of(policyOf({ ...devs, permissions: perms }), 'shadowed-grant').map((f) => f.items[0]?.index),
    ).toEqual([2]);
    const fixed = policyOf({
      users: [
        { name: 'bob', groups: ['Devs'] },
        { name: 'alice', groups: ['Devs'] },
      ],
      groups: [{ name: 'Devs' }],
      permissions: perms,
    });
    expect(of(fixed, 'shadowed-grant')).toEqual([]);
  });

  it('names several shadowing grants when no single one does it', () => {
    const perms = [
      { group: 'Devs', task: 'View & Download Packages', deny: true },
      { group: 'Devs', task: 'Publish Packages', deny: true },
      { group: 'Devs', task: 'Accepters', deny: true },
      { group: 'Devs', task: 'Promote Packages' },
    ];
    const tasks = [{ name: 'Accepters', attributes: [VIEW, ACCEPT] }];
    const findings = of(policyOf({ ...devs, tasks, permissions: perms }), 'shadowed-grant');
    expect(findings.map((f) => f.items.map((i) => i.index))).toEqual([[4, 1, 2, 3]]);
    expect(findings[0]?.message).toContain('earlier grants always decide first');
    const fixed = policyOf({ ...devs, tasks, permissions: perms.filter((_, i) => i !== 2) });
    expect(of(fixed, 'shadowed-grant')).toEqual([]);
  });

  it('feed-group grants are checked at every feed of the group', () => {
    const feeds = [
      { name: 'a', feedGroup: 'fg' },
      { name: 'b', feedGroup: 'fg' },
    ];
    const perms = [
      { group: 'Devs', task: 'Publish Packages', feed: 'a' },
      { group: 'Devs', task: 'Publish Packages', feedGroup: 'fg' },
    ];
    expect(
      of(
        policyOf({ ...devs, feedGroups: [{ name: 'fg' }], feeds, permissions: perms }),
        'shadowed-grant',
      ),
    ).toEqual([]);
    const both = [
      ...perms.slice(0, 1),
      { group: 'Devs', task: 'Publish Packages', feed: 'b' },
      perms[1] as Record<string, unknown>,
    ];
    expect(
      of(
        policyOf({ ...devs, feedGroups: [{ name: 'fg' }], feeds, permissions: both }),
        'shadowed-grant',
      ).map((f) => f.items[0]?.index),
    ).toEqual([3]);
  });

  it('an implicit public-feed grant can shadow a feed-group grant', () => {
    const base = {
      users: [{ name: 'bob', groups: ['Devs'] }],
      groups: [{ name: 'Devs' }],
      feedGroups: [{ name: 'fg' }],
      permissions: [{ group: 'Devs', task: 'View & Download Packages', feedGroup: 'fg' }],
    };
    const [finding] = of(
      policyOf({ ...base, feeds: [{ name: 'pub', feedGroup: 'fg', access: 'public' }] }),
      'shadowed-grant',
    );
    expect(finding?.message).toContain('implicit permission (public access)');
    expect(
      of(
        policyOf({ ...base, feeds: [{ name: 'pub', feedGroup: 'fg', access: 'private' }] }),
        'shadowed-grant',
      ),
    ).toEqual([]);
  });

  it('a feed group without feeds (info)', () => {
    const p = policyOf({
      ...devs,
      feedGroups: [{ name: 'fg' }],
      permissions: [{ group: 'Devs', task: 'Publish Packages', feedGroup: 'fg' }],
    });
    expect(of(p, 'shadowed-grant').map((f) => f.severity)).toEqual(['info']);
    const fixed = policyOf({
      ...devs,
      feedGroups: [{ name: 'fg' }],
      feeds: [{ name: 'f', feedGroup: 'fg' }],
      permissions: [{ group: 'Devs', task: 'Publish Packages', feedGroup: 'fg' }],
    });
    expect(of(fixed, 'shadowed-grant')).toEqual([]);
  });

  it('grant-to-empty-group: a grant to a group with no members (info), and not once it has one', () => {
    const p = policyOf({
      groups: [{ name: 'Ghosts' }],
      permissions: [{ group: 'Ghosts', task: 'Publish Packages' }],
    });
    const findings = lintPolicy(p);
    expect(only(findings, 'grant-to-empty-group')).toEqual([
      expect.objectContaining({
        severity: 'info',
        items: [
          expect.objectContaining({ index: 1 }),
          { kind: 'group', name: 'Ghosts', path: 'groups[1]' },
        ],
      }),
    ]);
    expect(only(findings, 'shadowed-grant')).toEqual([]);
    const fixed = policyOf({
      users: [{ name: 'casper', groups: ['Ghosts'] }],
      groups: [{ name: 'Ghosts' }],
      permissions: [{ group: 'Ghosts', task: 'Publish Packages' }],
    });
    expect(of(fixed, 'grant-to-empty-group')).toEqual([]);
  });

  it('grants to the virtual groups count Anonymous and undeclared users', () => {
    // Everyone's grant decides for Anonymous even though every declared user is an administrator.
    const p = policyOf({
      permissions: [
        { group: 'Everyone', task: 'View & Download Packages' },
        { group: 'Authenticated', task: 'Manage Projects' },
      ],
    });
    expect(of(p, 'shadowed-grant')).toEqual([]);
  });

  it('exact copies and restriction twins are left to duplicate-grant and conflicting-grant', () => {
    const p = policyOf({
      ...devs,
      permissions: [
        { group: 'Devs', task: 'Publish Packages' },
        { group: 'Devs', task: 'Publish Packages' },
        { group: 'Devs', task: 'Publish Packages', deny: true },
      ],
    });
    const ids = lintPolicy(p).map((f) => f.id);
    expect(ids).toContain('duplicate-grant');
    expect(ids).toContain('conflicting-grant');
    expect(ids).not.toContain('shadowed-grant');
  });

  it('agrees with an exhaustive sweep of the reference resolver on generated policies', () => {
    for (const seed of [1, 2, 3]) {
      const policy = generatePolicy({ users: 30, groups: 8, feeds: 6, grants: 80 }, seed);
      const decided = new Set<number>();
      const users = [...policy.users.map((u) => u.name), ANONYMOUS, 'someone-undeclared'];
      for (const user of users)
        for (const attribute of ATTRIBUTE_IDS)
          for (const feed of [undefined, ...policy.feeds.map((f) => f.name)]) {
            const by = resolve(policy, {
              user,
              attribute,
              ...(feed !== undefined && { feed }),
            }).decidedBy;
            if (by) decided.add(by.index);
          }
      const findings = lintPolicy(policy);
      const flagged = new Set(
        findings
          .filter((f) => f.id === 'shadowed-grant' || f.id === 'grant-to-empty-group')
          .map((f) => f.items[0]?.index),
      );
      const copies = new Set(
        findings
          .filter((f) => f.id === 'duplicate-grant' || f.id === 'conflicting-grant')
          .flatMap((f) => f.items.map((i) => i.index)),
      );
      policy.permissions.forEach((_, i) => {
        if (flagged.has(i))
          expect(decided.has(i), `permissions[${i}] flagged but decides`).toBe(false);
        else if (!decided.has(i))
          expect(copies.has(i), `permissions[${i}] never decides but is not reported`).toBe(true);
      });
    }
  });
});

describe('duplicate-grant and conflicting-grant', () => {
  const bob = { users: [{ name: 'bob' }] };

  it('duplicate-grant lists every index', () => {
    const p = policyOf({
      ...bob,
      permissions: [
        { user: 'bob', task: 'Publish Packages', feed: 'main' },
        { user: 'bob', task: 'View & Download Packages' },
        { user: 'bob', task: 'Publish Packages', feed: 'main' },
      ],
    });
    expect(of(p, 'duplicate-grant')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        items: [
          expect.objectContaining({ index: 1, path: 'permissions[1]' }),
          expect.objectContaining({ index: 3 }),
        ],
      }),
    ]);
    const fixed = policyOf({
      ...bob,
      permissions: [
        { user: 'bob', task: 'Publish Packages', feed: 'main' },
        { user: 'bob', task: 'View & Download Packages' },
      ],
    });
    expect(of(fixed, 'duplicate-grant')).toEqual([]);
  });

  it('different scope, principal or effect is not a duplicate', () => {
    const p = policyOf({
      ...bob,
      permissions: [
        { user: 'bob', task: 'Publish Packages', feed: 'main' },
        { user: 'bob', task: 'Publish Packages' },
        { user: 'Admin', task: 'Publish Packages', feed: 'main' },
        { user: 'bob', task: 'Publish Packages', feed: 'main', deny: true },
      ],
    });
    expect(of(p, 'duplicate-grant')).toEqual([]);
  });

  it('conflicting-grant: a permission and a restriction for the same principal, task and scope', () => {
    const p = policyOf({
      ...bob,
      permissions: [
        { user: 'bob', task: 'Publish Packages', feed: 'main' },
        { user: 'bob', task: 'Publish Packages', feed: 'main', deny: true },
      ],
    });
    const [finding] = of(p, 'conflicting-grant');
    expect(finding).toMatchObject({ severity: 'info', items: [{ index: 1 }, { index: 2 }] });
    expect(finding?.message).toContain('restriction always wins');
    const fixed = policyOf({
      ...bob,
      permissions: [
        { user: 'bob', task: 'Publish Packages' },
        { user: 'bob', task: 'Publish Packages', feed: 'main', deny: true },
      ],
    });
    expect(of(fixed, 'conflicting-grant')).toEqual([]);
  });
});

describe('policy-wide rules', () => {
  it('lockout-risk: no declared user may configure the instance', () => {
    const none = parsePolicy({
      users: [{ name: 'bob' }],
      feeds: [],
      permissions: [{ user: 'bob', task: 'Manage Projects' }],
    });
    expect(of(none, 'lockout-risk')).toEqual([
      expect.objectContaining({ severity: 'error', items: [{ kind: 'policy' }] }),
    ]);
    expect(lintPolicy(none)[0]?.id).toBe('lockout-risk'); // errors first
    expect(of(policyOf(), 'lockout-risk')).toEqual([]);
  });

  it('lockout-risk: a restriction on the only administrator, or Administer for Anonymous only', () => {
    expect(
      of(
        policyOf({ permissions: [{ user: 'Admin', task: 'Administer', deny: true }] }),
        'lockout-risk',
      ),
    ).toHaveLength(1);
    const anonymousOnly = parsePolicy({
      users: [{ name: 'bob' }],
      permissions: [{ user: 'Anonymous', task: 'Administer' }],
    });
    expect(of(anonymousOnly, 'lockout-risk')).toHaveLength(1);
  });

  it('anonymous-write: Everyone may publish; not when only Authenticated may', () => {
    const [finding, ...rest] = of(
      policyOf({ permissions: [{ group: 'Everyone', task: 'Publish Packages', feed: 'main' }] }),
      'anonymous-write',
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'warning',
      items: [
        { kind: 'permission', index: 1 },
        { kind: 'user', name: 'Anonymous' },
      ],
    });
    expect(finding?.message).toMatch(/Feeds_AddPackage on feed main/);
    expect(
      of(
        policyOf({
          permissions: [{ group: 'Authenticated', task: 'Publish Packages', feed: 'main' }],
        }),
        'anonymous-write',
      ),
    ).toEqual([]);
  });

  it('anonymous-write: admin attributes directly to Anonymous; not for read access or feed access types', () => {
    const p = policyOf({ permissions: [{ user: 'Anonymous', task: 'Administer' }] });
    expect(of(p, 'anonymous-write').map((f) => f.items[0]?.index)).toEqual([1]);
    const readOnly = policyOf({
      feeds: [
        { name: 'pub', access: 'public' },
        { name: 'com', access: 'community' },
      ],
      permissions: [{ group: 'Everyone', task: 'View & Download Packages' }],
    });
    expect(of(readOnly, 'anonymous-write')).toEqual([]);
  });

  it('unused-task: a custom task no grant uses; built-ins never', () => {
    const task = { name: 'Readers', attributes: [VIEW, DOWNLOAD] };
    expect(of(policyOf({ tasks: [task] }), 'unused-task')).toEqual([
      expect.objectContaining({
        severity: 'info',
        items: [{ kind: 'task', name: 'Readers', path: `tasks[${BUILT_IN_TASKS.length}]` }],
      }),
    ]);
    expect(
      of(
        policyOf({ tasks: [task], permissions: [{ user: 'Admin', task: 'Readers' }] }),
        'unused-task',
      ),
    ).toEqual([]);
  });

  it('empty-task: a task with no attributes', () => {
    expect(
      of(policyOf({ tasks: [{ name: 'Nothing', attributes: [] }] }), 'empty-task').map(
        (f) => f.severity,
      ),
    ).toEqual(['warning']);
    expect(
      of(policyOf({ tasks: [{ name: 'Nothing', attributes: [VIEW] }] }), 'empty-task'),
    ).toEqual([]);
  });

  it('empty-group: no members, directly or through nested groups', () => {
    const empty = policyOf({ groups: [{ name: 'Outer', groups: ['Inner'] }, { name: 'Inner' }] });
    expect(of(empty, 'empty-group').map((f) => f.items[0]?.path)).toEqual([
      'groups[1]',
      'groups[2]',
    ]);
    const nested = policyOf({
      users: [{ name: 'bob', groups: ['Inner'] }],
      groups: [{ name: 'Outer', groups: ['Inner'] }, { name: 'Inner' }],
    });
    expect(of(nested, 'empty-group')).toEqual([]);
  });
});

describe('ordering and scale', () => {
  it('findings are sorted by severity, then id, then path (numerically)', () => {
    const perms = Array.from({ length: 12 }, () => ({ group: 'Ghosts', task: 'Publish Packages' }));
    const findings = lintPolicy(
      policyOf({
        groups: [{ name: 'Ghosts' }],
        tasks: [{ name: 'Bad', attributes: [ADD] }],
        permissions: [{ user: 'Admin', task: 'Bad' }, ...perms],
      }),
    );
    const rank = { error: 0, warning: 1, info: 2 };
    for (let i = 1; i < findings.length; i++) {
      const [a, b] = [findings[i - 1] as LintFinding, findings[i] as LintFinding];
      expect(
        rank[a.severity] * 100 - rank[b.severity] * 100 + (a.id <= b.id ? 0 : 1),
      ).toBeLessThanOrEqual(0);
    }
    const paths = only(findings, 'grant-to-empty-group').map((f) => f.items[0]?.path);
    expect(paths.slice(0, 3)).toEqual(['permissions[2]', 'permissions[3]', 'permissions[4]']);
    expect(paths.at(-1)).toBe('permissions[13]');
  });

  it('lints a 20,000-user / 50,000-grant generated policy', () => {
    const policy = generatePolicy(SIZES.L);
    const findings = lintPolicy(policy);
    const known = new Set(LINT_RULES.map((r) => r.id));
    for (const f of findings) expect(known.has(f.id)).toBe(true);
    // spot-check: a reported shadowed grant never decides for its principal at system scope
    const compiled = compile(policy);
    const sample = findings.find(
      (f) =>
        f.id === 'shadowed-grant' &&
        policy.permissions[f.items[0]?.index ?? -1]?.user !== undefined,
    );
    if (sample) {
      const p = policy.permissions[sample.items[0]?.index as number];
      for (const attribute of ATTRIBUTE_IDS)
        expect(compiled.check({ user: p?.user as string, attribute }).decidedBy?.index).not.toBe(
          sample.items[0]?.index,
        );
    }
  }, 120_000);
});
