// An embedded instance: a data dir on this machine served by `feedgate server` as a child
// process of the app, run from the built CLI bundle with the app's own runtime
// (process.execPath; under Electron with ELECTRON_RUN_AS_NODE=1 so that it acts as Node).
// Passwords reach the CLI through FEEDGATE_ADMIN_PASSWORD, never its arguments (which other
// local users can read in /proc), and the CLI never prints a password it was given.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { databaseFile } from '../server/store/database';

export type InstanceState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

export interface InstanceStatus {
  state: InstanceState;
  /** While running: where it listens. */
  url?: string;
  pid?: number;
  message?: string;
}

/** Starting, stopping or initialising failed: the message says why (no secret in it). */
export class InstanceProcessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstanceProcessError';
  }
}

export interface EmbeddedInstanceOptions {
  dataDir: string;
  port: number;
  /** The built CLI bundle (dist/cli/feedgate.cjs). */
  cliBundle: string;
  /** Lines of output kept in memory (default 200). */
  logLines?: number;
  /** How long `start` waits for the listening line (default 20 s). */
  startTimeoutMs?: number;
  /** How long `stop` waits after SIGTERM before SIGKILL (default 5 s). */
  stopTimeoutMs?: number;
  onStatus?: (status: InstanceStatus) => void;
}

const LISTENING = /"msg":"feedgate server listening on (http:\/\/[^"]+)"/;

/** A password that a user can type: 24 base64url characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** The environment of a CLI child: the app's, plus what makes Electron's binary act as Node. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // An inherited FEEDGATE_ADMIN_PASSWORD must never set a password the app did not choose.
  const { FEEDGATE_ADMIN_PASSWORD: _inherited, ...env } = process.env;
  if (process.versions.electron !== undefined) env.ELECTRON_RUN_AS_NODE = '1';
  return { ...env, ...extra };
}

export class EmbeddedInstance {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private current: InstanceStatus = { state: 'stopped' };
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly options: EmbeddedInstanceOptions) {}

  get dataDir(): string {
    return this.options.dataDir;
  }

  status(): InstanceStatus {
    return { ...this.current };
  }

  /** The last lines the process wrote (stdout and stderr), oldest first. */
  log(): string[] {
    return [...this.lines];
  }

  isInitialized(): boolean {
    return existsSync(databaseFile(this.options.dataDir));
  }

  /** `feedgate instance init` with the given Admin password. */
  async init(adminPassword: string): Promise<void> {
    await this.runCli(['instance', 'init', '--data-dir', this.options.dataDir], adminPassword);
  }

  /**
   * `feedgate recover reset-directory` with a new Admin password: the built-in directory
   * active again and Admin an administrator. The caller stops the server first.
   */
  async resetDirectory(password: string): Promise<void> {
    await this.runCli(['recover', 'reset-directory', '--data-dir', this.options.dataDir], password);
  }

  /** Starts `feedgate server`; resolves with its URL once it listens. */
  async start(): Promise<string> {
    if (this.child !== undefined && this.current.state === 'running')
      return this.current.url as string;
    if (this.child !== undefined)
      throw new InstanceProcessError(`the instance is ${this.current.state}`);
    if (!this.isInitialized())
      throw new InstanceProcessError(`data dir "${this.options.dataDir}" holds no instance`);
    this.setStatus({ state: 'starting' });
    const child = spawn(
      process.execPath,
      [
        this.options.cliBundle,
        'server',
        '--data-dir',
        this.options.dataDir,
        '--port',
        String(this.options.port),
      ],
      { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        this.child = undefined;
        const expected = this.current.state === 'stopping';
        this.setStatus(
          expected
            ? { state: 'stopped' }
            : {
                state: 'failed',
                message: `feedgate server ended (${signal ?? `exit code ${code}`}): ${this.lastLine()}`,
              },
        );
        resolve();
      }),
    );
    child.stdout?.on('data', (chunk: Buffer) => this.collect(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.collect(chunk));
    return new Promise<string>((resolve, reject) => {
      const timeoutMs = this.options.startTimeoutMs ?? 20_000;
      const timer = setTimeout(() => {
        cleanup();
        void this.stop().finally(() =>
          reject(
            new InstanceProcessError(`feedgate server did not start within ${timeoutMs / 1000} s`),
          ),
        );
      }, timeoutMs);
      const onData = () => {
        const match = LISTENING.exec(this.lines.join('\n'));
        if (match === null) return;
        cleanup();
        this.setStatus({ state: 'running', url: match[1] as string, pid: child.pid as number });
        resolve(match[1] as string);
      };
      const onClose = () => {
        cleanup();
        reject(new InstanceProcessError(this.current.message ?? 'feedgate server ended'));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('close', onClose);
      };
      child.stdout?.on('data', onData);
      child.once('close', onClose);
    });
  }

  /** SIGTERM, then SIGKILL when it has not ended within the timeout. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.setStatus({ state: 'stopping' });
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 5000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Ends the process at once (SIGKILL), as a crash would; status becomes failed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  private setStatus(status: InstanceStatus): void {
    this.current = status;
    this.options.onStatus?.(this.status());
  }

  private collect(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.filter((line) => line !== ''));
    const keep = this.options.logLines ?? 200;
    if (this.lines.length > keep) this.lines.splice(0, this.lines.length - keep);
  }

  private lastLine(): string {
    return this.lines.at(-1) ?? 'no output';
  }

  private runCli(args: string[], password: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.options.cliBundle, ...args], {
        env: childEnv({ FEEDGATE_ADMIN_PASSWORD: password }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', (error) => reject(new InstanceProcessError(error.message)));
      child.once('close', (code) => {
        if (code === 0) resolve();
        else {
          const said = output.split(password).join('***').trim().split('\n').at(-1) ?? '';
          reject(
            new InstanceProcessError(
              `feedgate ${args.slice(0, 2).join(' ')} failed (exit ${code}): ${said}`,
            ),
          );
        }
      });
    });
  }
}
