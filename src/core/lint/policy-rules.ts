// Policy-wide rules: lockout-risk, anonymous-write, unused-task, empty-task, empty-group.
import { ANONYMOUS, ATTRIBUTES, BUILT_IN_TASK_NAMES, PROXY_ALL } from '../catalog';
import type { Grant, Permission, Query } from '../model';
import { describeGrant } from '../policy-index';
import { listSome, permissionItem, type LintContext } from './context';
import type { LintFinding, LintItem } from './types';

export function lockoutFindings(ctx: LintContext): LintFinding[] {
  const query: Query = { user: '', attribute: PROXY_ALL };
  for (const user of ctx.userReps) {
    query.user = user;
    if (ctx.compiled.check(query).allowed) return [];
  }
  return [
    {
      id: 'lockout-risk',
      severity: 'error',
      message: `No declared user is allowed ${PROXY_ALL} at system scope, so nobody could administer the instance once this policy applies. Grant Administer globally to an administrator (for example group Administrators with user Admin in it), or remove the restriction that blocks it.`,
      items: [{ kind: 'policy' }],
    },
  ];
}

/** Attributes an unauthenticated caller must never hold. */
const WRITE_ATTRIBUTES: readonly string[] = [
  'Feeds_AddPackage',
  'Feeds_DeletePackage',
  'Feeds_OverwritePackage',
  ...ATTRIBUTES.filter((a) => a.id.startsWith('Admin_')).map((a) => a.id),
];

export function anonymousWriteFindings(ctx: LintContext): LintFinding[] {
  const { compiled, policy } = ctx;
  const scopes: (string | undefined)[] = [undefined, ...policy.feeds.map((f) => f.name)];
  const byGrant = new Map<
    string,
    { grant: Grant; attributes: Set<string>; feeds: Set<string>; system: boolean }
  >();
  const query: Query = { user: ANONYMOUS, attribute: '' };
  for (const info of ATTRIBUTES) {
    if (!WRITE_ATTRIBUTES.includes(info.id)) continue;
    query.attribute = info.id;
    for (const feed of info.feedScoped ? scopes : [undefined]) {
      query.feed = feed;
      const verdict = compiled.check(query);
      const grant = verdict.decidedBy;
      if (!verdict.allowed || !grant) continue;
      const key = grant.index >= 0 ? String(grant.index) : `${grant.feed ?? ''}\u0000${grant.task}`;
      let entry = byGrant.get(key);
      if (!entry)
        byGrant.set(
          key,
          (entry = { grant, attributes: new Set(), feeds: new Set(), system: false }),
        );
      entry.attributes.add(info.id);
      if (feed === undefined) entry.system = true;
      else entry.feeds.add(feed);
    }
  }
  return [...byGrant.values()].map(({ grant, attributes, feeds, system }) => {
    const where = [
      system ? 'at system scope' : '',
      feeds.size > 0 ? `on feed${feeds.size === 1 ? '' : 's'} ${listSome([...feeds])}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const items: LintItem[] = [
      grant.index >= 0
        ? permissionItem(policy.permissions[grant.index] as Permission, grant.index)
        : { kind: 'feed', name: grant.feed },
      { kind: 'user', name: ANONYMOUS },
    ];
    return {
      id: 'anonymous-write',
      severity: 'warning',
      message: `${describeGrant(grant)} lets unauthenticated callers (Anonymous${grant.group !== undefined ? `, through ${grant.group}` : ''}) ${listSome([...attributes], 4)} ${where}. Grant write and admin tasks to signed-in users or groups only (e.g. Authenticated or a named group), or restrict Anonymous.`,
      items,
    };
  });
}

export function taskUsageFindings(ctx: LintContext): LintFinding[] {
  const used = new Set(ctx.policy.permissions.map((p) => p.task));
  const findings: LintFinding[] = [];
  ctx.policy.tasks.forEach((t, i) => {
    const item: LintItem = { kind: 'task', name: t.name, path: `tasks[${i}]` };
    if (t.attributes.length === 0) {
      findings.push({
        id: 'empty-task',
        severity: 'warning',
        message: `Task "${t.name}" has no attributes, so a grant of it allows or restricts nothing. Add the attributes it is meant to carry, or delete the task${used.has(t.name) ? ' and its grants' : ''}.`,
        items: [item],
      });
    }
    if (!BUILT_IN_TASK_NAMES.has(t.name) && !used.has(t.name)) {
      findings.push({
        id: 'unused-task',
        severity: 'info',
        message: `Task "${t.name}" is not used by any grant. Grant it, or delete it to keep the policy small.`,
        items: [item],
      });
    }
  });
  return findings;
}

export function emptyGroupFindings(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  ctx.policy.groups.forEach((g, i) => {
    if ((ctx.members.get(g.name) ?? []).length > 0) return;
    findings.push({
      id: 'empty-group',
      severity: 'info',
      message: `Group ${g.name} has no members, directly or through nested groups, so its grants apply to nobody. Add members, or delete the group.`,
      items: [{ kind: 'group', name: g.name, path: `groups[${i}]` }],
    });
  });
  return findings;
}
