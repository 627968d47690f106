// The instance's HTTP API as a Fastify instance (not listening): authentication in an
// onRequest hook for every route that declares `config.access`, zod validation of bodies and
// queries, one error handler, and request logs without secrets.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Authenticator, readCredentials, type Caller } from '../auth/authenticate';
import { isAdministrator } from '../auth/authorize';
import type { Throttle } from '../auth/throttle';
import { Directories } from '../directory/directories';
import { PolicyCache } from '../policy-cache';
import type { Db } from '../store/database';
import { storeVersion, type StoreVersion } from '../store/sql/instance';
import { answerAuthFailure } from './auth-failure';
import type { AppContext } from './context';
import { errorHandler, forbidden, notFoundHandler } from './errors';
import {
  AccessLogController,
  loggerOptions,
  registerAccessLog,
  type LoggerSettings,
} from './logging';
import { registerApiKeys } from './routes/api-keys';
import { registerFeedManagement } from './routes/feeds';
import { registerPackages } from './routes/packages';
import { registerSecurityLists } from './routes/security';
import { registerSecurityWrites } from './routes/security-writes';
import { registerV1 } from './routes/v1';
import { registerV1Audit } from './routes/v1-audit';
import { registerV1Changes } from './routes/v1-changes';
import { registerV1Directories } from './routes/v1-directories';
import { zodValidatorCompiler } from './validation';

export interface AppOptions {
  db: Db;
  dataDir: string;
  /** Log settings; false turns logging off. Default: info level to stdout. */
  logger?: LoggerSettings | false;
  /** The sign-in throttle (tests pass one with a short window). */
  throttle?: Throttle;
}

export const BODY_LIMIT = 16 * 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, once the onRequest hook has authenticated a protected route. */
    caller: Caller | null;
    /**
     * The store's version read once as the request began authentication, for the key and
     * policy caches while it decides (after a write of its own, a route asks the store again).
     */
    storeVersion: StoreVersion | undefined;
  }
}

export function buildApp(options: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(options.logger ?? {}),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    logController: new AccessLogController(),
  });
  const directories = new Directories(options.db, options.dataDir);
  const context: AppContext = {
    db: options.db,
    dataDir: options.dataDir,
    policies: new PolicyCache(options.db),
    authenticator: new Authenticator(options.db, options.throttle, directories),
    directories,
  };
  if (options.logger !== false) registerAccessLog(app);
  app.decorateRequest('caller', null);
  app.decorateRequest('storeVersion', undefined);
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return;
    const credentials = readCredentials(request.headers, request.query);
    const version = (request.storeVersion = storeVersion(context.db));
    const result = await context.authenticator.authenticate(credentials, request.ip, version);
    if (!result.ok) {
      if (answerAuthFailure(request, reply, result)) return reply;
      return forbidden(reply);
    }
    request.caller = result.caller;
    if (!isAdministrator(result.caller, context.policies, version)) {
      request.log.info({ caller: result.caller.label }, 'access denied: not an administrator');
      return forbidden(reply);
    }
  });

  registerV1(app, context);
  registerV1Changes(app, context);
  registerV1Audit(app, context);
  registerV1Directories(app, context);
  registerSecurityLists(app, context);
  registerSecurityWrites(app, context);
  registerApiKeys(app, context);
  registerFeedManagement(app, context);
  registerPackages(app, context);
  return app;
}
