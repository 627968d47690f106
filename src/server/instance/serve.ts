// Runs the instance's API on a data dir: refuses one that is not initialized or already
// served, listens, and closes the server, the database and the lock on stop().
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { SharedSignInThrottle } from '../auth/throttle';
import { buildApp } from '../http/app';
import type { LoggerSettings } from '../http/logging';
import { databaseFile, instanceRow, openStore, type Db } from '../store/index';
import { InstanceError } from './init';
import { acquireLock } from './lock';

export const DEFAULT_HOST = '127.0.0.1';
/** ProGet's default port. */
export const DEFAULT_PORT = 8624;

export interface ServeOptions {
  dataDir: string;
  host?: string;
  port?: number;
  logger?: LoggerSettings | false;
  /**
   * A worker of `feedgate server --workers N` (see cluster.ts): the primary holds the data
   * dir's lock, and the sign-in throttle is shared through the database.
   */
  worker?: boolean;
}

/** How often buffered log lines reach stdout when traffic is too light to fill the buffer. */
const LOG_FLUSH_MS = 500;

/**
 * stdout for the server's log lines, written asynchronously in batches of about 4 KB: a
 * synchronous write per access line cost ~14% of a small request's CPU. Lines reach stdout
 * within LOG_FLUSH_MS at the latest, and all of them on stop(); a killed server loses at most
 * that last half second of access lines (the audit log is in the database).
 */
function bufferedStdout(): {
  stream: pino.DestinationStream & { flushSync(): void };
  close(): void;
} {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const timer = setInterval(() => stream.flush(), LOG_FLUSH_MS);
  timer.unref();
  return {
    stream,
    close() {
      clearInterval(timer);
      try {
        stream.flushSync();
      } catch {
        // stdout already closed (the reader went away): nothing left to keep.
      }
    },
  };
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  /** Writes out buffered log lines now (the caller is ready for whoever waits on them). */
  flushLog(): void;
  /** Closes the server (in-flight requests finish), the database and the lock. Idempotent. */
  stop(): Promise<void>;
}

function notInitialized(dataDir: string): InstanceError {
  return new InstanceError(
    `data dir "${dataDir}" is not an initialized feedgate instance: run \`feedgate instance init --data-dir ${dataDir}\` first`,
  );
}

/** Throws InstanceError unless `dataDir` holds an initialized instance. */
export function checkInitialized(dataDir: string): void {
  openInitialized(dataDir).close();
}

function openInitialized(dataDir: string): Db {
  if (!existsSync(databaseFile(dataDir))) throw notInitialized(dataDir);
  const db = openStore(dataDir);
  if (instanceRow(db).initializedAt === null) {
    db.close();
    throw notInitialized(dataDir);
  }
  return db;
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { dataDir } = options;
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  if (!existsSync(databaseFile(dataDir))) throw notInitialized(dataDir);
  const lock = options.worker ? { release() {} } : acquireLock(dataDir);
  let db: Db | undefined;
  let app: FastifyInstance | undefined;
  const log = options.logger === undefined ? bufferedStdout() : undefined;
  try {
    db = openInitialized(dataDir);
    app = buildApp({
      db,
      dataDir,
      ...(options.worker && { throttle: new SharedSignInThrottle(db) }),
      ...(options.logger !== undefined && { logger: options.logger }),
      ...(log && { logger: { stream: log.stream } }),
    });
    await app.listen({ host, port });
  } catch (error) {
    await app?.close();
    db?.close();
    log?.close();
    lock.release();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new InstanceError(`cannot listen on ${host}:${port}: the address is in use`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new InstanceError(`cannot listen on ${host}:${port}: no such local address`);
    if (code === 'EACCES')
      throw new InstanceError(`cannot listen on ${host}:${port}: permission denied`);
    throw error;
  }
  const actual = (app.server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${actual}`;
  app.log.info({ url, dataDir }, `feedgate server listening on ${url}`);
  let stopping: Promise<void> | undefined;
  const running = { app, db };
  return {
    url,
    app,
    flushLog: () => log?.stream.flushSync(),
    stop() {
      stopping ??= (async () => {
        try {
          await running.app.close();
        } finally {
          running.db.close();
          log?.close();
          lock.release();
        }
      })();
      return stopping;
    },
  };
}
