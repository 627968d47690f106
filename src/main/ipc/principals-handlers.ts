// The AppApi handlers of the principal picker (src/shared/app-api-principals.ts) and of the
// Access screen's searches (src/shared/app-api-access.ts). The searches run the engine here,
// on a connection's draft or a policy text, so that a large policy never blocks the UI.
import { PolicyError, parsePolicy, type Grant, type Policy } from '../../core/index';
import { prepareAccess, whatCan, whoCan, type PreparedAccess } from '../../core/access-search';
import { AppApiError, type ChannelName } from '../../shared/app-api';
import { MirrorError } from '../../workspace/mirror';
import { searchPrincipals } from '../../workspace/principals';
import { RemoteError } from '../../workspace/remote-client';
import type { Workspace } from '../../workspace/workspace';
import type { AppApiHandlers, HandlerContext } from './registry';

type PrincipalsChannel = Extract<ChannelName, `principals:${string}` | `access:${string}`>;

function openWorkspace(context: HandlerContext): Workspace {
  if (context.workspace === undefined)
    throw new AppApiError('refused', 'no workspace is open in this host');
  return context.workspace;
}

/** "Cannot be done now" failures (unknown connection, no draft, access denied) are refusals. */
async function refusingFailures<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof MirrorError ||
      error instanceof RemoteError ||
      error instanceof PolicyError
    )
      throw new AppApiError('refused', error.message);
    throw error;
  }
}

/** The last policy prepared for the access searches: asking again costs no new compile. */
let lastPrepared: { key: string; access: PreparedAccess } | null = null;

/** The source's policy, compiled for the searches (once per draft state or policy text). */
function preparedOf(
  source: { id: string } | { policyText: string },
  context: HandlerContext,
): PreparedAccess {
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
  if (lastPrepared?.key !== key) lastPrepared = { key, access: prepareAccess(policy()) };
  return lastPrepared.access;
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

export const PRINCIPALS_HANDLERS: Pick<AppApiHandlers, PrincipalsChannel> = {
  'principals:search': ({ id, term, kind }, context) =>
    refusingFailures(async () => {
      const workspace = openWorkspace(context);
      const result = await searchPrincipals(
        {
          mirror: workspace.mirror,
          client: (connection) => workspace.connections.client(connection),
        },
        id,
        { term, ...(kind !== undefined && { kind }) },
      );
      return {
        source: result.source,
        directory: result.directory,
        cachedAt: result.cachedAt,
        principals: result.principals.map((p) => ({
          kind: p.kind,
          name: p.name,
          ...(p.displayName !== undefined && { displayName: p.displayName }),
          ...(p.email !== undefined && { email: p.email }),
        })),
        ...(result.reason !== undefined && { reason: result.reason }),
      };
    }),

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
};
