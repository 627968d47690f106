// The lockout rule of the instance: a policy write or a directory switch must leave at least
// one user of the ACTIVE directory allowed Admin_ConfigureProGet at system scope (the core's
// `lockout-risk` lint rule), unless the caller explicitly accepts the lockout.
import {
  PROXY_ALL,
  compile,
  describePermission,
  lintPolicy,
  resolve,
  type CompiledPolicy,
  type Policy,
} from '../core/index';
import { administeringGroups } from './directory/directories';

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
  options: { ldap?: boolean } = {},
): string | null {
  if (policy.users.some((u) => compiled.isAllowed(u.name, PROXY_ALL))) return null;
  // An LDAP directory's members are not stored: a group through which a member would be
  // allowed counts (the switch to it asked LDAP that such a group holds a user).
  if (options.ldap === true && administeringGroups(policy).length > 0) return null;
  return (
    lintPolicy(policy).find((f) => f.id === 'lockout-risk')?.message ??
    `No declared user is allowed ${PROXY_ALL} at system scope.`
  );
}

/**
 * Why each of `users` could not administer under `after` (the policy that would apply): not a
 * user of its directory, no global grant giving Admin_ConfigureProGet, or the restriction
 * that would decide, as the engine resolves it.
 */
export function whyLockedOut(users: readonly string[], after: Policy): Record<string, string> {
  const why: Record<string, string> = {};
  for (const user of users) {
    if (!after.users.some((u) => u.name === user)) {
      why[user] = `would not be a user of directory "${after.directory}"`;
      continue;
    }
    const decidedBy = resolve(after, { user, attribute: PROXY_ALL }).decidedBy;
    why[user] =
      decidedBy === null
        ? `no global grant would give ${PROXY_ALL}`
        : `denied by "${describePermission(decidedBy)}"`;
  }
  return why;
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
    /** Per locked-out user, why they could not administer any more (whyLockedOut). */
    readonly why: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'LockoutError';
  }

  body() {
    return {
      error: this.message,
      directory: this.directory,
      lockedOut: [...this.lockedOut],
      why: { ...this.why },
      override: this.override,
    };
  }
}

/** How a security API caller accepts a lockout: that API itself has no override. */
const SECURITY_API_OVERRIDE = 'POST /api/feedgate/v1/changes with "allowLockout": true';

/**
 * The rule of the security API (ProGet-compatible writes): it has no override flag, so a write
 * that leaves nobody able to administer is refused while somebody still can. A write made
 * while nobody can (a full-control key repairing step by step) is let through: it makes
 * nothing worse, and refusing it would leave only v1 change sets to repair with.
 */
export function refuseSecurityApiLockout(
  before: { directory: string; policy: Policy; compiled: CompiledPolicy },
  after: Policy,
): void {
  const reason = lockoutReason(after);
  if (reason === null) return;
  const admins = administrators(before.policy, before.compiled);
  if (admins.length === 0) return;
  const why = whyLockedOut(admins, after);
  const each = admins.map((user) => `${user} (${why[user]})`).join(', ');
  throw new LockoutError(
    `refused: after this change no user of the active directory "${before.directory}" could administer the instance. ${reason} It would lock out: ${each}. This API has no override: to accept the lockout, send the change as a v1 change set (${SECURITY_API_OVERRIDE}).`,
    before.directory,
    admins,
    SECURITY_API_OVERRIDE,
    why,
  );
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
