// A grant as the engine reports it in a decision: an explicit permission (its index in the
// policy) or an implicit one from a feed's access type. Shared by the policy and access
// channels' results.
import { z } from 'zod';

export const grantSchema = z.object({
  index: z.number().int(),
  user: z.string().optional(),
  group: z.string().optional(),
  task: z.string(),
  feed: z.string().optional(),
  feedGroup: z.string().optional(),
  deny: z.boolean(),
  implicit: z.enum(['public', 'community', 'community-owner', 'organization']).optional(),
});

/** A decision with its trace: the deciding grant first among the grants that applied. */
export const decisionSchema = z.object({
  allowed: z.boolean(),
  decidedBy: grantSchema.nullable(),
  trace: z.array(z.object({ grant: grantSchema, decided: z.boolean(), reason: z.string() })),
  errors: z.array(z.string()),
});
