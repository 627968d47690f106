// The instance under load (`npm run bench -- --only=instance`): a temporary instance holding
// the M policy, served by the real built CLI (`node dist/cli/feedgate.cjs server`) in a child
// process on every core (the target is stated for the whole 2-core machine, not one core), and
// driven over HTTP by autocannon from this process, once with `--workers 1` and once with
// `--workers 2` (FEEDGATE_BENCH_WORKERS=1,2). See docs/benchmarks.md, "Instance".
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ATTRIBUTE_IDS, type Policy } from '../../src/core/index';
import { createApiKey } from '../../src/server/auth/api-keys';
import { initInstance } from '../../src/server/instance/init';
import { openStore, writePolicy } from '../../src/server/store/index';
import { SIZES, generatePolicy, rng } from './generate';

/** FEEDGATE_BENCH_CLI: another bundle, for an A/B of two builds. */
const CLI = process.env.FEEDGATE_BENCH_CLI ?? path.join(process.cwd(), 'dist/cli/feedgate.cjs');
const DURATION_S = Number(process.env.FEEDGATE_BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;
/** The server's worker counts to measure, in turn. */
const WORKERS = (process.env.FEEDGATE_BENCH_WORKERS ?? '1,2').split(',').map(Number);
/** Distinct check bodies, cycled through: users, attributes and feeds vary request to request. */
const BODY_COUNT = 4096;

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The instance's data: the M policy and a full-control system key (created like `apikeys create`). */
async function prepareInstance(dataDir: string, policy: Policy): Promise<string> {
  await initInstance(dataDir, 'bench-admin-password');
  const db = openStore(dataDir);
  try {
    writePolicy(db, policy);
    return createApiKey(db, { type: 'system', fullControl: true, displayName: 'bench' }).key;
  } finally {
    db.close();
  }
}

function checkBodies(policy: Policy): string[] {
  const random = rng(11);
  const users = policy.users.map((u) => u.name);
  const feeds = policy.feeds.map((f) => f.name);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: BODY_COUNT }, () =>
    JSON.stringify({
      user: pick(users),
      attribute: pick(ATTRIBUTE_IDS),
      ...(random() < 0.85 && { feed: pick(feeds) }),
    }),
  );
}

/**
 * The server runs on every core: this process may be pinned to one (run.ts), and a child
 * inherits its affinity, so taskset widens it again.
 */
