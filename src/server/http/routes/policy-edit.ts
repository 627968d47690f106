// One write of the security API: the active directory's stored policy as a policy file, changed
// by the route, validated by the core (parsePolicy: the same rules as a policy file), written
// back, with the revision bumped once and an audit entry, all in ONE immediate transaction.
// A change that does nothing writes nothing (no new revision, no audit entry).
// A change that would leave nobody able to administer is refused (409, lockout.ts).
import {
  PolicyError,
  describePermission,
  parsePolicy,
  type Policy,
  type PolicyFile,
  type Problem,
} from '../../../core/index';
import type { Caller } from '../../auth/authenticate';
import { actorOf, refuseSecurityApiLockout } from '../../lockout';
import { StoreError, type Db } from '../../store/database';
import { storedPolicyFile } from '../../store/policy-read';
import { writePolicy } from '../../store/policy-write';
import { appendAudit } from '../../store/sql/audit';
import type { AppContext } from '../context';
import { HttpError } from '../errors';

/** The stored policy file with every section present. */
export type EditableFile = Required<Omit<PolicyFile, 'format' | 'directory'>> &
  Pick<PolicyFile, 'format' | 'directory'>;

export interface PolicyEdit<T> {
  /** The audit action, e.g. `security.users.add`. */
  action: string;
  /** What the audit entry records (never a password or a key). */
  detail: Record<string, unknown>;
  /** Changes the file in place; false when there is nothing to change. */
  change(file: EditableFile): boolean;
  /** The path of the item the request is about (`permissions[4]`): its problems lose the path. */
  focus?: (file: EditableFile) => string | undefined;
  /** Inside the transaction, after the write (or with null when nothing changed). */
  after?(db: Db, policy: Policy | null): T;
}

function problemMessage(problem: Problem, file: EditableFile, focus: string | undefined): string {
  if (focus !== undefined && (problem.path === focus || problem.path.startsWith(`${focus}.`)))
    return problem.message;
  const grant = /^permissions\[(\d+)\]/.exec(problem.path);
  const permission = grant ? file.permissions[Number(grant[1])] : undefined;
  if (permission) return `grant "${describePermission(permission)}": ${problem.message}`;
  return `${problem.path}: ${problem.message}`;
}

/** parsePolicy, with its problems as one 400 message. */
function validated(file: EditableFile, focus: string | undefined): Policy {
  try {
    return parsePolicy(file);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const messages = [...new Set(error.problems.map((p) => problemMessage(p, file, focus)))];
    throw new HttpError(400, messages.join('; '));
  }
}

function editable(file: PolicyFile): EditableFile {
  return {
    ...file,
    users: file.users ?? [],
    groups: file.groups ?? [],
    feedGroups: file.feedGroups ?? [],
    feeds: file.feeds ?? [],
    tasks: file.tasks ?? [],
    permissions: file.permissions ?? [],
  };
}

/** Applies one edit to the active directory's policy (see the top of this file). */
export function applyPolicyEdit<T>(
  context: AppContext,
  caller: Caller | null,
  edit: PolicyEdit<T>,
): T | undefined {
  const { db } = context;
  return db
    .transaction(() => {
      const before = context.policies.current();
      const file = editable(storedPolicyFile(db));
      if (!edit.change(file)) return edit.after?.(db, null);
      const policy = validated(file, edit.focus?.(file));
      try {
        writePolicy(db, policy);
      } catch (error) {
        // e.g. a task still used by another directory's grants: the message is the operator's.
        if (error instanceof StoreError) throw new HttpError(400, error.message);
        throw error;
      }
      refuseSecurityApiLockout(before, policy); // a LockoutError (409) rolls the write back
      const result = edit.after?.(db, policy);
      appendAudit(db, {
        actor: actorOf(caller),
        keyId: caller?.keyId ?? null,
        action: edit.action,
        detail: edit.detail,
      });
      return result;
    })
    .immediate();
}

/** The index of the item named `name` in a section, or -1. */
export const indexOfName = (items: readonly { name: string }[], name: string) =>
  items.findIndex((item) => item.name === name);
