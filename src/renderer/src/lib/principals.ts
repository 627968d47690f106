// What the principal picker offers: users and groups, from the directory or the offline cache.
import type { Policy } from '../../../core/index';
import type { AppApiClient } from './app-api-client';

export interface PrincipalOption {
  kind: 'user' | 'group';
  name: string;
  displayName?: string;
}

/** A directory search's answer: live from the server, or from the workspace's cache offline. */
export interface PrincipalAnswer {
  principals: PrincipalOption[];
  source: 'server' | 'cache';
  /** When the cached answer was read from the directory (null: nothing cached yet). */
  cachedAt?: string | null;
  /** Why the server could not be asked. */
  reason?: string;
  /** Why the answer's principals cannot be used (then there are none), with what to do. */
  warning?: string;
}

/** Searches the directory (LDAP included); rejects when it cannot be asked at all. */
export type PrincipalSearch = (query: string, signal: AbortSignal) => Promise<PrincipalAnswer>;

/**
 * The connected server's directory through `principals:search` (cached by the workspace).
 * Principals of another directory than the draft's (the server switched since the pull) are
 * not offered: a grant names a principal of the draft's directory.
 */
export function directorySearch(
  client: Pick<AppApiClient, 'invoke'>,
  connectionId: string,
  draftDirectory?: string,
): PrincipalSearch {
  return async (term) => {
    const answer = await client.invoke('principals:search', { id: connectionId, term });
    if (
      draftDirectory !== undefined &&
      answer.directory !== null &&
      answer.directory !== draftDirectory
    ) {
      return {
        source: answer.source,
        principals: [],
        warning: `The server's active directory is ${answer.directory}, the draft's is ${draftDirectory}: pull (Connections) for a draft of ${answer.directory}, then search again.`,
      };
    }
    return {
      source: answer.source,
      cachedAt: answer.cachedAt,
      ...(answer.reason !== undefined && { reason: answer.reason }),
      principals: answer.principals.map((p) => ({
        kind: p.kind,
        name: p.name,
        ...(p.displayName !== undefined && { displayName: p.displayName }),
      })),
    };
  };
}

/** The users and groups a policy names: what a picker offers offline. */
export function policyPrincipals(policy: Policy): PrincipalOption[] {
  return [
    ...policy.users.map((u) => ({
      kind: 'user' as const,
      name: u.name,
      ...(u.displayName !== undefined && { displayName: u.displayName }),
    })),
    ...policy.groups.map((g) => ({ kind: 'group' as const, name: g.name })),
  ];
}
