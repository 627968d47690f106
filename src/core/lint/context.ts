// What the policy-wide rules share: the index, one compiled evaluator, and who is in each
// group, with users that must decide alike folded into one representative.
import { ANONYMOUS, AUTHENTICATED, EVERYONE } from '../catalog';
import { compile, type CompiledPolicy } from '../compile';
import type { Permission, Policy } from '../model';
import {
  ancestorGroups,
  describeGrant,
  explicitGrant,
  indexPolicy,
  type PolicyIndex,
} from '../policy-index';
import type { LintItem } from './types';

export interface LintContext {
  readonly policy: Policy;
  readonly index: PolicyIndex;
  readonly compiled: CompiledPolicy;
  /**
   * Declared users, one per decision class: users with no grants of their own and the same
   * direct groups receive identical decisions, so only the first of them is kept.
   */
  readonly userReps: readonly string[];
  /** For each declared group, its representative members (directly or through nested groups). */
  readonly members: ReadonlyMap<string, readonly string[]>;
  /** A name no declared user has: stands for every signed-in user the policy does not declare. */
  readonly undeclaredUser: string;
}

export function lintContext(policy: Policy): LintContext {
  const index = indexPolicy(policy);
  const withOwnGrants = new Set<string>();
  for (const p of policy.permissions) if (p.user !== undefined) withOwnGrants.add(p.user);
  const seenClasses = new Set<string>();
  const closures = new Map<string, Set<string>>();
  const members = new Map<string, string[]>();
  const userReps: string[] = [];
  for (const u of policy.users) {
    const key = [...u.groups].sort().join('\u0000');
    if (!withOwnGrants.has(u.name)) {
      if (seenClasses.has(key)) continue;
      seenClasses.add(key);
    }
    userReps.push(u.name);
    let closure = closures.get(key);
    if (!closure) closures.set(key, (closure = ancestorGroups(index, u.groups)));
    for (const g of closure) {
      let list = members.get(g);
      if (!list) members.set(g, (list = []));
      list.push(u.name);
    }
  }
  let undeclaredUser = '(undeclared user)';
  while (index.users.has(undeclaredUser)) undeclaredUser += "'";
  return { policy, index, compiled: compile(policy), userReps, members, undeclaredUser };
}

/** The users (representatives) a grant's principal stands for. */
export function principalUsers(ctx: LintContext, p: Permission): readonly string[] {
  if (p.user !== undefined) return [p.user];
  if (p.group === EVERYONE) return [...ctx.userReps, ANONYMOUS, ctx.undeclaredUser];
  if (p.group === AUTHENTICATED) return [...ctx.userReps, ctx.undeclaredUser];
  return ctx.members.get(p.group as string) ?? [];
}

export const permissionPath = (index: number): string => `permissions[${index}]`;

export function permissionItem(p: Permission, index: number): LintItem {
  return { kind: 'permission', name: p.task, index, path: permissionPath(index) };
}

export const describePermission = (p: Permission, index: number): string =>
  describeGrant(explicitGrant(p, index));

/** "principal · task · scope" key of a grant, without its effect. */
export function grantKey(p: Permission): string {
  const who = p.user !== undefined ? `u:${p.user}` : `g:${p.group ?? ''}`;
  const scope =
    p.feed !== undefined ? `f:${p.feed}` : p.feedGroup !== undefined ? `fg:${p.feedGroup}` : '*';
  return `${who}\u0000${p.task}\u0000${scope}`;
}

export function principalPhrase(p: Permission): string {
  return p.user !== undefined ? `user ${p.user}` : `group ${p.group ?? '?'}`;
}

export function scopePhrase(p: Permission): string {
  return p.feed !== undefined
    ? `feed ${p.feed}`
    : p.feedGroup !== undefined
      ? `feed group ${p.feedGroup}`
      : 'global scope';
}

export function listSome(names: readonly string[], limit = 3): string {
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}
