// The ProGet-compatible security API's writes of grants (base /api/security/):
// permissions/add and permissions/delete (DELETE or POST). Every rule (exactly one principal,
// at most one scope, known names, only feed-scopable tasks at a feed or feed group) is the
// core's, applied by parsePolicy on the resulting policy.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Permission } from '../../../core/index';
import { permissionSchema } from '../../../core/policy-schema';
import { permissionOfRow, resolveDirectory } from '../../store/policy-read';
import { listNamedPermissions } from '../../store/sql/permissions';
import type { AppContext } from '../context';
import { HttpError } from '../errors';
import { applyPolicyEdit } from './policy-edit';

const permissionBodySchema = permissionSchema.extend({
  /** Sent back by some clients; a new grant always gets a new id. */
  id: z.number().int().optional(),
});
type PermissionBody = z.infer<typeof permissionBodySchema>;
// Not strict: `key` (the API key) may come along in the query.
const deleteQuerySchema = z.object({
  permissionId: z.coerce.number().int('must be a whole number').positive('must be positive'),
});

const sameGrant = (a: Permission, b: Permission) =>
  a.user === b.user &&
  a.group === b.group &&
  a.task === b.task &&
  a.feed === b.feed &&
  a.feedGroup === b.feedGroup &&
  a.deny === b.deny;

export function registerSecurityPermissions(app: FastifyInstance, context: AppContext): void {
  const config = { access: 'admin' as const };

  app.post(
    '/api/security/permissions/add',
    { config, schema: { body: permissionBodySchema } },
    async (request) => {
      const { id: _id, ...body } = request.body as PermissionBody;
      const grant = { ...body, deny: body.deny ?? false };
      return applyPolicyEdit(context, request.caller, {
        action: 'security.permissions.add',
        detail: { permission: grant },
        change(file) {
          const existing = file.permissions.find((p) =>
            sameGrant({ ...p, deny: p.deny ?? false }, grant),
          );
          if (existing) throw new HttpError(400, 'the same grant already exists');
          file.permissions.push(grant);
          return true;
        },
        focus: (file) => `permissions[${file.permissions.length - 1}]`,
        after(db) {
          const rows = listNamedPermissions(db, resolveDirectory(db).id);
          const row = rows.reverse().find((r) => sameGrant(permissionOfRow(r), grant));
          return row && { id: row.id, ...permissionOfRow(row) };
        },
      });
    },
  );

  const remove = async (request: FastifyRequest) => {
    const { permissionId } = request.query as z.infer<typeof deleteQuerySchema>;
    let removed: unknown;
    const detail: Record<string, unknown> = { permissionId };
    applyPolicyEdit(context, request.caller, {
      action: 'security.permissions.delete',
      detail,
      change(file) {
        // The stored file lists grants in id order, as listNamedPermissions does.
        const ids = listNamedPermissions(context.db, resolveDirectory(context.db).id).map(
          (r) => r.id,
        );
        const i = ids.indexOf(permissionId);
        if (i < 0) return false;
        removed = file.permissions.splice(i, 1)[0];
        detail.permission = removed;
        return true;
      },
    });
    return { deleted: permissionId, found: removed !== undefined };
  };
  const options = { config, schema: { querystring: deleteQuerySchema } };
  app.delete('/api/security/permissions/delete', options, remove);
  app.post('/api/security/permissions/delete', options, remove);
}
