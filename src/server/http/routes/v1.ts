// feedgate's own API (base /api/feedgate/v1/): the whole policy as a snapshot with its
// revision, and a decision with its explanation.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ANONYMOUS, nameSchema, queryErrors } from '../../../core/index';
import { storedPolicyFile } from '../../store/policy-read';
import { policyRevision } from '../../store/sql/instance';
import { HttpError } from '../errors';
import type { AppContext } from '../context';

const name = nameSchema;

export const checkBodySchema = z.strictObject({
  user: name,
  attribute: name,
  feed: name.optional(),
  /** The uploader of the package concerned (community feeds). */
  owner: name.optional(),
});

export function registerV1(app: FastifyInstance, context: AppContext): void {
  const admin = { access: 'admin' as const };

  app.get('/api/feedgate/v1/snapshot', { config: admin }, async (request, reply) => {
    const { file, revision } = context.db.transaction(() => ({
      file: storedPolicyFile(context.db),
      revision: policyRevision(context.db),
    }))();
    const etag = `"${revision}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return { revision, ...file };
  });

  app.post(
    '/api/feedgate/v1/check',
    { config: admin, schema: { body: checkBodySchema } },
    async (request) => {
      const query = request.body as z.infer<typeof checkBodySchema>;
      const { index, compiled, revision } = context.policies.current();
      const problems = queryErrors(index, query);
      const known = (user: string) => user === ANONYMOUS || index.users.has(user);
      if (!known(query.user))
        problems.unshift(
          `unknown user "${query.user}" (use ${ANONYMOUS} for an unauthenticated caller)`,
        );
      if (query.owner !== undefined && !known(query.owner))
        problems.push(`unknown owner "${query.owner}"`);
      if (problems.length > 0) throw new HttpError(400, problems.join('; '));
      const decision = compiled.explain(query);
      return {
        allowed: decision.allowed,
        decidedBy: decision.decidedBy,
        trace: decision.trace,
        revision,
      };
    },
  );
}
