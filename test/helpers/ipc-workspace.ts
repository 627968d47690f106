// A real workspace in a temp app data dir behind the real AppApi registry (every result
// checked against its schema): what the channel tests of src/main/ipc call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEventHub } from '../../src/main/ipc/events';
import { APP_API_HANDLERS } from '../../src/main/ipc/handlers';
import { createRegistry, type AppApiRegistry } from '../../src/main/ipc/registry';
import { Workspace } from '../../src/workspace/workspace';
import { ROOT } from './cli';

export interface RegistryWorkspace {
  dir: string;
  workspace: Workspace;
  api: AppApiRegistry;
  /** Stops the workspace (its instances) and removes the dir. */
  close(): Promise<void>;
}

export function openRegistryWorkspace(prefix: string): RegistryWorkspace {
  const dir = mkdtempSync(path.join(tmpdir(), `feedgate-ipc-${prefix}-`));
  const workspace = new Workspace({
    appDataDir: path.join(dir, 'app'),
    cliBundle: path.join(ROOT, 'dist/cli/feedgate.cjs'),
  });
  const api = createRegistry(APP_API_HANDLERS, {
    context: { host: 'browser', events: createEventHub(), workspace },
    validateResults: true,
  });
  return {
    dir,
    workspace,
    api,
    close: async () => {
      await workspace.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
