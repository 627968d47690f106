// POST /api/feedgate/v1/changes: a change set applied to the stored policy of one directory,
// all or nothing, guarded by If-Match (the revision the change set was made against). The
// revision check, the write, the lockout check and the audit entry run in ONE immediate
// transaction, so two writers with the same If-Match cannot both win.
import type { FastifyInstance } from 'fastify';
import {
  ChangeSetError,
  PolicyError,
  applyChangeSet,
  parseChangeSet,
  policiesEqual,
  permissionKey,
  type ChangeSet,
  type Operation,
  type Problem,
} from '../../../core/index';
import type { Caller } from '../../auth/authenticate';
import { LockoutError, actorOf, administrators, lockoutReason, whyLockedOut } from '../../lockout';
import { StoreError } from '../../store/database';
import { readPolicy } from '../../store/policy-read';
import { writePolicy } from '../../store/policy-write';
import { appendAudit } from '../../store/sql/audit';
import { activeDirectory, directoryByName } from '../../store/sql/directories';
import { policyRevision } from '../../store/sql/instance';
import type { AppContext } from '../context';
import { HttpError } from '../errors';

/** How many operations an audit entry lists (the count is always recorded). */
const AUDIT_OPERATIONS = 100;

/** The revision named by `If-Match: "<revision>"`: 428 when absent, 400 when malformed. */
export function ifMatchRevision(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '')
    throw new HttpError(
      428,
      'If-Match is required: send the revision the change set was made against, as the snapshot\'s ETag (If-Match: "12")',
    );
  const match = /^\s*"(\d{1,15})"\s*$/.exec(value);
  if (!match)
    throw new HttpError(
      400,
      'If-Match must be one revision as a quoted ETag, e.g. "12" (weak tags and * are not accepted)',
    );
  return Number(match[1]);
}

const problemsText = (problems: readonly Problem[]) =>
  problems
    .slice(0, 5)
    .map((p) => `${p.path}: ${p.message}`)
    .join('; ') + (problems.length > 5 ? `; … and ${problems.length - 5} more` : '');

function operationText(op: Operation): string {
  const key =
    op.op !== 'add' ? op.key : op.kind === 'permission' ? permissionKey(op.item) : op.item.name;
  return `${op.op} ${op.kind} ${key}`;
}

interface Applied {
  revision: number;
  applied: number;
}

function applyInTransaction(
  context: AppContext,
  set: ChangeSet,
  expected: number,
  caller: Caller,
): Applied {
  const { db } = context;
  const revision = policyRevision(db);
  if (revision !== expected)
    throw new HttpError(
      412,
      `the policy is at revision ${revision}, not ${expected}: fetch the snapshot again and redo the change set on it`,
    );
  const before = context.policies.current();
  const target = set.directory === undefined ? before.directory : set.directory;
  if (directoryByName(db, target) === undefined)
    throw new HttpError(400, `directory: unknown directory "${target}"`);
  const policy = target === before.directory ? before.policy : readPolicy(db, target);
  const next = applyChangeSet(policy, set);
  // A change set that changes nothing (empty, or only idempotent set changes) writes nothing.
  if (policiesEqual(policy, next)) return { revision, applied: set.operations.length };
  const newRevision = writePolicy(db, next);
  // Read back what the active directory now holds: tasks and feeds are instance-wide, so a
  // change to another directory can still lock the active one out.
  const active = target === before.directory ? next : readPolicy(db, before.directory);
  const reason = lockoutReason(active, undefined, {
    ldap: activeDirectory(db)?.kind === 'ldap',
  });
  const admins = reason === null ? [] : administrators(before.policy, before.compiled);
  if (reason !== null && set.allowLockout !== true)
    throw new LockoutError(
      `refused: after this change set no user of the active directory "${before.directory}" could administer the instance. ${reason}${admins.length > 0 ? ` It would lock out: ${admins.join(', ')}.` : ''} Send "allowLockout": true to apply it anyway.`,
      before.directory,
      admins,
      'allowLockout',
      whyLockedOut(admins, active),
    );
  appendAudit(db, {
    actor: actorOf(caller),
    keyId: caller.keyId,
    action: 'policy.change',
    detail: {
      directory: target,
      fromRevision: revision,
      revision: newRevision,
      applied: set.operations.length,
      operations: set.operations.slice(0, AUDIT_OPERATIONS).map(operationText),
      ...(reason !== null && { lockoutAccepted: true, lockedOut: admins }),
    },
  });
  return { revision: newRevision, applied: set.operations.length };
}

export function registerV1Changes(app: FastifyInstance, context: AppContext): void {
  app.post('/api/feedgate/v1/changes', { config: { access: 'admin' } }, async (request, reply) => {
    const expected = ifMatchRevision(request.headers['if-match']);
    let set: ChangeSet;
    try {
      set = parseChangeSet(request.body);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      return reply.code(400).send({
        error: `invalid change set: ${problemsText(error.problems)}`,
        problems: error.problems,
      });
    }
    const caller = request.caller as Caller;
    try {
      const result = context.db
        .transaction(() => applyInTransaction(context, set, expected, caller))
        .immediate();
      reply.header('etag', `"${result.revision}"`);
      return result;
    } catch (error) {
      if (error instanceof LockoutError) return reply.code(409).send(error.body());
      if (error instanceof ChangeSetError)
        return reply.code(400).send({ error: error.message, operation: error.operationIndex });
      if (error instanceof PolicyError)
        return reply.code(400).send({
          error: `the change set leaves an invalid policy: ${problemsText(error.problems)}`,
          problems: error.problems,
        });
      // writePolicy refuses to remove a feed, feed group or task another directory still uses.
      if (error instanceof StoreError) throw new HttpError(409, error.message);
      throw error;
    }
  });
}
