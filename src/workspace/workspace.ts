// The workspace as one object for a host (Electron main or the browser host): the mirror
// file in the app's data dir, the connections, sync, and one place to listen for progress
// and instance status, whichever call caused them.
import { homedir } from 'node:os';
import path from 'node:path';
import { Connections } from './connections';
import { EmbeddedDefault } from './embedded-default';
import type { InstanceStatus } from './embedded-instance';
import type { Keychain } from './keychain';
import { Mirror } from './mirror';
import { Sync, type SyncProgress } from './sync';

/** The mirror's file name in the app's data dir. */
export const MIRROR_FILE = 'workspace.db';

/** Overrides the app's data dir outside Electron (the browser host, tests, portable setups). */
export const DATA_DIR_VARIABLE = 'FEEDGATE_DATA_DIR';

/** $FEEDGATE_DATA_DIR, else $XDG_DATA_HOME/feedgate, else ~/.local/share/feedgate. */
export function defaultAppDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[DATA_DIR_VARIABLE];
  if (override !== undefined && override !== '') return path.resolve(override);
  const xdg = env.XDG_DATA_HOME;
  const base =
    xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.local', 'share');
  return path.join(base, 'feedgate');
}

export interface WorkspaceOptions {
  /** The app's data dir (Electron's userData): the mirror and the embedded default go there. */
  appDataDir: string;
  /** The built CLI bundle (dist/cli/feedgate.cjs) that runs embedded instances. */
  cliBundle: string;
  keychain?: Keychain;
}

export interface WorkspaceListener {
  progress?: (progress: SyncProgress) => void;
  status?: (connectionId: string, status: InstanceStatus) => void;
}

export class Workspace {
  readonly mirror: Mirror;
  readonly connections: Connections;
  readonly sync: Sync;
  readonly embeddedDefault: EmbeddedDefault;
  private readonly listeners = new Set<WorkspaceListener>();
  private starting: Promise<void> | undefined;

  constructor(options: WorkspaceOptions) {
    this.mirror = Mirror.open(path.join(options.appDataDir, MIRROR_FILE));
    this.connections = new Connections({
      mirror: this.mirror,
      cliBundle: options.cliBundle,
      appDataDir: options.appDataDir,
      ...(options.keychain !== undefined && { keychain: options.keychain }),
      onInstanceStatus: (id, status) => {
        for (const listener of this.listeners) listener.status?.(id, status);
      },
    });
    this.sync = new Sync(this.connections, (progress) => {
      for (const listener of this.listeners) listener.progress?.(progress);
    });
    this.embeddedDefault = new EmbeddedDefault(this.connections, this.sync);
  }

  /**
   * What the app does at start: on a launch with no connection, the embedded default (see
   * embedded-default.ts); then the instances marked autostart. Never throws: outcomes show in
   * the default's status and each instance's status.
   */
  start(): Promise<void> {
    this.starting ??= (async () => {
      await this.embeddedDefault.atLaunch();
      await this.connections.startAutostart();
    })();
    return this.starting;
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: WorkspaceListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stops the embedded instances and closes the mirror (the app quits). */
  async close(): Promise<void> {
    // An instance still being made at start would otherwise outlive the app.
    await this.starting;
    await this.connections.stopAll();
    this.mirror.close();
  }
}
