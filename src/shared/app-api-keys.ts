// The AppApi channels of a connection's API keys and audit log. Spread into APP_API
// (app-api.ts). They act on the instance with the connection's stored key.
//
// The result of `apikeys:create` is the ONE place a new key's text crosses IPC (`keyText`),
// like the new Admin password of `connections:first-launch`: the instance answers it once
// and stores only its hash; the back end neither logs nor stores it and builds no other
// result with it; the renderer shows it once and drops it when the panel closes. Every other
// result describes keys without their text; audit entries carry key ids, never key texts.
import { z } from 'zod';

const id = z.string().trim().min(1, 'must not be empty').max(100);
const name = z.string().trim().min(1, 'must not be empty').max(256);

export const KEY_TYPES = ['system', 'feed', 'personal'] as const;
export const KEY_PERMISSIONS = ['view', 'add', 'promote', 'delete'] as const;

/** YYYY-MM-DD or an ISO 8601 date-time, in the future. */
const expiration = z
  .string()
  .trim()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
    'must be a date (YYYY-MM-DD) or an ISO 8601 date-time',
  )
  .refine((text) => !Number.isNaN(Date.parse(text)), 'is not a valid date')
  .refine((text) => Date.parse(text) > Date.now(), 'must be in the future');

/** A feed key reaches one feed or one feed group; a personal key acts as one user. */
const createArgs = z
  .strictObject({
    id,
    type: z.enum(KEY_TYPES, { error: 'must be system, feed or personal' }),
    feed: name.optional(),
    feedGroup: name.optional(),
    user: name.optional(),
    permissions: z
      .array(z.enum(KEY_PERMISSIONS, { error: 'must be view, add, promote or delete' }))
      .max(4)
      .optional(),
    expiration: expiration.optional(),
    description: z.string().trim().max(2048).optional(),
  })
  .superRefine((args, context) => {
    const problem = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    const scoped = [args.feed, args.feedGroup].filter((s) => s !== undefined).length;
    if (args.type === 'feed') {
      if (scoped !== 1) problem('feed', 'a feed key needs exactly one of feed and feedGroup');
      if ((args.permissions ?? []).length === 0)
        problem('permissions', 'a feed key needs one or more of view, add, promote, delete');
    } else {
      if (scoped > 0) problem(args.feed ? 'feed' : 'feedGroup', 'is for feed keys only');
      if (args.permissions !== undefined) problem('permissions', 'is for feed keys only');
    }
    if (args.type === 'personal' && args.user === undefined)
      problem('user', 'a personal key needs the user it acts as');
    if (args.type !== 'personal' && args.user !== undefined)
      problem('user', 'is for personal keys only');
  });

/** A key as listed: what it may reach and its history, never its text or hash. */
const keySchema = z.object({
  id: z.number().int(),
  type: z.enum(KEY_TYPES),
  description: z.string().optional(),
  /** System keys the app makes have full control. */
  fullControl: z.boolean().optional(),
  feed: z.string().optional(),
  feedGroup: z.string().optional(),
  user: z.string().optional(),
  permissions: z.array(z.string()),
  createdAt: z.string().optional(),
  /** Who created it (`Built-in/Admin`, `key 1 (system)`). */
  createdBy: z.string().optional(),
  expiration: z.string().optional(),
  lastUsed: z.string().optional(),
  /** When it was revoked; absent while it works. */
  revoked: z.string().optional(),
});

const auditEntrySchema = z.object({
  id: z.number().int(),
  time: z.string(),
  /** The user acted for, or the key (`key 3 (system)`). */
  actor: z.string().nullable(),
  keyId: z.number().int().nullable(),
  /** The acting key's description, when it has one. */
  keyDescription: z.string().optional(),
  action: z.string(),
  summary: z.string(),
});

export const KEYS_CHANNELS = {
  /** The connection's API keys, revoked ones included (never a key text). */
  'apikeys:list': {
    args: z.strictObject({ id }),
    result: z.object({ keys: z.array(keySchema) }),
  },
  /** Creates a key: its description AND its text (`keyText`), this once. */
  'apikeys:create': {
    args: createArgs,
    result: z.object({ key: keySchema, keyText: z.string() }),
  },
  /** Revokes a key: it is refused from then on, and stays listed as revoked. */
  'apikeys:revoke': {
    args: z.strictObject({ id, keyId: z.number().int().positive('must be a key id') }),
    result: z.object({ keyId: z.number().int(), revoked: z.boolean() }),
  },
  /** A page of the audit log, newest first: entries below `before` (from the newest). */
  'audit:list': {
    args: z.strictObject({
      id,
      limit: z.number().int().min(1).max(1000).optional(),
      before: z.number().int().positive('must be an entry id').optional(),
    }),
    result: z.object({
      entries: z.array(auditEntrySchema),
      /** The `before` of the next (older) page; null after the oldest entry. */
      next: z.number().int().nullable(),
    }),
  },
} as const;
