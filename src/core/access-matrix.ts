// The effective-access matrix, a window at a time: users (or groups, through the probe member
// of access-search.ts) × feeds, each cell the state of an attribute or task there, and why a
// cell is what it is (explain()'s trace). Over a policy prepared once (prepareAccess), so a
// window of an L policy costs a check per cell and attribute, never a compile. Pure, I/O-free.
import {
  groupProbe,
  prepareAccess,
  subjectAttributes,
  type AccessSubject,
  type PreparedAccess,
} from './access-search';
import type { Decision, Policy } from './model';

export type MatrixMode = 'users' | 'groups';

export const CELL_STATES = ['allow', 'deny', 'implicit', 'none', 'partial'] as const;
/** allow/deny: an explicit grant decided; implicit: the feed's access type allowed; none: no grant applies (denied by default); partial: some of a task's attributes only. */
export type CellState = (typeof CELL_STATES)[number];

export interface MatrixRange {
  offset: number;
  limit: number;
}

export interface MatrixWindowQuestion {
  mode: MatrixMode;
  subject: AccessSubject;
  /** Keeps the principals whose name holds it, case-insensitively. */
  filter?: string;
  rows: MatrixRange;
  feeds: MatrixRange;
}

export interface MatrixWindow {
  /** Why there is no answer (an unknown attribute or task); then an empty window. */
  errors: string[];
  /** The principals (after the filter) and feeds in the whole matrix. */
  totalPrincipals: number;
  totalFeeds: number;
  /** The window's row and column labels, from the offsets asked. */
  principals: string[];
  feeds: string[];
  /** One array per row of the window, one state per feed of the window. */
  cells: CellState[][];
}

export interface MatrixCellQuestion {
  mode: MatrixMode;
  subject: AccessSubject;
  /** A user name, or a group name in groups mode. */
  principal: string;
  feed: string;
}

export interface MatrixCellExplanation {
  errors: string[];
  state: CellState | null;
  /** The full decision with its trace, for each attribute of the subject. */
  decisions: { attribute: string; decision: Decision }[];
}

const prepared = (source: Policy | PreparedAccess): PreparedAccess =>
  'compiled' in source ? source : prepareAccess(source);

/** The rows of a mode: names as shown, in policy order. */
function principalNames(policy: Policy, mode: MatrixMode): string[] {
  return mode === 'users' ? policy.users.map((u) => u.name) : policy.groups.map((g) => g.name);
}

// The last filtered list per prepared policy: scrolling asks the same rows many times.
const filtered = new WeakMap<PreparedAccess, { key: string; names: string[] }>();

function principalsOf(access: PreparedAccess, mode: MatrixMode, filter: string): string[] {
  const key = `${mode}\u0000${filter}`;
  const last = filtered.get(access);
  if (last?.key === key) return last.names;
  const all = principalNames(access.policy, mode);
  const term = filter.trim().toLowerCase();
  const names = term === '' ? all : all.filter((n) => n.toLowerCase().includes(term));
  filtered.set(access, { key, names });
  return names;
}

const userOf = (mode: MatrixMode, principal: string): string =>
  mode === 'users' ? principal : groupProbe(principal);

function cellState(
  access: PreparedAccess,
  user: string,
  attributes: readonly string[],
  feed: string,
): CellState {
  const verdicts = attributes.map((attribute) => access.compiled.check({ user, attribute, feed }));
  const allowed = verdicts.filter((v) => v.allowed);
  if (allowed.length === verdicts.length) {
    return allowed.every((v) => v.decidedBy?.implicit !== undefined) ? 'implicit' : 'allow';
  }
  if (allowed.length > 0) return 'partial';
  return verdicts.some((v) => v.decidedBy !== null) ? 'deny' : 'none';
}

/** A window of the matrix; a window past the end is empty, with the totals. */
export function matrixWindow(
  source: Policy | PreparedAccess,
  question: MatrixWindowQuestion,
): MatrixWindow {
  const access = prepared(source);
  const attributes = subjectAttributes(access.policy, question.subject);
  const names = principalsOf(access, question.mode, question.filter ?? '');
  const allFeeds = access.policy.feeds;
  const empty = { totalPrincipals: names.length, totalFeeds: allFeeds.length };
  if (typeof attributes === 'string')
    return { errors: [attributes], ...empty, principals: [], feeds: [], cells: [] };
  const { rows, feeds: columns } = question;
  const principals = names.slice(rows.offset, rows.offset + rows.limit);
  const feeds = allFeeds.slice(columns.offset, columns.offset + columns.limit).map((f) => f.name);
  const cells = principals.map((principal) => {
    const user = userOf(question.mode, principal);
    return feeds.map((feed) => cellState(access, user, attributes, feed));
  });
  return { errors: [], ...empty, principals, feeds, cells };
}

/** Why one cell is what it is: each attribute's decision with the grants it beat. */
export function explainMatrixCell(
  source: Policy | PreparedAccess,
  question: MatrixCellQuestion,
): MatrixCellExplanation {
  const access = prepared(source);
  const { policy } = access;
  const attributes = subjectAttributes(policy, question.subject);
  const errors = typeof attributes === 'string' ? [attributes] : [];
  if (!principalNames(policy, question.mode).includes(question.principal))
    errors.push(`unknown ${question.mode === 'users' ? 'user' : 'group'} "${question.principal}"`);
  if (!policy.feeds.some((f) => f.name === question.feed))
    errors.push(`unknown feed "${question.feed}"`);
  if (errors.length > 0 || typeof attributes === 'string')
    return { errors, state: null, decisions: [] };
  const user = userOf(question.mode, question.principal);
  return {
    errors,
    state: cellState(access, user, attributes, question.feed),
    decisions: attributes.map((attribute) => ({
      attribute,
      decision: access.compiled.explain({ user, attribute, feed: question.feed }),
    })),
  };
}
