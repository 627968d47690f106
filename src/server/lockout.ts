// The lockout rule of the instance: a policy write or a directory switch must leave at least
// one user of the ACTIVE directory allowed Admin_ConfigureProGet at system scope (the core's
// `lockout-risk` lint rule), unless the caller explicitly accepts the lockout.
import { PROXY_ALL, compile, lintPolicy, type CompiledPolicy, type Policy } from '../core/index';

/** Declared users of the policy allowed Admin_ConfigureProGet at system scope. */
export function administrators(
  policy: Policy,
  compiled: CompiledPolicy = compile(policy),
): string[] {
  return policy.users.map((u) => u.name).filter((user) => compiled.isAllowed(user, PROXY_ALL));
}

/**
 * Why nobody could administer the instance under this policy (the core's `lockout-risk` lint
 * finding), or null when somebody can. The common case costs one compile and stops at the
 * first administrator; the whole lint runs only to word a refusal.
 */
export function lockoutReason(
  policy: Policy,
  compiled: CompiledPolicy = compile(policy),
): string | null {
  if (policy.users.some((u) => compiled.isAllowed(u.name, PROXY_ALL))) return null;
  return (
    lintPolicy(policy).find((f) => f.id === 'lockout-risk')?.message ??
    `No declared user is allowed ${PROXY_ALL} at system scope.`
  );
}

/** A write or switch refused because it would leave nobody able to administer the instance. */
export class LockoutError extends Error {
  constructor(
    message: string,
    /** The directory that would be active. */
    readonly directory: string,
    /** The users who can administer now and could not any more. */
    readonly lockedOut: readonly string[],
    /** What the caller sends to accept it anyway. */
    readonly override: string,
  ) {
    super(message);
    this.name = 'LockoutError';
  }

  body() {
    return {
      error: this.message,
      directory: this.directory,
      lockedOut: [...this.lockedOut],
      override: this.override,
    };
  }
}

/** Who acted, for the audit log: `Built-in/alice` for a user or personal key, else the key's label (`key 3 (system)`). */
export function actorOf(
  caller: { user?: string; directory?: string; label: string } | null,
): string {
  if (!caller) return 'unknown';
  return caller.user !== undefined && caller.directory !== undefined
    ? `${caller.directory}/${caller.user}`
    : caller.label;
}
