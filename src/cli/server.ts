// `feedgate server --data-dir DIR [--host 127.0.0.1] [--port N]`: serves an instance's API.
// Loopback by default; one server per data dir; JSON log lines on stdout; SIGINT and SIGTERM
// stop it cleanly (in-flight requests finish, then the database and the lock are closed).
import path from 'node:path';
import type { Command } from 'commander';
import { InstanceError } from '../server/instance/init';
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from '../server/instance/serve';
import { StoreError } from '../server/store/index';
import { CliError, EXIT, act } from './io';

interface ServerOptions {
  dataDir: string;
  host: string;
  port: string;
}

export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port > 65535)
    throw new CliError(
      `invalid port "${text}": expected an integer from 0 to 65535 (0 picks a free port)`,
    );
  return port;
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
    .addHelpText(
      'after',
      '\nLogs are JSON lines on stdout, without API keys or passwords. SIGINT or SIGTERM stops the server.\n' +
        'Exit codes: 0 stopped by a signal, 2 bad input (not initialized, already served, address in use), 3 internal error.',
    );
  act(command, (options: ServerOptions) => runServer(options));
}

async function runServer(options: ServerOptions): Promise<number> {
  const port = parsePort(options.port);
  const dataDir = path.resolve(options.dataDir);
  let server;
  try {
    server = await startServer({ dataDir, host: options.host, port });
  } catch (error) {
    if (error instanceof InstanceError || error instanceof StoreError)
      throw new CliError(error.message, EXIT.BAD_INPUT);
    throw error;
  }
  const running = server;
  return new Promise<number>((resolve, reject) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.app.log.info({ signal }, 'feedgate server stopping');
      running.stop().then(() => resolve(EXIT.OK), reject);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // The "listening" line goes out once a signal would stop the server cleanly.
    running.flushLog();
  });
}
