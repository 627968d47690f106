// The schema of a policy file as written (before normalization). Strict objects: an
// unknown key is an error named with its path.
import { z } from 'zod';

// No code generation: the renderer runs under a CSP without 'unsafe-eval'.
z.config({ jitless: true });
import { FEED_ACCESS_TYPES, FEED_TYPES, POLICY_FORMAT } from './catalog';

/** A name of anything in a policy: trimmed, 1 to 256 characters. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters');

const name = nameSchema;

export const userSchema = z.strictObject({
  name,
  displayName: z.string().max(512).optional(),
  email: z.string().max(512).optional(),
  groups: z.array(name).optional(),
});

export const groupSchema = z.strictObject({
  name,
  users: z.array(name).optional(),
  groups: z.array(name).optional(),
});

export const feedGroupSchema = z.strictObject({ name });

export const feedSchema = z.strictObject({
  name,
  feedType: z.enum(FEED_TYPES).optional(),
  feedGroup: name.optional(),
  access: z.enum(FEED_ACCESS_TYPES).optional(),
});

export const taskSchema = z.strictObject({
  name,
  description: z.string().max(2048).optional(),
  attributes: z.array(z.string()),
});

export const permissionSchema = z.strictObject({
  user: name.optional(),
  group: name.optional(),
  task: name,
  feed: name.optional(),
  feedGroup: name.optional(),
  deny: z.boolean().optional(),
});

export const policyFileSchema = z.strictObject({
  format: z.literal(POLICY_FORMAT).optional(),
  directory: name.optional(),
  users: z.array(userSchema).optional(),
  groups: z.array(groupSchema).optional(),
  feedGroups: z.array(feedGroupSchema).optional(),
  feeds: z.array(feedSchema).optional(),
  tasks: z.array(taskSchema).optional(),
  permissions: z.array(permissionSchema).optional(),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;

/**
 * The top level only, items left unchecked: parsing validates each item on its own so that
 * one malformed item does not hide the problems of the others.
 */
export const policyShellSchema = z.strictObject({
  format: z.literal(POLICY_FORMAT).optional(),
  directory: name.optional(),
  users: z.array(z.unknown()).optional(),
  groups: z.array(z.unknown()).optional(),
  feedGroups: z.array(z.unknown()).optional(),
  feeds: z.array(z.unknown()).optional(),
  tasks: z.array(z.unknown()).optional(),
  permissions: z.array(z.unknown()).optional(),
});

export const sectionSchemas = {
  users: userSchema,
  groups: groupSchema,
  feedGroups: feedGroupSchema,
  feeds: feedSchema,
  tasks: taskSchema,
  permissions: permissionSchema,
} as const;
export type PermissionInput = z.infer<typeof permissionSchema>;
