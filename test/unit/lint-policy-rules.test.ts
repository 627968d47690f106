// Policy lint, the library face and policy-wide rules (docs/lint-rules.md): every rule fires on
// a minimal policy with the hazard and not on the fixed one; findings are ordered and scale.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  LINT_RULES,
  lintPolicy as lintPolicyDirect,
  lintTask as lintTaskDirect,
} from '../../src/core/lint';
import {
  ATTRIBUTE_IDS,
  BUILT_IN_TASKS,
  compile,
  lintPolicy,
  lintTask,
  parsePolicy,
  type LintFinding,
} from '../../src/core/index';
import { generatePolicy, SIZES } from '../bench/generate';
import { ADD, DOWNLOAD, VIEW, of, only, policyOf } from '../helpers/lint';

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
