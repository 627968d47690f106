// Policy lint: the task hazards of security-model.md and other findings, each with a
// stable id. docs/lint-rules.md explains every rule (why it matters, how to fix it).
//
// | id                              | severity          | what                                                                 |
// |---------------------------------|-------------------|----------------------------------------------------------------------|
// | lockout-risk                    | error             | no declared user is allowed Admin_ConfigureProGet at system scope    |
// | permission-by-proxy             | warning (info)    | Add+Delete without Overwrite; Admin_ConfigureProGet in a task short   |
// |                                 |                   | of every attribute (info for a task holding every attribute)         |
// | nonsensical-access              | warning           | sensitive attributes without Feeds_ViewFeed (directly or by proxy)   |
// | promotion-without-view-download | warning           | Feeds_AcceptPackagePromotions without view and download              |
// | shadowed-grant                  | warning (info)    | a grant that never decides any query (info: its feed group is empty) |
// | duplicate-grant                 | warning           | same principal, task, scope and effect more than once                |
// | anonymous-write                 | warning           | Anonymous allowed add/delete/overwrite or any Admin_* attribute      |
// | empty-task                      | warning           | a task with no attributes                                            |
// | grant-to-empty-group            | info              | a grant to a group with no members (transitively)                    |
// | conflicting-grant               | info              | a permission and a restriction with the same principal, task, scope  |
// | unused-task                     | info              | a non-built-in task no grant uses                                    |
// | empty-group                     | info              | a group with no members (transitively)                               |
//
// Findings are sorted by severity (error, warning, info), then id, then the first item's path.
import type { Policy } from './model';
import { lintContext } from './lint/context';
import { sameGrantFindings, shadowedGrantFindings } from './lint/grant-rules';
import {
  anonymousWriteFindings,
  emptyGroupFindings,
  lockoutFindings,
  taskUsageFindings,
} from './lint/policy-rules';
import { taskHazards, type TaskLike } from './lint/task-rules';
import type { LintFinding, LintSeverity } from './lint/types';

export type { LintFinding, LintItem, LintSeverity } from './lint/types';
export { SENSITIVE_ATTRIBUTES } from './lint/task-rules';

export interface LintRule {
  readonly id: string;
  /** The usual severity; the rule table above notes the exceptions. */
  readonly severity: LintSeverity;
  readonly summary: string;
}

export const LINT_RULES: readonly LintRule[] = [
  {
    id: 'lockout-risk',
    severity: 'error',
    summary: 'No declared user can administer the instance',
  },
  {
    id: 'permission-by-proxy',
    severity: 'warning',
    summary: 'A task lets holders do more than it lists',
  },
  {
    id: 'nonsensical-access',
    severity: 'warning',
    summary: 'Sensitive attributes without Feeds_ViewFeed',
  },
  {
    id: 'promotion-without-view-download',
    severity: 'warning',
    summary: 'Accepting promotions without view and download',
  },
  { id: 'shadowed-grant', severity: 'warning', summary: 'A grant that never decides anything' },
  { id: 'duplicate-grant', severity: 'warning', summary: 'The same grant more than once' },
  {
    id: 'anonymous-write',
    severity: 'warning',
    summary: 'Unauthenticated callers can write or administer',
  },
  { id: 'empty-task', severity: 'warning', summary: 'A task with no attributes' },
  { id: 'grant-to-empty-group', severity: 'info', summary: 'A grant to a group with no members' },
  {
    id: 'conflicting-grant',
    severity: 'info',
    summary: 'A permission and a restriction for the same grant',
  },
  { id: 'unused-task', severity: 'info', summary: 'A custom task no grant uses' },
  { id: 'empty-group', severity: 'info', summary: 'A group with no members' },
];

const SEVERITY_ORDER: Readonly<Record<LintSeverity, number>> = { error: 0, warning: 1, info: 2 };
const collator = new Intl.Collator('en', { numeric: true });

function sortFindings(findings: LintFinding[]): LintFinding[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
      collator.compare(a.items[0]?.path ?? '', b.items[0]?.path ?? '') ||
      collator.compare(a.items[0]?.name ?? '', b.items[0]?.name ?? '') ||
      collator.compare(a.message, b.message),
  );
}

/** The task-hazard findings of one task (for live feedback in the task editor). */
export function lintTask(task: TaskLike): LintFinding[] {
  return sortFindings(taskHazards(task, { kind: 'task', name: task.name }));
}

/** Every finding for a parsed policy, sorted by severity, id and path. */
export function lintPolicy(policy: Policy): LintFinding[] {
  const ctx = lintContext(policy);
  const findings: LintFinding[] = [];
  policy.tasks.forEach((t, i) =>
    findings.push(...taskHazards(t, { kind: 'task', name: t.name, path: `tasks[${i}]` })),
  );
  findings.push(
    ...lockoutFindings(ctx),
    ...anonymousWriteFindings(ctx),
    ...taskUsageFindings(ctx),
    ...emptyGroupFindings(ctx),
    ...sameGrantFindings(ctx),
    ...shadowedGrantFindings(ctx),
  );
  return sortFindings(findings);
}
