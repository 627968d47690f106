// The reference resolver: the documented algorithm, written to be read rather than to be
// fast. Gather the applicable grants, sort them, the first decides; explain every loser.
import { ANONYMOUS, attributeInfo, isFeedScopedAttribute } from './catalog';
import type { Decision, Grant, Permission, Policy, Query, TraceEntry } from './model';
import {
  IMPLICIT_RULES,
  explicitGrant,
  grantTier,
  groupsOfUser,
  implicitGrant,
  indexPolicy,
  lossReason,
  type PolicyIndex,
} from './policy-index';
import { suggest } from './parse';

/** Problems with the query itself (unknown attribute or feed); an empty list means it is well-formed. */
export function queryErrors(index: PolicyIndex, query: Query): string[] {
  const errors: string[] = [];
  if (typeof query.user !== 'string' || query.user === '') errors.push('user is required');
  if (!attributeInfo(query.attribute))
    errors.push(`unknown attribute "${query.attribute}"${suggest(query.attribute)}`);
  if (query.feed !== undefined && !index.feeds.has(query.feed))
    errors.push(`unknown feed "${query.feed}"`);
  return errors;
}

/**
 * Which of the policy's permissions (by position, ascending) to consider for a user in these
 * groups. The default is all of them; the compiled explainer passes only those naming the
 * user or one of the groups, which gives the same grants without a pass over the policy.
 */
export type GrantCandidates = (user: string, groups: ReadonlySet<string>) => readonly number[];

/** The grants that apply to the query, in the policy's own order (explicit first, then implicit). */
export function applicableGrants(
  index: PolicyIndex,
  query: Query,
  candidates?: GrantCandidates,
): Grant[] {
  const { policy } = index;
  const groups = groupsOfUser(index, query.user);
  const feed = query.feed !== undefined ? index.feeds.get(query.feed) : undefined;
  // A system-only attribute is decided by global grants alone, whatever feed is named.
  const feedScope = feed !== undefined && isFeedScopedAttribute(query.attribute) ? feed : undefined;
  const applicable: Grant[] = [];
  const consider = (p: Permission, i: number) => {
    const principalMatches =
      p.user !== undefined ? p.user === query.user : groups.has(p.group as string);
    if (!principalMatches) return;
    if (!index.taskMeets.get(p.task)?.has(query.attribute)) return;
    const scopeCovers =
      p.feed !== undefined
        ? feedScope !== undefined && p.feed === feedScope.name
        : p.feedGroup !== undefined
          ? feedScope !== undefined && feedScope.feedGroup === p.feedGroup
          : true;
    if (!scopeCovers) return;
    applicable.push(explicitGrant(p, i));
  };
  if (candidates === undefined) policy.permissions.forEach(consider);
  else
    for (const i of candidates(query.user, groups))
      consider(policy.permissions[i] as Permission, i);
  if (feedScope !== undefined) {
    for (const rule of IMPLICIT_RULES[feedScope.access]) {
      if (!groups.has(rule.group) || !rule.attributes.includes(query.attribute)) continue;
      if (rule.ownerOnly && (query.user === ANONYMOUS || query.owner !== query.user)) continue;
      applicable.push(implicitGrant(rule, feedScope.name));
    }
  }
  return applicable;
}

/** Sort order of the documented algorithm; ties keep policy order (explicit before implicit). */
export function compareGrants(a: Grant, b: Grant): number {
  return grantTier(a) - grantTier(b) || Number(b.deny) - Number(a.deny);
}

/** Decides whether `query.user` may perform `query.attribute` (on `query.feed`), with the full explanation. */
export function resolve(policy: Policy, query: Query, candidates?: GrantCandidates): Decision {
  const index = indexPolicy(policy);
  const errors = queryErrors(index, query);
  if (errors.length > 0) return { allowed: false, decidedBy: null, trace: [], errors };
  const ordered = applicableGrants(index, query, candidates).sort(compareGrants); // Array.prototype.sort is stable
  const winner = ordered[0];
  if (!winner) return { allowed: false, decidedBy: null, trace: [], errors: [] };
  const trace: TraceEntry[] = ordered.map((grant, i) => ({
    grant,
    decided: i === 0,
    reason:
      i === 0
        ? grant.deny
          ? 'first applicable grant: a restriction, so denied'
          : 'first applicable grant: a permission, so allowed'
        : lossReason(winner, grant),
  }));
  return { allowed: !winner.deny, decidedBy: winner, trace, errors: [] };
}
