// The AppApi channels of the workspace: connections, embedded instances, sync, the draft,
// policy files and lockout recovery. Spread into APP_API (app-api.ts). An API key may be an
// argument (adding a connection) but is never part of a result; the one secret a result
// carries is a new Admin password, shown once, when the app itself made it.
import { z } from 'zod';
import { changeSetSchema } from '../core/index';

const id = z.string().trim().min(1, 'must not be empty').max(100);
const byId = z.strictObject({ id });
const name = z.string().trim().min(1, 'must not be empty').max(100);
const keyStorage = z.enum(['keychain', 'memory']);
const apiKey = z.string().min(1, 'must not be empty').max(1000);
const policyText = z.string().max(8 * 1024 * 1024);

const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['remote', 'embedded']),
  url: z.string(),
  dataDir: z.string().optional(),
  port: z.number().int().optional(),
  autostart: z.boolean(),
  isDefault: z.boolean(),
  createdAt: z.string(),
  keyStorage,
});

const instanceStatusSchema = z.object({
  state: z.enum(['stopped', 'starting', 'running', 'stopping', 'failed']),
  url: z.string().optional(),
  pid: z.number().int().optional(),
  message: z.string().optional(),
});

const lintFindingSchema = z.object({
  id: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  items: z.array(z.record(z.string(), z.unknown())),
});

const conflictSchema = z.object({
  id: z.string(),
  kind: z.string(),
  key: z.string(),
  reason: z.string(),
  base: z.unknown(),
  ours: z.unknown(),
  theirs: z.unknown(),
});

const mergeOutcomeSchema = z.object({
  merged: z.boolean(),
  baseRevision: z.number().int(),
  conflicts: z.array(conflictSchema),
});

const diffEntrySchema = z.object({
  kind: z.string(),
  key: z.string(),
  label: z.string(),
  change: z.enum(['added', 'removed', 'updated']),
  details: z.array(z.string()),
});

const draftSchema = z.object({
  baseRevision: z.number().int(),
  cursor: z.number().int(),
  operations: z.number().int(),
  updatedAt: z.string(),
  /** The draft policy as JSON text (the renderer's editors take policy texts). */
  policyText: z.string(),
});

export const WORKSPACE_CHANNELS = {
  /** Every connection profile (never a key). */
  'connections:list': {
    args: z.strictObject({}),
    result: z.object({ connections: z.array(connectionSchema) }),
  },
  /** Adds a remote instance (its key goes to the keychain, or memory if so chosen). */
  'connections:add-remote': {
    args: z.strictObject({
      name,
      url: z.string().min(1, 'must not be empty').max(2000),
      apiKey,
      keyStorage,
    }),
    result: z.object({ connection: connectionSchema }),
  },
  /** Adds an embedded instance: a new data dir is initialised and started (password once). */
  'connections:add-embedded': {
    args: z.strictObject({
      name,
      dataDir: z.string().min(1, 'must not be empty').max(4096),
      port: z.number().int().min(1).max(65535).optional(),
      autostart: z.boolean(),
      keyStorage,
      apiKey: apiKey.optional(),
    }),
    result: z.object({ connection: connectionSchema, adminPassword: z.string().optional() }),
  },
  /** First launch: with no connection, creates, starts and connects the embedded default. */
  'connections:first-launch': {
    args: z.strictObject({ keyStorage }),
    result: z.object({
      created: z.boolean(),
      connection: connectionSchema.optional(),
      adminPassword: z.string().optional(),
    }),
  },
  'connections:remove': { args: byId, result: z.object({ connection: connectionSchema }) },
  'connections:test': {
    args: byId,
    result: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), revision: z.number().int() }),
      z.object({ ok: z.literal(false), kind: z.string(), message: z.string() }),
    ]),
  },
  'instance:start': { args: byId, result: instanceStatusSchema },
  'instance:stop': { args: byId, result: instanceStatusSchema },
  'instance:status': { args: byId, result: instanceStatusSchema },
  /** The last lines the instance wrote. */
  'instance:log': { args: byId, result: z.object({ lines: z.array(z.string()) }) },
  'sync:pull': {
    args: byId,
    result: z.object({
      revision: z.number().int(),
      pulledAt: z.string(),
      baseRevision: z.number().int(),
      serverMoved: z.boolean(),
    }),
  },
  /** The draft against its base: items, who can do what, lint findings. */
  'sync:diff': {
    args: byId,
    result: z.object({
      baseRevision: z.number().int(),
      serverRevision: z.number().int().nullable(),
      serverMoved: z.boolean(),
      summary: z.object({
        added: z.number().int(),
        removed: z.number().int(),
        updated: z.number().int(),
      }),
      entries: z.array(diffEntrySchema),
      access: z.object({
        totals: z.object({
          flips: z.number().int(),
          users: z.number().int(),
          granted: z.number().int(),
          revoked: z.number().int(),
        }),
        groups: z.array(z.record(z.string(), z.unknown())),
      }),
      lint: z.array(lintFindingSchema),
      changeSet: changeSetSchema,
    }),
  },
  /** Three-way merge of the server's changes since the draft's base. */
  'sync:merge': { args: byId, result: mergeOutcomeSchema },
  /** A choice for every conflict: keep mine (ours) or take theirs. */
  'sync:resolve': {
    args: z.strictObject({ id, choices: z.record(z.string(), z.enum(['ours', 'theirs'])) }),
    result: mergeOutcomeSchema,
  },
  'sync:push': {
    args: z.strictObject({ id, allowLockout: z.boolean().optional() }),
    result: z.discriminatedUnion('status', [
      z.object({ status: z.literal('nothing-to-push'), revision: z.number().int() }),
      z.object({
        status: z.literal('pushed'),
        revision: z.number().int(),
        applied: z.number().int(),
        verified: z.boolean(),
        notApplied: z.array(diffEntrySchema),
        /** A ProGet-only server: each call and whether it worked. */
        steps: z
          .array(z.object({ label: z.string(), ok: z.boolean(), message: z.string().optional() }))
          .optional(),
      }),
      z.object({ status: z.literal('lockout-refused'), findings: z.array(lintFindingSchema) }),
      z.object({ status: z.literal('server-moved'), merge: mergeOutcomeSchema }),
      z.object({ status: z.literal('failed'), kind: z.string(), message: z.string() }),
    ]),
  },
  'draft:get': { args: byId, result: draftSchema },
  /** One undoable edit: a change set (docs/change-sets.md) with a label for the history. */
  'draft:edit': {
    args: z.strictObject({ id, label: name, changeSet: changeSetSchema }),
    result: draftSchema,
  },
  'draft:undo': { args: byId, result: draftSchema },
  'draft:redo': { args: byId, result: draftSchema },
  'policy:export': {
    args: z.strictObject({
      id,
      which: z.enum(['draft', 'snapshot']),
      format: z.enum(['json', 'yaml']),
    }),
    result: z.object({ text: z.string() }),
  },
  /** Makes the draft equal to a policy file (one undoable edit). */
  'policy:import': { args: z.strictObject({ id, policyText }), result: draftSchema },
  /** Lockout recovery: embedded, reset and a new password (once); remote, the command. */
  'recovery:reset': {
    args: byId,
    result: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('embedded'), adminPassword: z.string(), url: z.string() }),
      z.object({
        kind: z.literal('remote'),
        host: z.string(),
        command: z.string(),
        explanation: z.string(),
      }),
    ]),
  },
} as const;
