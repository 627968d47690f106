// Presentation of grants and decisions: words only, no logic (the engine lives in core).
import type { Grant } from '../../../core/index';

export function grantKind(grant: Grant): string {
  return grant.deny ? 'Restriction' : 'Permission';
}

export function grantPrincipal(grant: Grant): string {
  return grant.user !== undefined ? `user ${grant.user}` : `group ${grant.group ?? '?'}`;
}

export function grantScope(grant: Grant): string {
  if (grant.feed !== undefined) return `feed ${grant.feed}`;
  if (grant.feedGroup !== undefined) return `feed group ${grant.feedGroup}`;
  return 'all feeds and the system';
}

export function grantSource(grant: Grant): string {
  if (grant.implicit !== undefined) return `implicit (${grant.implicit} feed access)`;
  return `permissions[${grant.index}]`;
}
