// The AppApi channels of the Access screen, run by the engine in the back end
// (src/core/access-search.ts, access-matrix.ts) so a large policy never blocks the UI thread:
// "who can …", "what can … do", and the effective-access matrix a window at a time with why a
// cell is what it is. The policy is the connection's draft (`id`) or a policy text (the
// sample the renderer edits without a connection). Spread into APP_API.
import { z } from 'zod';
import { CELL_STATES } from '../core/access-matrix';
import { decisionSchema, grantSchema } from './app-api-grant';

const name = z.string().trim().min(1, 'must not be empty').max(256);

/** Which policy: a connection's draft, or a policy text. */
const source = z.union([
  z.strictObject({ id: z.string().trim().min(1, 'must not be empty').max(100) }),
  z.strictObject({ policyText: z.string().max(8 * 1024 * 1024) }),
]);

const subject = z.union([z.strictObject({ attribute: name }), z.strictObject({ task: name })]);
const mode = z.enum(['users', 'groups']);
const cellState = z.enum(CELL_STATES);

/** The largest window the matrix is asked for: a screen's cells with room to scroll. */
export const MATRIX_MAX_ROWS = 200;
export const MATRIX_MAX_FEEDS = 100;

/** A slice of the rows or feeds: from `offset`, at most `limit` of them. */
const range = (max: number) =>
  z.strictObject({
    offset: z.number().int().min(0).max(10_000_000),
    limit: z.number().int().min(1).max(max),
  });

export const ACCESS_CHANNELS = {
  /** The users and groups allowed an attribute or task at a feed or feed group, with why. */
  'access:who-can': {
    args: z.strictObject({
      source,
      subject,
      scope: z.union([z.strictObject({ feed: name }), z.strictObject({ feedGroup: name })]),
    }),
    result: z.object({
      /** Why there is no answer (an unknown task, feed or feed group); then no rows. */
      errors: z.array(z.string()),
      feeds: z.array(z.string()),
      rows: z.array(
        z.object({
          kind: z.enum(['user', 'group']),
          name: z.string(),
          feeds: z.array(z.string()),
          decidedBy: z.array(grantSchema),
        }),
      ),
    }),
  },
  /** Every attribute a user or group (a member of it alone) has at a feed, with why. */
  'access:what-can': {
    args: z.strictObject({
      source,
      principal: z.strictObject({ kind: z.enum(['user', 'group']), name }),
      feed: name,
    }),
    result: z.object({
      errors: z.array(z.string()),
      decisions: z.array(
        z.object({
          attribute: z.string(),
          category: z.string(),
          scope: z.enum(['feed', 'system']),
          allowed: z.boolean(),
          decidedBy: grantSchema.nullable(),
        }),
      ),
    }),
  },
  /** A window of the effective-access matrix: principals × feeds, a state per cell. */
  'access:matrix': {
    args: z.strictObject({
      source,
      mode,
      subject,
      /** Keeps the users or groups whose name holds it (any case). */
      filter: z.string().max(256).optional(),
      rows: range(MATRIX_MAX_ROWS),
      feeds: range(MATRIX_MAX_FEEDS),
    }),
    result: z.object({
      /** Why there is no answer (an unknown attribute or task); then an empty window. */
      errors: z.array(z.string()),
      totalPrincipals: z.number().int(),
      totalFeeds: z.number().int(),
      principals: z.array(z.string()),
      feeds: z.array(z.string()),
      /** A row per principal of the window, a state per feed of the window. */
      cells: z.array(z.array(cellState)),
    }),
  },
  /** Why a matrix cell is what it is: each attribute's deciding grant and the grants it beat. */
  'access:matrix-why': {
    args: z.strictObject({ source, mode, subject, principal: name, feed: name }),
    result: z.object({
      /** An unknown attribute, task, principal or feed; then no decisions. */
      errors: z.array(z.string()),
      state: cellState.nullable(),
      decisions: z.array(z.object({ attribute: z.string(), decision: decisionSchema })),
    }),
  },
} as const;
