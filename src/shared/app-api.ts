// The AppApi: the one contract between the renderer and the back end (Electron main or the
// browser host). Every channel has a schema for its arguments and one for its result, every
// push event one for its payload; the back end validates what it receives, the renderer
// validates what comes back. Types derive from the schemas, so they cannot drift apart.
import { z } from 'zod';
import { formatPath } from '../core/index';
import { ACCESS_CHANNELS } from './app-api-access';
import { decisionSchema, grantSchema } from './app-api-grant';
import type { ChannelName, EventName } from './app-api-names';
import { DIRECTORY_CHANNELS } from './app-api-directory';
import { KEYS_CHANNELS } from './app-api-keys';
import { LAUNCH_CHANNELS } from './app-api-launch';
import { PRINCIPALS_CHANNELS } from './app-api-principals';
import { WORKSPACE_CHANNELS } from './app-api-workspace';

export * from './app-api-names';

/** Policy texts up to this many characters (far above a policy of 100k grants). */
export const POLICY_TEXT_MAX = 8 * 1024 * 1024;

const policyText = z.string().max(POLICY_TEXT_MAX);
const name = z.string().trim().min(1, 'must not be empty').max(256);

const problemSchema = z.object({ path: z.string(), message: z.string() });

/** The answer when a policy text does not parse: every problem with its path. */
const invalidPolicySchema = z.object({
  valid: z.literal(false),
  problems: z.array(problemSchema),
});

const attributeDecisionSchema = z.object({
  attribute: z.string(),
  category: z.string(),
  scope: z.enum(['feed', 'system']),
  allowed: z.boolean(),
  decidedBy: grantSchema.nullable(),
});

const lintFindingSchema = z.object({
  id: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  items: z.array(
    z.object({
      kind: z.enum(['task', 'permission', 'user', 'group', 'feed', 'feedGroup', 'policy']),
      name: z.string().optional(),
      index: z.number().int().optional(),
      path: z.string().optional(),
    }),
  ),
});

const diffEntrySchema = z.object({
  kind: z.enum(['task', 'feedGroup', 'feed', 'group', 'user', 'permission']),
  key: z.string(),
  label: z.string(),
  change: z.enum(['added', 'removed', 'updated']),
  details: z.array(z.string()),
});

const accessDiffSchema = z.object({
  totals: z.object({
    flips: z.number().int(),
    users: z.number().int(),
    granted: z.number().int(),
    revoked: z.number().int(),
  }),
  groups: z.array(
    z.object({
      change: z.enum(['granted', 'revoked']),
      cause: grantSchema.nullable(),
      causeSide: z.enum(['old', 'new']),
      users: z.array(z.string()),
      attributes: z.array(z.string()),
      feeds: z.array(z.string().nullable()),
      count: z.number().int(),
      flips: z.array(
        z.object({
          user: z.string(),
          attribute: z.string(),
          feed: z.string().nullable(),
          from: z.boolean(),
          to: z.boolean(),
        }),
      ),
      truncated: z.boolean(),
    }),
  ),
});

/** One channel: what it takes and what it answers. */
interface ChannelSpec {
  args: z.ZodType;
  result: z.ZodType;
}

