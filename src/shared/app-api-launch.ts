// The AppApi channel of the embedded default made at launch (src/workspace/embedded-default.ts):
// what the back end did with a launch that found no connection. Spread into APP_API. The one
// secret it may carry is the generated Admin password, in the first answer after the instance
// was made and never again.
import { z } from 'zod';

export const LAUNCH_CHANNELS = {
  /**
   * idle: the launch check has not run; not-needed: there was a connection already;
   * creating; needs-key-choice: no keychain is reachable (`message` says why), the key may be
   * kept in memory for this session by an explicit `connections:first-launch` with `memory`;
   * created (`pulledAt`, or `pullError` when the first pull failed); failed (`message`).
   */
  'launch:default-status': {
    args: z.strictObject({}),
    result: z.object({
      state: z.enum(['idle', 'not-needed', 'creating', 'needs-key-choice', 'created', 'failed']),
      keyStorage: z.enum(['keychain', 'memory']).optional(),
      connectionId: z.string().optional(),
      message: z.string().optional(),
      pulledAt: z.string().optional(),
      pullError: z.string().optional(),
      adminPassword: z.string().optional(),
    }),
  },
};
