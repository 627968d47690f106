// GET /api/feedgate/v1/directories and PUT /api/feedgate/v1/directories/active: list the user
// directories and switch the active one. A switch keeps every grant (only the active
// directory's grants apply), bumps the policy revision (the snapshot is another directory's
// now) and is audited. A switch to a directory in which no user could administer the
// instance is refused (409) unless the body says `force: true`.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { nameSchema } from '../../../core/index';
import type { Caller } from '../../auth/authenticate';
import { LockoutError, actorOf, administrators, lockoutReason, whyLockedOut } from '../../lockout';
import { readPolicy } from '../../store/policy-read';
import { appendAudit } from '../../store/sql/audit';
import {
  activeDirectory,
  directoryByName,
  listDirectories,
  setActiveDirectory,
} from '../../store/sql/directories';
import { bumpRevision, policyRevision } from '../../store/sql/instance';
import type { AppContext } from '../context';
import { HttpError } from '../errors';

export const switchDirectorySchema = z.strictObject({
  name: nameSchema,
  force: z.boolean().optional(),
});

interface Switched {
  name: string;
  changed: boolean;
  revision: number;
}

function switchInTransaction(
  context: AppContext,
  body: z.infer<typeof switchDirectorySchema>,
  caller: Caller,
): Switched {
  const { db } = context;
  const target = directoryByName(db, body.name);
  if (!target) throw new HttpError(400, `name: unknown directory "${body.name}"`);
  const current = activeDirectory(db);
  if (current?.id === target.id)
    return { name: target.name, changed: false, revision: policyRevision(db) };
  const targetPolicy = readPolicy(db, target.name);
  const reason = lockoutReason(targetPolicy);
  const before = current && reason !== null ? context.policies.current() : undefined;
  const admins = before ? administrators(before.policy, before.compiled) : [];
  if (reason !== null && body.force !== true)
    throw new LockoutError(
      `refused: no user of directory "${target.name}" could administer the instance once it is active. ${reason}${admins.length > 0 ? ` It would lock out: ${admins.join(', ')} (directory "${current?.name}").` : ''} Send "force": true to switch anyway.`,
      target.name,
      admins,
      'force',
      whyLockedOut(admins, targetPolicy),
    );
  setActiveDirectory(db, target.id);
  const revision = bumpRevision(db);
  appendAudit(db, {
    actor: actorOf(caller),
    keyId: caller.keyId,
    action: 'directory.switch',
    detail: {
      from: current?.name ?? null,
      to: target.name,
      revision,
      ...(reason !== null && { forced: true, lockedOut: admins }),
    },
  });
  return { name: target.name, changed: true, revision };
}

export function registerV1Directories(app: FastifyInstance, context: AppContext): void {
  const config = { access: 'admin' as const };

  app.get('/api/feedgate/v1/directories', { config }, async () =>
    listDirectories(context.db).map((d) => ({
      name: d.name,
      type: d.kind,
      active: d.active === 1,
    })),
  );

  app.put(
    '/api/feedgate/v1/directories/active',
    { config, schema: { body: switchDirectorySchema } },
    async (request, reply) => {
      const body = request.body as z.infer<typeof switchDirectorySchema>;
      try {
        const result = context.db
          .transaction(() => switchInTransaction(context, body, request.caller as Caller))
          .immediate();
        reply.header('etag', `"${result.revision}"`);
        return result;
      } catch (error) {
        if (error instanceof LockoutError) return reply.code(409).send(error.body());
        throw error;
      }
    },
  );
}
