// The change-set format: its zod schema and types, and validation of untrusted input.
// See change-set.ts for applying one, and docs/change-sets.md.
import { z } from 'zod';
import { FEED_ACCESS_TYPES, FEED_TYPES } from './catalog';
import { PolicyError, formatPath, type Problem } from './parse';
import {
  feedGroupSchema,
  feedSchema,
  groupSchema,
  permissionSchema,
  taskSchema,
  userSchema,
} from './policy-schema';

/** Item kinds in canonical order (dependencies first). */
export const ITEM_KINDS = ['task', 'feedGroup', 'feed', 'group', 'user', 'permission'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

const name = z.string().trim().min(1, 'must not be empty').max(256);
const setChange = <T extends z.ZodType<string>>(value: T) =>
  z
    .strictObject({ added: z.array(value).optional(), removed: z.array(value).optional() })
    .refine((s) => (s.added?.length ?? 0) + (s.removed?.length ?? 0) > 0, 'adds or removes nothing')
    .refine(
      (s) => !(s.added ?? []).some((v) => (s.removed ?? []).includes(v)),
      'a value cannot be both added and removed',
    );
const valueChange = <T extends z.ZodType>(value: T) => z.strictObject({ from: value, to: value });
const changes = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape).refine((c) => Object.keys(c).length > 0, 'changes nothing');

export const addOperationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ op: z.literal('add'), kind: z.literal('user'), item: userSchema }),
  z.strictObject({ op: z.literal('add'), kind: z.literal('group'), item: groupSchema }),
  z.strictObject({ op: z.literal('add'), kind: z.literal('feedGroup'), item: feedGroupSchema }),
  z.strictObject({ op: z.literal('add'), kind: z.literal('feed'), item: feedSchema }),
  z.strictObject({ op: z.literal('add'), kind: z.literal('task'), item: taskSchema }),
  z.strictObject({ op: z.literal('add'), kind: z.literal('permission'), item: permissionSchema }),
]);

export const removeOperationSchema = z.strictObject({
  op: z.literal('remove'),
  kind: z.enum(ITEM_KINDS),
  key: z.string().min(1, 'must not be empty'),
});

export const updateOperationSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    op: z.literal('update'),
    kind: z.literal('user'),
    key: name,
    changes: changes({
      displayName: valueChange(z.string().max(512).nullable()).optional(),
      email: valueChange(z.string().max(512).nullable()).optional(),
      groups: setChange(name).optional(),
    }),
  }),
  z.strictObject({
    op: z.literal('update'),
    kind: z.literal('group'),
    key: name,
    changes: changes({ users: setChange(name).optional(), groups: setChange(name).optional() }),
  }),
  z.strictObject({
    op: z.literal('update'),
    kind: z.literal('feed'),
    key: name,
    changes: changes({
      feedType: valueChange(z.enum(FEED_TYPES)).optional(),
      feedGroup: valueChange(name.nullable()).optional(),
      access: valueChange(z.enum(FEED_ACCESS_TYPES)).optional(),
    }),
  }),
  z.strictObject({
    op: z.literal('update'),
    kind: z.literal('task'),
    key: name,
    changes: changes({
      description: valueChange(z.string().max(2048)).optional(),
      attributes: setChange(z.string()).optional(),
    }),
  }),
]);

export const operationSchema = z.discriminatedUnion('op', [
  addOperationSchema,
  removeOperationSchema,
  updateOperationSchema,
]);

export const changeSetSchema = z.strictObject({
  /** The user directory whose principals the set concerns (default: the policy's). */
  directory: name.optional(),
  /** Lets the instance accept a set that leaves no one able to administer it. */
  allowLockout: z.boolean().optional(),
  operations: z.array(operationSchema),
});

export type ChangeSet = z.infer<typeof changeSetSchema>;
export type Operation = z.infer<typeof operationSchema>;
export type AddOperation = z.infer<typeof addOperationSchema>;
export type RemoveOperation = z.infer<typeof removeOperationSchema>;
export type UpdateOperation = z.infer<typeof updateOperationSchema>;
export type SetChange = { added?: string[]; removed?: string[] };
export type ValueChange<T> = { from: T; to: T };
export type UserChanges = Extract<UpdateOperation, { kind: 'user' }>['changes'];
export type GroupChanges = Extract<UpdateOperation, { kind: 'group' }>['changes'];
export type FeedChanges = Extract<UpdateOperation, { kind: 'feed' }>['changes'];
export type TaskChanges = Extract<UpdateOperation, { kind: 'task' }>['changes'];
export type PermissionItem = z.infer<typeof permissionSchema>;

/** Validates an untrusted change set. Throws PolicyError naming each problem's path. */
export function parseChangeSet(input: unknown): ChangeSet {
  const result = changeSetSchema.safeParse(input);
  if (result.success) return result.data;
  const problems: Problem[] = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  throw new PolicyError(problems, 'invalid change set');
}
