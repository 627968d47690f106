// The AppApi channels of the Access screen's searches, run by the engine in the back end
// (src/core/access-search.ts) so a large policy never blocks the UI thread: "who can …"
// and "what can … do". The policy is the connection's draft (`id`) or a policy text (the
// sample the renderer edits without a connection). Spread into APP_API.
import { z } from 'zod';
import { grantSchema } from './app-api-grant';

const name = z.string().trim().min(1, 'must not be empty').max(256);

/** Which policy: a connection's draft, or a policy text. */
const source = z.union([
  z.strictObject({ id: z.string().trim().min(1, 'must not be empty').max(100) }),
  z.strictObject({ policyText: z.string().max(8 * 1024 * 1024) }),
]);

export const ACCESS_CHANNELS = {
  /** The users and groups allowed an attribute or task at a feed or feed group, with why. */
  'access:who-can': {
    args: z.strictObject({
      source,
      subject: z.union([z.strictObject({ attribute: name }), z.strictObject({ task: name })]),
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
} as const;
