// Authorized downloads under load, and the share of each request's time spent deciding
// (issue 7, point 5): `npx tsx test/bench/downloads.ts` (FEEDGATE_BENCH_SECONDS=N changes the
// 10 s per run). A temporary instance holds the M policy and one small package in a private
// feed that a user may download through an explicit grant; the package routes are served by
// test/bench/downloads-harness.ts in a child process with the engine's decider, with an
// always-allow decider (the same handler, no decision), and with the engine timed per call;
// autocannon drives each with the user's personal key. See docs/benchmarks.md, "Downloads".
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { compile } from '../../src/core/index';
import { createApiKey } from '../../src/server/auth/api-keys';
import { packageFilePath } from '../../src/server/feeds/package-files';
import { initInstance } from '../../src/server/instance/init';
import { openStore, writePolicy } from '../../src/server/store/index';
import { feedByName, insertPackage } from '../../src/server/store/sql/packages';
import { SIZES, generatePolicy } from './generate';
import { cpuMs, drive, fmt, stopServer } from './instance';

const DURATION_S = Number(process.env.FEEDGATE_BENCH_SECONDS ?? 10);
const PACKAGE_BYTES = 1024;
/** Engine and always-allow runs, alternated so that a neighbour's load weighs on both alike. */
const PAIRS = Number(process.env.FEEDGATE_BENCH_PAIRS ?? 4);
const HARNESS = path.join(__dirname, 'downloads-harness.ts');

type Mode = 'engine' | 'allow' | 'timed';

/** The data dir: M policy, a user allowed to download from a private feed by a grant, a package. */
async function prepare(
  dataDir: string,
): Promise<{ key: string; path: string; user: string; feed: string }> {
  await initInstance(dataDir, 'bench-admin-password');
  const db = openStore(dataDir);
  try {
    const policy = generatePolicy(SIZES.M, 1);
    writePolicy(db, policy);
    const compiled = compile(policy);
    const privateFeeds = policy.feeds.filter((f) => f.access === 'private');
    let pick: { user: string; feed: string } | undefined;
    for (const u of policy.users) {
      const feed = privateFeeds.find((f) =>
        compiled.isAllowed(u.name, 'Feeds_DownloadPackage', f.name),
      );
      if (feed) {
        pick = { user: u.name, feed: feed.name };
        break;
      }
    }
    if (!pick) throw new Error('no user of the M policy may download from a private feed');
    const feed = feedByName(db, pick.feed);
    if (!feed) throw new Error(`feed ${pick.feed} is not stored`);
    const bytes = randomBytes(PACKAGE_BYTES);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = packageFilePath(dataDir, feed.id, sha256);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    insertPackage(db, feed.id, 'bench-package', '1.0.0', {
      uploader: pick.user,
      uploaderDirectory: policy.directory,
      size: PACKAGE_BYTES,
      sha256,
    });
    const key = createApiKey(db, { type: 'personal', user: pick.user }).key;
    return {
      key,
      path: `/feeds/${encodeURIComponent(pick.feed)}/packages/bench-package/1.0.0`,
      ...pick,
    };
  } finally {
    db.close();
  }
}

function startHarness(dataDir: string, mode: Mode): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HARNESS, dataDir, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => reject(new Error(`harness exited with ${code}: ${stderr}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const found = /listening on (http:\/\/\S+)/.exec(chunk.toString('utf8'));
      if (found) resolve({ child, url: found[1] as string });
    });
  });
}

interface Run {
  mode: Mode;
  result: autocannon.Result;
  cpuUsPerRequest: number;
  decideUsPerRequest?: number;
}

async function run(dataDir: string, mode: Mode, key: string, target: string): Promise<Run> {
  const { child, url } = await startHarness(dataDir, mode);
  try {
    const load = { title: mode, method: 'GET' as const, path: target };
    await drive(url, key, load, 2); // warm-up: JIT, policy cache, prepared statements
    await fetch(`${url}/bench/decider-stats/reset`, { method: 'POST' });
    const before = cpuMs(child.pid);
    const result = await drive(url, key, load, DURATION_S);
    const after = cpuMs(child.pid);
    if (before === undefined || after === undefined) throw new Error('needs /proc (Linux)');
    const failures = result.errors + result.timeouts + result.non2xx;
    if (failures > 0) throw new Error(`${mode}: ${failures} failed requests`);
    const stats = (await (await fetch(`${url}/bench/decider-stats`)).json()) as {
      calls: number;
      ns: number;
    };
    return {
      mode,
      result,
      cpuUsPerRequest: ((after - before) * 1000) / result.requests.total,
      ...(mode === 'timed' && { decideUsPerRequest: stats.ns / 1000 / result.requests.total }),
    };
  } finally {
    await stopServer(child);
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'feedgate-bench-downloads-'));
  try {
    const { key, path: target, user, feed } = await prepare(dataDir);
    const runs: Run[] = [];
    const order: Mode[] = [
      ...Array.from({ length: PAIRS }, () => ['engine', 'allow'] as Mode[]).flat(),
      'timed',
    ];
    for (const mode of order) runs.push(await run(dataDir, mode, key, target));
    const lines = [
      `downloads: M policy, user ${user} on private feed ${feed} (an explicit grant), a ${PACKAGE_BYTES}-byte package, personal key in X-ApiKey, ${DURATION_S} s per run, load average before: ${os
        .loadavg()
        .map((n) => fmt(n, 2))
        .join(', ')}`,
      '',
      '| decider | requests/s (mean) | p50 ms | p99 ms | requests | server CPU µs/request | deciding µs/request |',
      '|---|---|---|---|---|---|---|',
      ...runs.map(
        (r) =>
          `| ${r.mode} | ${fmt(r.result.requests.average)} | ${fmt(r.result.latency.p50, 1)} | ${fmt(r.result.latency.p99, 1)} | ${fmt(r.result.requests.total)} | ${fmt(r.cpuUsPerRequest, 1)} | ${r.decideUsPerRequest === undefined ? '-' : fmt(r.decideUsPerRequest, 2)} |`,
      ),
    ];
    // The median run of each decider: a neighbour's burst weighs on one run, not on the result.
    const median = (mode: Mode) => {
      const of = runs
        .filter((r) => r.mode === mode)
        .map((r) => r.cpuUsPerRequest)
        .sort((a, b) => a - b);
      const mid = of.length / 2;
      return of.length % 2 === 1
        ? (of[Math.floor(mid)] as number)
        : ((of[mid - 1] as number) + (of[mid] as number)) / 2;
    };
    const timed = runs.find((r) => r.mode === 'timed') as Run;
    const direct = ((timed.decideUsPerRequest as number) / timed.cpuUsPerRequest) * 100;
    const byDifference = ((median('engine') - median('allow')) / median('engine')) * 100;
    lines.push(
      '',
      `share of a request's server CPU spent deciding: ${fmt(direct, 2)}% timed in the decider; ${fmt(byDifference, 2)}% by the difference of the median CPU per request, engine vs always-allow (noisier: neighbours)`,
    );
    const text = lines.join('\n');
    console.log(text);
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/bench-downloads.md', `${text}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`download benchmark failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
