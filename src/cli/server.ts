// `feedgate server --data-dir DIR [--host 127.0.0.1] [--port N] [--workers N]`: serves an
// instance's API. Loopback by default; one server per data dir; JSON log lines on stdout;
// SIGINT and SIGTERM stop it cleanly (in-flight requests finish, then the database and the
// lock are closed). With --workers N > 1, N processes share the port (server/instance/cluster.ts):
// this process is their primary, and each of them runs this same command again.
import cluster from 'node:cluster';
import path from 'node:path';
import type { Command } from 'commander';
import { MAX_WORKERS, startPrimary } from '../server/instance/cluster';
import { InstanceError } from '../server/instance/init';
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from '../server/instance/serve';
import { StoreError } from '../server/store/index';
import { CliError, EXIT, act } from './io';

interface ServerOptions {
  dataDir: string;
  host: string;
  port: string;
  workers: string;
}

export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port > 65535)
    throw new CliError(
      `invalid port "${text}": expected an integer from 0 to 65535 (0 picks a free port)`,
    );
  return port;
}

function parseWorkers(text: string): number {
  const workers = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(workers >= 1 && workers <= MAX_WORKERS))
    throw new CliError(`invalid --workers "${text}": expected an integer from 1 to ${MAX_WORKERS}`);
  return workers;
}

export function registerServer(program: Command): void {
  const command = program
    .command('server')
    .description(
      "serve an instance's HTTP API (the ProGet-compatible security API and feedgate's v1 API)",
    )
    .requiredOption(
      '-d, --data-dir <dir>',
      'data dir of the instance (see `feedgate instance init`)',
    )
    .option('--host <address>', 'address to listen on (loopback by default)', DEFAULT_HOST)
    .option('--port <n>', 'TCP port (0 picks a free one)', String(DEFAULT_PORT))
    .option(
      '--workers <n>',
      'processes answering on the port, one per core to use (see docs/operations.md)',
      '1',
    )
    .addHelpText(
      'after',
      '\nLogs are JSON lines on stdout, without API keys or passwords. SIGINT or SIGTERM stops the server.\n' +
        'Exit codes: 0 stopped by a signal, 2 bad input (not initialized, already served, address in use), 3 internal error (also: workers kept dying).',
    );
  act(command, (options: ServerOptions) => runServer(options));
}

function badInput(error: unknown): unknown {
  return error instanceof InstanceError || error instanceof StoreError
    ? new CliError(error.message, EXIT.BAD_INPUT)
    : error;
}

async function runServer(options: ServerOptions): Promise<number> {
  const port = parsePort(options.port);
  const workers = parseWorkers(options.workers);
  const dataDir = path.resolve(options.dataDir);
  if (workers > 1 && cluster.isPrimary) return runPrimary(dataDir, workers);
  const worker = workers > 1;
  let server;
  try {
    server = await startServer({ dataDir, host: options.host, port, worker });
  } catch (error) {
    throw badInput(error);
  }
  const running = server;
  return new Promise<number>((resolve, reject) => {
    const onDisconnect = () => stop('disconnect');
    const stop = (signal: NodeJS.Signals | 'disconnect') => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('disconnect', onDisconnect);
      running.app.log.info({ signal }, 'feedgate server stopping');
      running.stop().then(() => {
        // A worker's channel to its primary would keep it alive.
        if (worker && process.connected) process.disconnect();
        resolve(EXIT.OK);
      }, reject);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // A worker whose primary is gone (killed) stops too.
    if (worker) process.on('disconnect', onDisconnect);
    // The "listening" line goes out once a signal would stop the server cleanly.
    running.flushLog();
  });
}

async function runPrimary(dataDir: string, workers: number): Promise<number> {
  let primary;
  try {
    primary = startPrimary({ dataDir, workers, crashExitCode: EXIT.INTERNAL });
  } catch (error) {
    throw badInput(error);
  }
  const running = primary;
  const stop = () => void running.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await running.exited;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return code;
}
