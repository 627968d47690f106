// Bulk questions over a policy, answered with the compiled evaluator: every attribute of
// one user ("explain"), every user holding one attribute ("who"). Pure and I/O-free.
import { ANONYMOUS, ATTRIBUTES, type AttributeCategory } from './catalog';
import { compile, type CompiledPolicy } from './compile';
import type { Grant, Policy } from './model';

/** The users a bulk question covers: every declared user, then `Anonymous`. */
export function policyUsers(policy: Policy): string[] {
  const names = policy.users.map((u) => u.name);
  return names.includes(ANONYMOUS) ? names : [...names, ANONYMOUS];
}

/** A user the policy can answer for: declared, or the virtual `Anonymous`. */
export function isKnownUser(policy: Policy, user: string): boolean {
  return user === ANONYMOUS || policy.users.some((u) => u.name === user);
}

export interface AttributeDecision {
  attribute: string;
  category: AttributeCategory;
  /** `feed` when the attribute was decided at the feed asked about, else `system`. */
  scope: 'feed' | 'system';
  allowed: boolean;
  decidedBy: Grant | null;
}

/**
 * Every attribute (catalog order) for one user, at one feed or at system scope. System-only
 * attributes are always decided at system scope, whatever feed is named.
 */
export function explainUser(
  policy: Policy,
  user: string,
  feed?: string,
  owner?: string,
  compiled: CompiledPolicy = compile(policy),
): AttributeDecision[] {
  return ATTRIBUTES.map((info) => {
    const verdict = compiled.check({
      user,
      attribute: info.id,
      ...(feed !== undefined && { feed }),
      ...(owner !== undefined && { owner }),
    });
    if (verdict.errors.length > 0) throw new Error(verdict.errors.join('; '));
    return {
      attribute: info.id,
      category: info.category,
      scope: feed !== undefined && info.feedScoped ? 'feed' : 'system',
      allowed: verdict.allowed,
      decidedBy: verdict.decidedBy,
    };
  });
}

export interface Holder {
  user: string;
  decidedBy: Grant;
}

/** Every user (declared users and Anonymous) allowed `attribute` (on `feed`), with the deciding grant. */
export function whoHas(
  policy: Policy,
  attribute: string,
  feed?: string,
  compiled: CompiledPolicy = compile(policy),
): Holder[] {
  const holders: Holder[] = [];
  for (const user of policyUsers(policy)) {
    const verdict = compiled.check({ user, attribute, ...(feed !== undefined && { feed }) });
    if (verdict.errors.length > 0) throw new Error(verdict.errors.join('; '));
    if (verdict.allowed && verdict.decidedBy) holders.push({ user, decidedBy: verdict.decidedBy });
  }
  return holders;
}
