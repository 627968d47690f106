// The AppApi channel of the principal picker: a search of the connected server's active
// directory (built-in, or LDAP searched by the server), answered from the workspace's cache
// when the server cannot be reached (src/workspace/principals.ts). Spread into APP_API.
import { z } from 'zod';

const principalSchema = z.object({
  kind: z.enum(['user', 'group']),
  name: z.string(),
  displayName: z.string().optional(),
  email: z.string().optional(),
});

export const PRINCIPALS_CHANNELS = {
  /** Users and groups whose name, display name or e-mail holds `term` (at most 50). */
  'principals:search': {
    args: z.strictObject({
      id: z.string().trim().min(1, 'must not be empty').max(100),
      term: z.string().max(256),
      kind: z.enum(['user', 'group']).optional(),
    }),
    result: z.object({
      /** server: the directory answered now; cache: it could not be asked (see `reason`). */
      source: z.enum(['server', 'cache']),
      directory: z.string().nullable(),
      /** When the answer was read from the directory; null when nothing was cached. */
      cachedAt: z.string().nullable(),
      principals: z.array(principalSchema),
      reason: z.string().optional(),
    }),
  },
} as const;