/** The channels. Arguments are strict objects: an unknown key is refused, never ignored. */
export const APP_API = {
  /** The product and the host the renderer runs in. */
  'app:info': {
    args: z.strictObject({}),
    result: z.object({
      name: z.string(),
      version: z.string(),
      host: z.enum(['electron', 'browser']),
    }),
  },
  /** May `query.user` do `query.attribute` (at `query.feed`)? With the full trace. */
  'policy:check': {
    args: z.strictObject({
      policyText,
      query: z.strictObject({
        user: name,
        attribute: name,
        feed: name.optional(),
        owner: name.optional(),
      }),
    }),
    result: z.discriminatedUnion('valid', [
      z.object({ valid: z.literal(true), decision: decisionSchema }),
      invalidPolicySchema,
    ]),
  },
  /** Every attribute for one user at one feed (or system scope). */
  'policy:explain': {
    args: z.strictObject({
      policyText,
      user: name,
      feed: name.optional(),
      owner: name.optional(),
    }),
    result: z.discriminatedUnion('valid', [
      z.object({
        valid: z.literal(true),
        /** Why the question cannot be answered (unknown user or feed); then no decisions. */
        errors: z.array(z.string()),
        decisions: z.array(attributeDecisionSchema),
      }),
      invalidPolicySchema,
    ]),
  },
  /** The lint findings of a policy. */
  'policy:lint': {
    args: z.strictObject({ policyText }),
    result: z.discriminatedUnion('valid', [
      z.object({ valid: z.literal(true), findings: z.array(lintFindingSchema) }),
      invalidPolicySchema,
    ]),
  },
  /** The structural and access diff from `oldText` to `newText`. */
  'policy:diff': {
    args: z.strictObject({ oldText: policyText, newText: policyText }),
    result: z.discriminatedUnion('valid', [
      z.object({
        valid: z.literal(true),
        summary: z.object({
          added: z.number().int(),
          removed: z.number().int(),
          updated: z.number().int(),
        }),
        entries: z.array(diffEntrySchema),
        directory: z.object({ from: z.string(), to: z.string() }).optional(),
        access: accessDiffSchema,
      }),
      invalidPolicySchema.extend({ side: z.enum(['old', 'new']) }),
    ]),
  },
  ...WORKSPACE_CHANNELS,
  ...PRINCIPALS_CHANNELS,
  ...ACCESS_CHANNELS,
  ...DIRECTORY_CHANNELS,
  ...LAUNCH_CHANNELS,
  ...KEYS_CHANNELS,
} as const satisfies Record<ChannelName, ChannelSpec>;

/** The push events and their payloads. */
export const APP_API_EVENT_PAYLOADS = {
  /** A pull or push under way: `done` of `total` steps (total null while unknown). */
  'sync:progress': z.object({
    connectionId: z.string(),
    phase: z.enum(['pull', 'push']),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().nullable(),
    message: z.string().optional(),
  }),
  /** An embedded instance changed state. */
  'instance:status': z.object({
    connectionId: z.string(),
    state: z.enum(['stopped', 'starting', 'running', 'stopping', 'failed']),
    message: z.string().optional(),
  }),
} as const satisfies Record<EventName, z.ZodType>;

/** What a caller passes (before defaults and trimming). */
export type ChannelArgs<C extends ChannelName> = z.input<(typeof APP_API)[C]['args']>;
/** What a handler receives (validated). */
export type ValidArgs<C extends ChannelName> = z.output<(typeof APP_API)[C]['args']>;
export type ChannelResult<C extends ChannelName> = z.output<(typeof APP_API)[C]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof APP_API_EVENT_PAYLOADS)[E]>;

/**
 * Why a call failed: bad-arguments (the caller's fault: the message names the field),
 * unknown-channel, refused (well-formed, but it cannot be done now: an unknown connection,
 * nothing to undo, a change set that does not apply, an unreachable server or keychain),
 * bad-result (the back end broke the contract), internal (a handler failed; the message
 * says what, never with a stack); over HTTP also unauthorized (no or a wrong session token)
 * and forbidden (a foreign Origin).
 */
export const APP_API_ERROR_CODES = [
  'bad-arguments',
  'unknown-channel',
  'refused',
  'bad-result',
  'internal',
  'unauthorized',
  'forbidden',
] as const;
export type AppApiErrorCode = (typeof APP_API_ERROR_CODES)[number];

/** What every call answers, over IPC and HTTP alike: the result or an error, never a throw. */
export type AppApiResponse<T = unknown> =
  { ok: true; value: T } | { ok: false; error: { code: AppApiErrorCode; message: string } };

export const appApiResponseSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.enum(APP_API_ERROR_CODES), message: z.string() }),
  }),
]);

export class AppApiError extends Error {
  readonly code: AppApiErrorCode;
  constructor(code: AppApiErrorCode, message: string) {
    super(message);
    this.name = 'AppApiError';
    this.code = code;
  }
}

/** One line per problem, each naming its field: `query.user: expected string, received number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown field`);
      }
      return [`${formatPath(issue.path)}: ${issue.message}`];
    })
    .flat()
    .join('; ');
}

/** What the preload exposes as `window.feedgate`: the AppApi and nothing else. */
export interface AppApiBridge {
  invoke(channel: ChannelName, args: unknown): Promise<AppApiResponse>;
  /** Calls `listener` with each payload of `event`; returns the unsubscribe function. */
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}
