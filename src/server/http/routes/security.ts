// The ProGet-compatible security API (base /api/security/): the list endpoints, with the
// models of spec/http-api.md. Passwords are never returned.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ATTRIBUTES, isFeedScopableTask } from '../../../core/index';
import { permissionOfRow, resolveDirectory } from '../../store/policy-read';
import { listNamedPermissions } from '../../store/sql/permissions';
import type { AppContext } from '../context';

export interface SecurityUser {
  name: string;
  displayName?: string;
  email?: string;
  groups: string[];
}

// Not strict: `key` (the API key) and other parameters may come along.
const userSearchSchema = z.object({ 'search-term': z.string().max(256).optional() });

const matches = (term: string, ...values: (string | undefined)[]) =>
  values.some((v) => v !== undefined && v.toLowerCase().includes(term));

export function registerSecurityLists(app: FastifyInstance, context: AppContext): void {
  const config = { access: 'admin' as const };

  app.get(
    '/api/security/users/list',
    { config, schema: { querystring: userSearchSchema } },
    async (request) => {
      const term = (request.query as z.infer<typeof userSearchSchema>)[
        'search-term'
      ]?.toLowerCase();
      const { policy } = context.policies.current();
      return policy.users
        .filter((u) => !term || matches(term, u.name, u.displayName, u.email))
        .map((u): SecurityUser => ({
          name: u.name,
          ...(u.displayName !== undefined && { displayName: u.displayName }),
          ...(u.email !== undefined && { email: u.email }),
          groups: [...u.groups],
        }));
    },
  );

  app.get('/api/security/groups/list', { config }, async () =>
    context.policies.current().policy.groups.map((g) => ({ name: g.name, users: [...g.users] })),
  );

  app.get('/api/security/tasks/list', { config }, async () =>
    context.policies.current().policy.tasks.map((t) => ({
      name: t.name,
      description: t.description,
      feedScoped: isFeedScopableTask(t.attributes),
      attributes: [...t.attributes],
    })),
  );

  app.get('/api/security/attributes/list', { config }, async () =>
    ATTRIBUTES.map((a) => ({ name: a.id, feedScoped: a.feedScoped })),
  );

  // Serialized once per revision: a large policy's list is costly to query and to serialize.
  app.get('/api/security/permissions/list', { config }, async (_request, reply) => {
    const body = context.policies.fromStore('permissions/list', () => {
      const directory = resolveDirectory(context.db);
      const rows = listNamedPermissions(context.db, directory.id);
      return JSON.stringify(rows.map((p) => ({ id: p.id, ...permissionOfRow(p) })));
    });
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
