// `feedgate server --workers N`, the real bundled CLI: requests on new connections are spread
// over the workers (each log line names its process), and the workers behave as one server:
// one sign-in throttle, a write through one seen by the next request on any, one lock, a
// graceful stop on SIGTERM, a dead worker replaced, and a non-zero exit when workers keep dying.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  initializedDataDir,
  serverProcessDir,
  startServerProcess,
  type ServerProcess,
} from '../../../test/helpers/server-process';
import { withStore } from '../../../test/helpers/store';
import { FREE_FAILURES } from '../auth/throttle';
import { MAX_RESTARTS } from './cluster';
import { LOCK_FILE } from './lock';

const tmp = serverProcessDir();
const SNAPSHOT = '/api/feedgate/v1/snapshot';

/** One request on a connection of its own (no keep-alive), so that any worker may take it. */
function fresh(
  url: string,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; json: unknown }> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url + target,
      {
        agent: false,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { ...options.headers, ...(body && { 'content-type': 'application/json' }) },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, json: text ? JSON.parse(text) : null }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The pids that logged a completed request for `url` (log lines reach stdout within 0.5 s). */
async function servingPids(server: ServerProcess, target: string): Promise<Set<number>> {
  await new Promise((resolve) => setTimeout(resolve, 800));
  const pids = new Set<number>();
  for (const line of server.output().split('\n')) {
    if (!line.includes('"request completed"') || !line.includes(`"url":"${target}"`)) continue;
    pids.add((JSON.parse(line) as { pid: number }).pid);
  }
  return pids;
}

/** The primary's worker processes, from /proc (Linux). */
function workerPids(primary: number): number[] {
  const children = readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8');
  return children.trim().split(/\s+/).filter(Boolean).map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pids that logged their listening line so far. */
const listeningPids = (server: ServerProcess) =>
  [...server.output().matchAll(/"pid":(\d+),[^\n]*"feedgate server listening on/g)].map((m) =>
    Number(m[1]),
  );

/** `feedgate server` on `dir` with `workers` workers, once every one of them listens. */
async function startWorkers(dir: string, workers: number): Promise<ServerProcess> {
  const server = await startServerProcess(['-d', dir, '--port', '0', '--workers', `${workers}`]);
  await until('every worker listening', () =>
    listeningPids(server).length === workers ? true : undefined,
  );
  return server;
}

const failureRows = (dir: string) =>
  withStore(
    dir,
    (db) => db.prepare('SELECT count(*) AS n FROM sign_in_failures').get() as { n: number },
  ).n;

async function until<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each([1, 2])('feedgate server --workers %i', (workers) => {
  it('locks a user after the free failures, whichever worker counted them', async () => {
    const { dir } = await initializedDataDir(tmp.dir, `throttle-${workers}`);
    const server = await startWorkers(dir, workers);
    const wrong = { authorization: `Basic ${Buffer.from('Admin:wrong').toString('base64')}` };
    for (let i = 0; i <= FREE_FAILURES; i++)
      expect((await fresh(server.url, SNAPSHOT, { headers: wrong })).status).toBe(403);
    // A 1 s lock after FREE_FAILURES + 1 failures: per worker, each would have counted half.
    expect((await fresh(server.url, SNAPSHOT, { headers: wrong })).status).toBe(429);
    expect((await servingPids(server, SNAPSHOT)).size).toBe(workers);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    if (workers === 1) return;
    // The workers' counts are in the database; a restart starts them afresh, as one process
    // does (the recovery runbook relies on it).
    expect(failureRows(dir)).toBe(2); // user:admin and address:127.0.0.1
    const again = await startWorkers(dir, workers);
    expect(failureRows(dir)).toBe(0);
    expect((await fresh(again.url, SNAPSHOT, { headers: wrong })).status).toBe(403);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});

describe('feedgate server --workers 2', () => {
  it('a write through one worker is seen by the next request on every worker', async () => {
    const { dir, key } = await initializedDataDir(tmp.dir, 'consistent');
    const server = await startWorkers(dir, 2);
    const auth = { 'X-ApiKey': key };
    const revisions = async () =>
      Promise.all(
        Array.from({ length: 4 }, async () => {
          const r = await fresh(server.url, SNAPSHOT, { headers: auth });
          return (r.json as { revision: number }).revision;
        }),
      );
    const [before] = await revisions();
    for (let i = 0; i < 3; i++) {
      const added = await fresh(server.url, '/api/security/users/add', {
        headers: auth,
        body: { name: `user-${i}` },
      });
      expect(added.status).toBe(200);
      const seen = await revisions();
      expect(seen).toEqual(seen.map(() => (before as number) + i + 1));
    }
    expect((await servingPids(server, SNAPSHOT)).size).toBe(2);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('SIGTERM to the primary stops the workers and releases the lock; one server per data dir', async () => {
    const { dir, key } = await initializedDataDir(tmp.dir, 'stop');
    const server = await startWorkers(dir, 2);
    const primary = server.child.pid as number;
    const pids = await until('two workers', () => {
      const found = workerPids(primary);
      return found.length === 2 ? found : undefined;
    });
    await expect(startServerProcess(['-d', dir, '--port', '0', '--workers', '2'])).rejects.toThrow(
      /exited with 2: .*already serving data dir/s,
    );
    expect((await fresh(server.url, SNAPSHOT, { headers: { 'X-ApiKey': key } })).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect(() => readFileSync(path.join(dir, LOCK_FILE))).toThrow(/ENOENT/);
    expect(server.output()).not.toMatch(/died|Error/);
  });

  it(
    'replaces a worker that dies, and exits 3 when workers keep dying',
    { timeout: 60_000 },
    async () => {
      const { dir, key } = await initializedDataDir(tmp.dir, 'crash');
      const server = await startWorkers(dir, 2);
      const primary = server.child.pid as number;
      let killed: number[] = [];
      const listening = () =>
        [...server.output().matchAll(/"pid":(\d+),[^\n]*"feedgate server listening on/g)].map((m) =>
          Number(m[1]),
        );
      // Both listen first (startWorkers): with --port 0, the port is kept while a worker listens.
      for (let death = 1; death <= MAX_RESTARTS + 1; death++) {
        const victim = await until('a listening worker', () => {
          const live = workerPids(primary);
          return listening().find((pid) => live.includes(pid) && !killed.includes(pid));
        });
        process.kill(victim, 'SIGKILL');
        killed = [...killed, victim];
        if (death === 1) {
          // Replaced (the primary saw the death, a third worker listens), and the server answers.
          await until('a replacement', () =>
            server.output().includes('a worker died, starting another') && listening().length === 3
              ? true
              : undefined,
          );
          const r = await fresh(server.url, SNAPSHOT, { headers: { 'X-ApiKey': key } });
          expect(r.status).toBe(200);
        }
      }
      expect(await server.exited).toBe(3);
      expect(server.output()).toContain(`workers died ${MAX_RESTARTS + 1} times`);
      expect(() => readFileSync(path.join(dir, LOCK_FILE))).toThrow(/ENOENT/);
    },
  );
});

describe('feedgate server --workers (bad input)', () => {
  it('refuses a count that is not an integer from 1 to 64: exit 2', async () => {
    const { dir } = await initializedDataDir(tmp.dir, 'bad-workers');
    for (const bad of ['0', '65', 'two', '1.5', '-1']) {
      const started = startServerProcess(['-d', dir, '--port', '0', '--workers', bad]);
      await expect(started).rejects.toThrow(
        new RegExp(`exited with 2: feedgate: invalid --workers "${bad.replace('.', '\\.')}"`),
      );
    }
  });
});
