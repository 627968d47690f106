// feedgate's own API (base /api/feedgate/v1/): the whole policy as a snapshot with its
// revision, and a decision with its explanation (an LDAP user of the active directory with
// the groups LDAP gives them).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ANONYMOUS, nameSchema, queryErrors, type Decision, type Grant } from '../../../core/index';
import { LdapError } from '../../directory/ldap-directory';
import { storedPolicyFile } from '../../store/policy-read';
import { activeDirectory } from '../../store/sql/directories';
import { policyRevision } from '../../store/sql/instance';
import type { CachedPolicy } from '../../policy-cache';
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

/** Each grant's JSON, kept while its compiled policy lives: answers repeat the same grants. */
const grantJson = new WeakMap<Grant, string>();
const jsonOf = (grant: Grant): string => {
  let json = grantJson.get(grant);
  if (json === undefined) grantJson.set(grant, (json = JSON.stringify(grant)));
  return json;
};

/**
 * The check answer's JSON text, as JSON.stringify would write it: the decision and its trace
 * are most of every answer's bytes (~2 KB at M), and their grants are the compiled policy's
 * own objects, serialized once each.
 */
export function checkAnswerJson(
  decision: Decision,
  revision: number,
  ldapGroups?: string[],
): string {
  const { decidedBy, trace } = decision;
  let json = `{"allowed":${decision.allowed},"decidedBy":${decidedBy === null ? 'null' : jsonOf(decidedBy)},"trace":[`;
  for (let i = 0; i < trace.length; i++) {
    const entry = trace[i] as Decision['trace'][number];
    json += `${i > 0 ? ',' : ''}{"grant":${jsonOf(entry.grant)},"decided":${entry.decided},"reason":${JSON.stringify(entry.reason)}}`;
  }
  json += `],"revision":${revision}`;
  if (ldapGroups !== undefined) json += `,"ldapGroups":${JSON.stringify(ldapGroups)}`;
  return `${json}}`;
}

/**
 * The groups of `user` in the active directory when it is an LDAP one and knows them; null
 * when the built-in directory is active or LDAP has no such user.
 */
async function ldapMember(
  context: AppContext,
  { directoryKind }: CachedPolicy,
  user: string,
): Promise<string[] | null> {
  if (directoryKind !== 'ldap') return null;
  const active = activeDirectory(context.db);
  const client = active?.kind === 'ldap' ? context.directories.configuredClient(active) : undefined;
  if (!client || user === ANONYMOUS) return null;
  try {
    const found = await client.findUser(user);
    return found ? (await client.groupsOf(found)).map((g) => g.name) : null;
  } catch (error) {
    if (error instanceof LdapError)
      throw new HttpError(503, `directory unavailable: ${error.message}`);
    throw error;
  }
}

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
    async (request, reply) => {
      const query = request.body as z.infer<typeof checkBodySchema>;
      const cached = context.policies.current(request.storeVersion);
      const { index, compiled, revision } = cached;
      const member = await ldapMember(context, cached, query.user);
      const problems = queryErrors(index, query);
      const known = (user: string) =>
        user === ANONYMOUS || index.users.has(user) || (user === query.user && member !== null);
      if (!known(query.user))
        problems.unshift(
          `unknown user "${query.user}" (use ${ANONYMOUS} for an unauthenticated caller)`,
        );
      if (query.owner !== undefined && !known(query.owner))
        problems.push(`unknown owner "${query.owner}"`);
      if (problems.length > 0) throw new HttpError(400, problems.join('; '));
      reply.type('application/json; charset=utf-8');
      if (member !== null) {
        // An LDAP user: decided as a member of their LDAP groups (see policies.forMember).
        const { subject, compiled: forMember } = context.policies.forMember(query.user, member);
        const decision = forMember.explain({
          ...query,
          user: subject,
          ...(query.owner === query.user && { owner: subject }),
        });
        return checkAnswerJson(decision, revision, member);
      }
      return checkAnswerJson(compiled.explain(query), revision);
    },
  );
}
