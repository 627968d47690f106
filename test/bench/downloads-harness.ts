// The download benchmark's server (test/bench/downloads.ts starts it in a child process): the
// real package routes over a real data dir, with the decider chosen on the command line:
// `engine` (what every server uses), `timed` (the engine, with the time spent in it summed)
// or `allow` (always allow: the same handler with no decision). Only this harness can pass a
// decider: buildApp never does. No request log (a server writes one), so the engine's share
// measured here is an upper bound of its share in a real server.
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { Authenticator } from '../../src/server/auth/authenticate';
import { FeedAccess, type FeedDecider } from '../../src/server/feeds/feed-access';
import { errorHandler, notFoundHandler } from '../../src/server/http/errors';
import { registerPackages } from '../../src/server/http/routes/packages';
import { zodValidatorCompiler } from '../../src/server/http/validation';
import { PolicyCache } from '../../src/server/policy-cache';
import { openStore } from '../../src/server/store/index';

const [dataDir, mode] = process.argv.slice(2);
if (dataDir === undefined || !['engine', 'timed', 'allow'].includes(mode ?? ''))
  throw new Error('usage: downloads-harness.ts DATA_DIR engine|timed|allow');

const db = openStore(dataDir);
const policies = new PolicyCache(db);
const context = { db, dataDir, policies, authenticator: new Authenticator(db) };
const engine = new FeedAccess(db, policies);
const stats = { calls: 0, ns: 0n };
const deciders: Record<string, FeedDecider> = {
  engine,
  allow: { allowed: () => true },
  timed: {
    allowed(...args) {
      const start = process.hrtime.bigint();
      const allowed = engine.allowed(...args);
      stats.ns += process.hrtime.bigint() - start;
      stats.calls += 1;
      return allowed;
    },
  },
};

async function main(): Promise<void> {
  const app = Fastify({ logger: false, return503OnClosing: true });
  app.decorateRequest('caller', null);
  app.decorateRequest('storeVersion', undefined);
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  registerPackages(app, context, deciders[mode as string]);
  app.get('/bench/decider-stats', async () => ({ calls: stats.calls, ns: Number(stats.ns) }));
  app.post('/bench/decider-stats/reset', async () => {
    stats.calls = 0;
    stats.ns = 0n;
    return {};
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(
    `listening on http://127.0.0.1:${(app.server.address() as AddressInfo).port}\n`,
  );
  process.once('SIGTERM', () => void app.close().then(() => db.close()));
}

void main();