function startServer(
  dataDir: string,
  workers: number,
): Promise<{ child: ChildProcess; url: string }> {
  const all = `0-${os.cpus().length - 1}`;
  const args = [CLI, 'server', '--data-dir', dataDir, '--port', '0', '--workers', `${workers}`];
  const withTaskset = process.platform === 'linux' && spawnSync('taskset', ['-V']).status === 0;
  const child = withTaskset
    ? spawn('taskset', ['-c', all, process.execPath, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let pending = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    // Reads log lines until every worker has logged its URL, then drains the rest unread.
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const found = [...pending.matchAll(/server listening on (http:\/\/[^"\s]+)/g)][workers - 1];
      if (!found) return;
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve({ child, url: found[1] as string });
    };
    child.stdout?.on('data', onData);
  });
}

/** SIGTERM, as an operator stops it; SIGKILL if it has not stopped 10 s later. */
export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface Load {
  title: string;
  method: 'GET' | 'POST';
  path: string;
  bodies?: string[];
}

/** autocannon's result, with the CPU this process (the load generator) used while it ran. */
export type Driven = autocannon.Result & { clientCpu: NodeJS.CpuUsage };

export function drive(url: string, key: string, load: Load, seconds: number): Promise<Driven> {
  // Each body is its own prebuilt request, cycled through: autocannon rebuilds a request
  // that has a setupRequest() on every send, CPU the server's cores do not get on a 2-core
  // machine. (Building them is done before the run starts, and not counted.)
  const requests = load.bodies?.map((body) => ({ method: load.method, body })) ?? [
    { method: load.method },
  ];
  return new Promise((resolve, reject) => {
    const started = { cpu: process.cpuUsage() };
    autocannon(
      {
        url: url + load.path,
        connections: CONNECTIONS,
        duration: seconds,
        headers: { 'x-apikey': key, 'content-type': 'application/json' },
        requests,
      },
      (error, result) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve({ ...result, clientCpu: process.cpuUsage(started.cpu) });
      },
    );
    // autocannon() has built its clients and their requests when it returns.
    started.cpu = process.cpuUsage();
  });
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * CPU time (user + system, ms) a process has used, from /proc (Linux; undefined elsewhere).
 * On a shared machine throughput depends on the neighbours; the server's CPU per request
 * does much less, so both are reported.
 */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000; // utime, stime
}

/** cpuMs of a process and its children (a server's primary and its workers). */
function serverCpuMs(pid: number | undefined): number | undefined {
  const own = cpuMs(pid);
  const children = `/proc/${pid}/task/${pid}/children`;
  if (own === undefined || !existsSync(children)) return own;
  const pids = readFileSync(children, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return pids.reduce((sum, child) => sum + (cpuMs(child) ?? 0), own);
}

function row(
  title: string,
  result: autocannon.Result,
  serverCpuMs: number | undefined,
  clientCpu: NodeJS.CpuUsage,
): string {
  const failures = result.errors + result.timeouts + result.non2xx;
  const perRequest =
    serverCpuMs === undefined ? undefined : (serverCpuMs * 1000) / result.requests.total;
  const cpu =
    perRequest === undefined ? 'n/a | n/a' : `${fmt(perRequest)} | ${fmt(1e6 / perRequest)}`;
  const client = (clientCpu.user + clientCpu.system) / result.requests.total;
  return `| ${title} | ${fmt(result.requests.average)} | ${fmt(result.latency.p50, 1)} | ${fmt(result.latency.p99, 1)} | ${fmt(result.latency.max, 1)} | ${fmt(result.requests.total)} | ${fmt(failures)} | ${cpu} | ${fmt(client)} |`;
}

/** Runs the instance benchmark; returns its Markdown lines. Throws if any request failed. */
export async function benchmarkInstance(): Promise<string[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build:cli\` first`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'feedgate-bench-instance-'));
  try {
    const policy = generatePolicy(SIZES.M, 1);
    const key = await prepareInstance(dataDir, policy);
    const loads: Load[] = [
      {
        title: 'POST /api/feedgate/v1/check',
        method: 'POST',
        path: '/api/feedgate/v1/check',
        bodies: checkBodies(policy),
      },
      {
        title: 'GET /api/security/permissions/list',
        method: 'GET',
        path: '/api/security/permissions/list',
      },
      // The floor: authentication, routing, the access log and a small constant body.
      {
        title: 'reference: GET /api/security/attributes/list',
        method: 'GET',
        path: '/api/security/attributes/list',
      },
    ];
    const lines = [
      `instance: M policy (${fmt(SIZES.M.users)} users, ${fmt(SIZES.M.grants)} grants), server in a child process on all ${os.cpus().length} cores (\`--workers ${WORKERS.join('` then `--workers ')}\`), autocannon in this process: ${CONNECTIONS} connections, ${DURATION_S} s per endpoint, full-control system key in X-ApiKey`,
      '',
      `load average before the run: ${os
        .loadavg()
        .map((n) => fmt(n, 2))
        .join(', ')} (other processes share the cores)`,
      '',
      '| workers | endpoint | requests/s (mean) | p50 ms | p99 ms | max ms | requests | errors + non-2xx | server CPU µs/request | requests/s per server core | autocannon CPU µs/request |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
    ];
    let failed = 0;
    for (const workers of WORKERS) {
      const server = await startServer(dataDir, workers);
      try {
        for (const load of loads) {
          // A short warm-up first, so the JIT and the policy cache are not what is measured.
          await drive(server.url, key, load, 2);
          const cpuBefore = serverCpuMs(server.child.pid);
          const result = await drive(server.url, key, load, DURATION_S);
          const cpuAfter = serverCpuMs(server.child.pid);
          failed += result.errors + result.timeouts + result.non2xx;
          const serverCpu =
            cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
          // The load generator shares the machine: its CPU per request is the rest of the budget.
          lines.push(`| ${workers} ${row(load.title, result, serverCpu, result.clientCpu)}`);
        }
      } finally {
        await stopServer(server.child);
      }
    }
    if (failed > 0) throw new Error(`${failed} requests failed:\n${lines.join('\n')}`);
    return lines;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
