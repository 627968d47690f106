// The AppApi handlers of the Access screen (src/shared/app-api-access.ts): "who can …",
// "what can … do" and the effective-access matrix, a window at a time, with why a cell is what
// it is. The engine runs here, on a connection's draft or a policy text, so that a large policy
// never blocks the UI; all four share one compiled policy per draft state or policy text.
import { parsePolicy, type Grant, type Policy } from '../../core/index';
import { explainMatrixCell, matrixWindow } from '../../core/access-matrix';
import { prepareAccess, whatCan, whoCan, type PreparedAccess } from '../../core/access-search';
import type { ChannelName } from '../../shared/app-api';
import { MirrorError } from '../../workspace/mirror';
import { openWorkspace, refusingFailures } from './principals-handlers';
import type { AppApiHandlers, HandlerContext } from './registry';

type AccessChannel = Extract<ChannelName, `access:${string}`>;
type Source = { id: string } | { policyText: string };

export interface AccessHandlerOptions {
  /** Compiles a policy for the questions (a test counts the calls). */
  prepare?: (policy: Policy) => PreparedAccess;
}

/** The grant as the contract names it (no field the engine might add later rides along). */
const grantResult = (g: Grant) => ({
  index: g.index,
  ...(g.user !== undefined && { user: g.user }),
  ...(g.group !== undefined && { group: g.group }),
  task: g.task,
  ...(g.feed !== undefined && { feed: g.feed }),
  ...(g.feedGroup !== undefined && { feedGroup: g.feedGroup }),
  deny: g.deny,
  ...(g.implicit !== undefined && { implicit: g.implicit }),
});

export function createAccessHandlers(
  options: AccessHandlerOptions = {},
): Pick<AppApiHandlers, AccessChannel> {
  const prepare = options.prepare ?? prepareAccess;
  /** The last policy prepared: asking again about it costs no new compile. */
  let lastPrepared: { key: string; access: PreparedAccess } | null = null;

  /** The source's policy, compiled (once per draft state or policy text). */
  function preparedOf(source: Source, context: HandlerContext): PreparedAccess {
    let key: string;
    let policy: () => Policy;
    if ('policyText' in source) {
      key = `text:${source.policyText}`;
      policy = () => parsePolicy(source.policyText);
    } else {
      const draft = openWorkspace(context).mirror.draft(source.id);
      if (draft === null)
        throw new MirrorError('this connection has no draft yet: pull it first (Connections)');
      key = `draft:${source.id}:${draft.baseRevision}:${draft.cursor}:${draft.operations}:${draft.updatedAt}`;
      policy = () => draft.policy;
    }
    if (lastPrepared?.key !== key) lastPrepared = { key, access: prepare(policy()) };
    return lastPrepared.access;
  }

  return {
    'access:who-can': ({ source, subject, scope }, context) =>
      refusingFailures(() => {
        const answer = whoCan(preparedOf(source, context), subject, scope);
        return {
          errors: answer.errors,
          feeds: answer.feeds,
          rows: answer.rows.map((r) => ({
            kind: r.kind,
            name: r.name,
            feeds: r.feeds,
            decidedBy: r.decidedBy.map(grantResult),
          })),
        };
      }),

    'access:what-can': ({ source, principal, feed }, context) =>
      refusingFailures(() => {
        const answer = whatCan(preparedOf(source, context), principal, feed);
        return {
          errors: answer.errors,
          decisions: answer.decisions.map((d) => ({
            attribute: d.attribute,
            category: d.category,
            scope: d.scope,
            allowed: d.allowed,
            decidedBy: d.decidedBy === null ? null : grantResult(d.decidedBy),
          })),
        };
      }),

    'access:matrix': ({ source, mode, subject, filter, rows, feeds }, context) =>
      refusingFailures(() =>
        matrixWindow(preparedOf(source, context), {
          mode,
          subject,
          ...(filter !== undefined && { filter }),
          rows,
          feeds,
        }),
      ),

    'access:matrix-why': ({ source, ...question }, context) =>
      refusingFailures(() => {
        const answer = explainMatrixCell(preparedOf(source, context), question);
        return {
          errors: answer.errors,
          state: answer.state,
          decisions: answer.decisions.map(({ attribute, decision }) => ({
            attribute,
            decision: {
              allowed: decision.allowed,
              decidedBy: decision.decidedBy === null ? null : grantResult(decision.decidedBy),
              trace: decision.trace.map((t) => ({
                grant: grantResult(t.grant),
                decided: t.decided,
                reason: t.reason,
              })),
              errors: decision.errors,
            },
          })),
        };
      }),
  };
}

export const ACCESS_HANDLERS = createAccessHandlers();
