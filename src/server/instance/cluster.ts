// `feedgate server --workers N`: N processes (node:cluster) answer on one listening socket, so
// the server uses more than the one core a Node.js process runs JavaScript on. The primary
// holds the data dir's lock and serves nothing itself; each worker has its own SQLite
// connection and policy cache, kept consistent by the per-request revision check, and the
// sign-in throttle is shared through the database (serve.ts, `worker`).
//
// A worker that dies is started again, at most MAX_RESTARTS times in RESTART_WINDOW_MS: past
// that the primary stops the others and exits non-zero. A worker that fails before it ever
// listened (address in use, ...) stops the whole server with that worker's exit code.
import cluster, { type Worker } from 'node:cluster';
import pino from 'pino';
import { openStore } from '../store/index';
import { clearSignInFailures } from '../store/sql/sign-in-failures';
import { acquireLock } from './lock';
import { checkInitialized } from './serve';

export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 60_000;
/** More would not help on any machine feedgate targets, and is most likely a typo. */
export const MAX_WORKERS = 64;

export interface PrimaryOptions {
  dataDir: string;
  workers: number;
  /** Exit code when workers keep dying. */
  crashExitCode: number;
}

export interface RunningPrimary {
  /** Stops every worker gracefully (they finish in-flight requests), then releases the lock. */
  stop(): Promise<void>;
  /** Resolves with the server's exit code once every worker is gone and the lock released. */
  exited: Promise<number>;
}

/**
 * Starts the workers (the same command line, run again by node:cluster). Throws
 * InstanceError when the data dir is not initialized or already served.
 */
export function startPrimary(options: PrimaryOptions): RunningPrimary {
  checkInitialized(options.dataDir);
  const lock = acquireLock(options.dataDir);
  // A restart clears the sign-in throttle, as with one process (the recovery runbook says so).
  try {
    const db = openStore(options.dataDir);
    try {
      clearSignInFailures(db);
    } finally {
      db.close();
    }
  } catch (error) {
    lock.release();
    throw error;
  }
  // The primary's few lines (a worker died, ...), in the workers' JSON format.
  const log = pino({ base: { pid: process.pid } });
  const alive = new Set<Worker>();
  const listened = new WeakSet<Worker>();
  const fork = () => alive.add(cluster.fork());
  const restarts: number[] = [];
  let stopping = false;
  let exitCode = 0;
  let resolveExited: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (resolveExited = resolve));

  const stopAll = (code: number) => {
    if (!stopping) exitCode = code;
    stopping = true;
    for (const worker of alive) worker.process.kill('SIGTERM');
    finishIfDone();
  };
  const finishIfDone = () => {
    if (alive.size > 0) return;
    cluster.off('exit', onExit);
    cluster.off('listening', onListening);
    lock.release();
    resolveExited(exitCode);
  };
  const onListening = (worker: Worker) => listened.add(worker);
  const onExit = (worker: Worker, code: number | null, signal: string | null) => {
    alive.delete(worker);
    if (stopping) return finishIfDone();
    const pid = worker.process.pid;
    if (!listened.has(worker)) {
      // It could not start: the next one would fail the same way. It said why on stderr.
      log.error({ worker: pid, code, signal }, 'feedgate server: a worker failed to start');
      return stopAll(code || 1);
    }
    if (code === 0) {
      // Stopped on purpose (a signal to the whole process group): the others follow.
      return stopAll(0);
    }
    const now = Date.now();
    while (restarts.length > 0 && (restarts[0] as number) <= now - RESTART_WINDOW_MS)
      restarts.shift();
    if (restarts.length >= MAX_RESTARTS) {
      log.error(
        { worker: pid, code, signal },
        `feedgate server: workers died ${MAX_RESTARTS + 1} times within ${RESTART_WINDOW_MS / 1000} s, stopping`,
      );
      return stopAll(options.crashExitCode);
    }
    restarts.push(now);
    log.warn({ worker: pid, code, signal }, 'feedgate server: a worker died, starting another');
    fork();
  };
  cluster.on('listening', onListening);
  cluster.on('exit', onExit);
  for (let i = 0; i < options.workers; i++) fork();
  return {
    stop() {
      stopAll(0);
      return exited.then(() => undefined);
    },
    exited,
  };
}
