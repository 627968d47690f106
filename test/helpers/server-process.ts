// `feedgate server` as a real child process of the bundled CLI (the way an operator runs it):
// an initialized data dir with a full-control key, start and wait for the "listening" line,
// stop with a signal, and a small fetch wrapper. The tests that need a process to die or
// restart use this rather than an in-process app.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createApiKey } from '../../src/server/auth/api-keys';
import { initInstance } from '../../src/server/instance/init';
import { openStore } from '../../src/server/store/index';
import { afterAll } from 'vitest';
import { ROOT, tempDir } from './cli';
import { jsonOf } from './server';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything written on stdout and stderr so far. */
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills (SIGKILL) every server process still running: for afterAll. */
export function killServerProcesses(): void {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * A temporary directory for the data dirs of a test file; after its tests, every server
 * process still running is killed and the directory removed.
 */
export function serverProcessDir(): ReturnType<typeof tempDir> {
  const tmp = tempDir();
  afterAll(() => {
    killServerProcesses();
    tmp.cleanup();
  });
  return tmp;
}

/** Starts `feedgate server ARGS` and resolves once it logs its listening URL. */
export function startServerProcess(args: readonly string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['bin/feedgate.cjs', 'server', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  // 'close' (not 'exit'): the pid is reaped and the output is complete.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line within 20 s: ${out}`)),
      20_000,
    );
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"msg":"feedgate server listening on (http:\/\/[^"]+)"/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] as string, output: () => out, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`feedgate server exited with ${code}: ${out}`));
    });
  });
}

/** Initializes `parent/name` as an instance and creates a full-control system key in it. */
export async function initializedDataDir(
  parent: string,
  name: string,
  adminPassword = 'server-test-password',
): Promise<{ dir: string; key: string }> {
  const dir = path.join(parent, name);
  await initInstance(dir, adminPassword);
  const db = openStore(dir);
  try {
    return { dir, key: createApiKey(db, { type: 'system', fullControl: true }).key };
  } finally {
    db.close();
  }
}

export interface HttpResult {
  status: number;
  etag: string | null;
  text: string;
  json: unknown;
}

/** One request to `url + target`; a JSON `body` is sent with its content type. */
export async function http(
  url: string,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpResult> {
  const headers = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url + target, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), text, json: jsonOf(text) };
}

export interface AuditEntry {
  id: number;
  time: string;
  actor: string;
  keyId: number | null;
  action: string;
  detail: Record<string, unknown>;
}

/** The whole audit log of the instance at `url`, every page of `GET audit`. */
export async function readAudit(url: string, auth: Record<string, string>): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page = await http(url, `/api/feedgate/v1/audit?after=${after}&limit=1000`, {
      headers: auth,
    });
    if (page.status !== 200) throw new Error(`GET audit: ${page.status} ${page.text}`);
    const body = page.json as { entries: AuditEntry[]; next: number | null };
    entries.push(...body.entries);
    after = body.next;
  }
  return entries;
}
