// What every route of the instance's API works with.
import type { Authenticator } from '../auth/authenticate';
import type { Directories } from '../directory/directories';
import type { PolicyCache } from '../policy-cache';
import type { Db } from '../store/database';

export interface AppContext {
  db: Db;
  dataDir: string;
  policies: PolicyCache;
  authenticator: Authenticator;
  directories: Directories;
}

/** Route-level access rule, in `config.access`: `admin` = the security API's rule. */
export type Access = 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
