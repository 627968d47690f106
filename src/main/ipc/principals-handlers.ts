// The AppApi handler of the principal picker (src/shared/app-api-principals.ts), and the
// refusals it shares with the Access screen's handlers (access-handlers.ts).
import { PolicyError } from '../../core/index';
import { AppApiError, type ChannelName } from '../../shared/app-api';
import { MirrorError } from '../../workspace/mirror';
import { searchPrincipals } from '../../workspace/principals';
import { RemoteError } from '../../workspace/remote-client';
import type { Workspace } from '../../workspace/workspace';
import type { AppApiHandlers, HandlerContext } from './registry';

type PrincipalsChannel = Extract<ChannelName, `principals:${string}`>;

export function openWorkspace(context: HandlerContext): Workspace {
  if (context.workspace === undefined)
    throw new AppApiError('refused', 'no workspace is open in this host');
  return context.workspace;
}

/** An invalid policy's first problems in one line (a refusal shows one line only). */
function policyProblems(error: PolicyError): string {
  const shown = error.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`);
  const more = error.problems.length - shown.length;
  return `invalid policy: ${shown.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`;
}

/** "Cannot be done now" failures (unknown connection, no draft, access denied) are refusals. */
export async function refusingFailures<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PolicyError) throw new AppApiError('refused', policyProblems(error));
    if (error instanceof MirrorError || error instanceof RemoteError)
      throw new AppApiError('refused', error.message);
    throw error;
  }
}

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
};
