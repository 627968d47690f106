// `feedgate` browser host entry: starts the host and keeps it running until SIGINT/SIGTERM.
// Usage: node dist/host/host.cjs [--port N] [--renderer DIR]   (PORT env var also accepted)
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_NAME } from '../shared/app-info';
import { defaultAppDataDir, Workspace } from '../workspace/workspace';
import { startHost } from './server';

function fail(message: string, code: number): never {
  process.stderr.write(`${APP_NAME}: ${message}\n`);
  process.exit(code);
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    fail(`invalid port "${text}": expected an integer from 0 to 65535`, 2);
  }
  return Number(text);
}

async function main(): Promise<void> {
  let values: { port?: string | undefined; renderer?: string | undefined };
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string' }, renderer: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 2);
  }
  const port = parsePort(values.port ?? process.env.PORT);
  // Bundled to dist/host/host.cjs (or run from src/host): the renderer is at <repo>/out/renderer.
  const rendererDir = resolve(values.renderer ?? resolve(__dirname, '../../out/renderer'));

  let host;
  let workspace: Workspace;
  try {
    workspace = new Workspace({
      appDataDir: defaultAppDataDir(),
      cliBundle: resolve(__dirname, '../../dist/cli/feedgate.cjs'),
    });
  } catch (error) {
    fail(`cannot open the workspace: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
  try {
    host = await startHost({ port, rendererDir, workspace });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`port ${port} is already in use on 127.0.0.1`, 1);
    fail(error instanceof Error ? error.message : String(error), 1);
  }
  // The URL carries the session token: whoever opens it can drive the app (docs/security.md).
  process.stdout.write(`${APP_NAME} is running at ${host.appUrl}\n`);
  // The embedded default on a launch with no connection, then the autostart instances; a
  // failure shows in their status, and the app runs regardless.
  void workspace.start();

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    Promise.all([host.close(), workspace.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
