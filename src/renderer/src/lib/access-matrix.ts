// The access matrix's model: who (users, or groups through a probe member), what (a
// feed-scoped attribute or a feed-scopable task) and the state of each (principal, feed) cell,
// from the compiled engine. Cells are computed on demand, so only the visible ones cost.
import {
  ATTRIBUTES,
  compile,
  isFeedScopableTask,
  type CompiledPolicy,
  type Decision,
  type Policy,
} from '../../../core/index';

export type MatrixMode = 'users' | 'groups';
/** allow/deny: an explicit grant decided; implicit: the feed's access type allowed; none: no grant applies (denied by default); partial: some of a task's attributes only. */
export type CellState = 'allow' | 'deny' | 'implicit' | 'none' | 'partial';

export interface MatrixSubject {
  /** `attribute:<id>` or `task:<name>`. */
  id: string;
  label: string;
  attributes: readonly string[];
}

export function matrixSubjects(policy: Policy): MatrixSubject[] {
  return [
    ...ATTRIBUTES.filter((a) => a.feedScoped).map((a) => ({
      id: `attribute:${a.id}`,
      label: a.id,
      attributes: [a.id],
    })),
    ...policy.tasks
      .filter((t) => t.attributes.length > 0 && isFeedScopableTask(t.attributes))
      .map((t) => ({ id: `task:${t.name}`, label: `Task: ${t.name}`, attributes: t.attributes })),
  ];
}

export interface MatrixPrincipal {
  label: string;
  /** The user whose decisions the row shows: the user, or a group's probe member. */
  user: string;
}

// A probe is a made-up member of exactly one group: the row shows what membership of that
// group alone gives. The control character keeps it from colliding with any real user name.
const probeName = (group: string): string => `\u0001probe:${group}`;

export interface AccessMatrixModel {
  compiled: CompiledPolicy;
  principals: MatrixPrincipal[];
  feeds: string[];
}

export function accessMatrixModel(policy: Policy, mode: MatrixMode): AccessMatrixModel {
  const feeds = policy.feeds.map((f) => f.name);
  if (mode === 'users') {
    return {
      compiled: compile(policy),
      principals: policy.users.map((u) => ({ label: u.name, user: u.name })),
      feeds,
    };
  }
  const probes = policy.groups.map((g) => ({ name: probeName(g.name), groups: [g.name] }));
  const withProbes: Policy = {
    ...policy,
    users: [...policy.users, ...probes],
    groups: policy.groups.map((g) => ({ ...g, users: [...g.users, probeName(g.name)] })),
  };
  return {
    compiled: compile(withProbes),
    principals: policy.groups.map((g) => ({ label: g.name, user: probeName(g.name) })),
    feeds,
  };
}

export function cellState(
  compiled: CompiledPolicy,
  user: string,
  attributes: readonly string[],
  feed: string,
): CellState {
  const verdicts = attributes.map((attribute) => compiled.check({ user, attribute, feed }));
  const allowed = verdicts.filter((v) => v.allowed);
  if (allowed.length === verdicts.length) {
    return allowed.every((v) => v.decidedBy?.implicit !== undefined) ? 'implicit' : 'allow';
  }
  if (allowed.length > 0) return 'partial';
  return verdicts.some((v) => v.decidedBy !== null) ? 'deny' : 'none';
}

/** The full decision with its trace for each attribute of the subject. */
export function explainCell(
  compiled: CompiledPolicy,
  user: string,
  attributes: readonly string[],
  feed: string,
): { attribute: string; decision: Decision }[] {
  return attributes.map((attribute) => ({
    attribute,
    decision: compiled.explain({ user, attribute, feed }),
  }));
}

export const CELL_LABEL: Readonly<Record<CellState, string>> = {
  allow: 'Allowed',
  deny: 'Denied by a restriction',
  implicit: 'Allowed by the feed access type',
  none: 'No grant (denied by default)',
  partial: 'Partly allowed',
};
