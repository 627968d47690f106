// GET /api/feedgate/v1/audit?after=<id>&limit=<n>: the audit log, oldest first, paged by id;
// with order=newest (and before=<id>), newest first, for a reader that starts at the end.
// Entries carry the key id, never key text; secret-looking detail fields are redacted as a
// second line of defence (no writer records one).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditAfter, auditBefore } from '../../store/sql/audit';
import type { AppContext } from '../context';

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;

const whole = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number')
  .transform(Number);

// Not strict: `key` (the API key) may come along in the query.
const auditQuerySchema = z
  .object({
    after: whole.optional(),
    before: whole.optional(),
    order: z.enum(['oldest', 'newest'], { error: 'must be oldest or newest' }).optional(),
    limit: whole
      .refine((n) => n >= 1 && n <= AUDIT_MAX_LIMIT, `must be between 1 and ${AUDIT_MAX_LIMIT}`)
      .optional(),
  })
  .refine((q) => q.after === undefined || q.order !== 'newest', {
    path: ['after'],
    message: 'pages oldest first; with order=newest, use before',
  })
  .refine((q) => q.before === undefined || q.order === 'newest', {
    path: ['before'],
    message: 'pages newest first: add order=newest',
  });

const SECRET_FIELD = /^(password|passwordhash|hash|salt|key|apikey|keytext|keyhash|token|secret)$/i;

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '[REDACTED]' : redact(v)]),
  );
}

export function registerV1Audit(app: FastifyInstance, context: AppContext): void {
  app.get(
    '/api/feedgate/v1/audit',
    { config: { access: 'admin' }, schema: { querystring: auditQuerySchema } },
    async (request) => {
      const query = request.query as z.infer<typeof auditQuerySchema>;
      const limit = query.limit ?? AUDIT_DEFAULT_LIMIT;
      const rows =
        query.order === 'newest'
          ? auditBefore(context.db, query.before, limit)
          : auditAfter(context.db, query.after ?? 0, limit);
      const entries = rows.map((row) => ({
        id: row.id,
        time: row.at,
        actor: row.actor,
        keyId: row.keyId,
        action: row.action,
        detail: redact(row.detail),
      }));
      // A full page may have a next one: `next` is the `after` (or `before`) to ask for it.
      const next = rows.length === limit ? (rows[rows.length - 1]?.id ?? null) : null;
      return { entries, next };
    },
  );
}
