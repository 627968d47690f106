// `npm run bench`: the policy engine's numbers at S, M and L, then the instance under HTTP load
// and LDAP sign-in at 10,000 users (see docs/benchmarks.md). `--only=engine`, `--only=instance`
// or `--only=ldap` runs one of them; `--only=ui` (the Grants table in Chromium) runs only when
// asked, as it takes minutes and needs the built renderer.
// Pins itself to one core with taskset when it can, as the targets are stated per core: the
// last core, since core 0 takes most of the machine's interrupts (measured: ~30% slower here).
// Not for the UI: Chromium's processes would share that core with the page's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ATTRIBUTE_IDS,
  accessDiff,
  compile,
  parsePolicy,
  resolve,
  type CompiledPolicy,
  type Policy,
  type Query,
} from '../../src/core/index';
import { SIZES, generatePolicyFile, mutatePolicy, rng } from './generate';
import { benchmarkInstance } from './instance';
import { benchmarkLdap } from './ldap';
import { benchmarkUi } from './ui';

if (
  process.platform === 'linux' &&
  !process.env.FEEDGATE_BENCH_PINNED &&
  !process.argv.includes('--only=ui') &&
  spawnSync('taskset', ['-V']).status === 0
) {
  const core = String(os.cpus().length - 1);
  const pinned = spawnSync(
    'taskset',
    ['-c', core, process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, FEEDGATE_BENCH_PINNED: core },
    },
  );
  process.exit(pinned.status ?? 1);
}

const sizesArg =
  process.argv.find((a) => a.startsWith('--sizes='))?.slice('--sizes='.length) ?? 'S,M,L';
const sizes = sizesArg.split(',') as (keyof typeof SIZES)[];
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && !['engine', 'instance', 'ldap', 'ui'].includes(only)) {
  console.error(`unknown --only=${only}: expected engine, instance, ldap or ui`);
  process.exit(2);
}
const ms = (t0: number) => performance.now() - t0;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function queries(policy: Policy, count: number, seed: number, hot: boolean): Query[] {
  const random = rng(seed);
  const users = [...policy.users.map((u) => u.name), 'Anonymous'];
  const feeds = policy.feeds.map((f) => f.name);
  const attributes = ATTRIBUTE_IDS;
  // "hot": 90% of queries go to 1% of users and 5% of feeds, as a server's traffic does.
  const userPool = (r: number) =>
    hot && r < 0.9 ? users.slice(0, Math.max(1, users.length / 100)) : users;
  const feedPool = (r: number) =>
    hot && r < 0.9 ? feeds.slice(0, Math.max(1, feeds.length / 20)) : feeds;
  return Array.from({ length: count }, () => {
    const r = random();
    const us = userPool(r);
    const fs = feedPool(r);
    const q: Query = {
      user: us[Math.floor(random() * us.length)] as string,
      attribute: attributes[Math.floor(random() * attributes.length)] as string,
    };
    if (random() < 0.85) q.feed = fs[Math.floor(random() * fs.length)] as string;
    return q;
  });
}

/** Best of `rounds` passes. The loop calls check() itself: a callback here would make the
 * call site megamorphic across sizes and engines and measure the benchmark, not the engine. */
/** Checks per pass: the query pool is walked this many times over. */
const CHECKS_PER_PASS = 1_048_576;

function compiledThroughput(compiled: CompiledPolicy, qs: Query[], rounds: number): number {
  let best = 0;
  let allowed = 0;
  const passes = Math.ceil(CHECKS_PER_PASS / qs.length);
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let p = 0; p < passes; p++) for (const q of qs) if (compiled.check(q).allowed) allowed++;
    best = Math.max(best, (qs.length * passes) / (ms(t0) / 1000));
  }
  if (allowed < 0) console.log(allowed); // keeps the result observable
  return best;
}

/** The same walk through isAllowed(): the outcome alone, as the server authorizes requests. */
function outcomeThroughput(compiled: CompiledPolicy, qs: Query[], rounds: number): number {
  let best = 0;
  let allowed = 0;
  const passes = Math.ceil(CHECKS_PER_PASS / qs.length);
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let p = 0; p < passes; p++)
      for (const q of qs) if (compiled.isAllowed(q.user, q.attribute, q.feed)) allowed++;
    best = Math.max(best, (qs.length * passes) / (ms(t0) / 1000));
  }
  if (allowed < 0) console.log(allowed); // keeps the result observable
  return best;
}

function referenceThroughput(policy: Policy, qs: Query[]): number {
  const t0 = performance.now();
  for (const q of qs) resolve(policy, q);
  return qs.length / (ms(t0) / 1000);
}

/** Per-call latency with hrtime; includes the timer's own cost, measured and reported separately. */
function latency(run: (q: Query) => unknown, qs: Query[]): { p50: number; p99: number } {
  const samples = new Float64Array(qs.length);
  qs.forEach((q, i) => {
    const t0 = process.hrtime.bigint();
    run(q);
    samples[i] = Number(process.hrtime.bigint() - t0);
  });
  samples.sort();
  return {
    p50: samples[Math.floor(samples.length * 0.5)] as number,
    p99: samples[Math.floor(samples.length * 0.99)] as number,
  };
}

function timerOverhead(): number {
  const samples = new Float64Array(100_000);
  for (let i = 0; i < samples.length; i++) {
    const t0 = process.hrtime.bigint();
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  samples.sort();
  return samples[samples.length / 2] as number;
}

/** One size, measured in a fresh process so that no other size's heap or JIT state weighs on it. */
function measureSize(name: keyof typeof SIZES): string {
  const size = SIZES[name];
  const file = generatePolicyFile(size, 1);
  let t0 = performance.now();
  const policy = parsePolicy(file);
  const parseMs = ms(t0);
  t0 = performance.now();
  const compiled = compile(policy);
  compiled.warm();
  const compileMs = ms(t0);
  // A pool of 65,536 queries, walked 16 times: a server builds each query fresh (in cache), so
  // a million pre-built query objects spread over ~40 MB would time memory, not the engine.
  const uniform = queries(policy, 65_536, 7, false);
  const hot = queries(policy, 65_536, 8, true);
  const uniformRate = compiledThroughput(compiled, uniform, 10);
  const hotRate = compiledThroughput(compiled, hot, 10);
  const outcomeRate = outcomeThroughput(compiled, uniform, 10);
  const lat = latency((q) => compiled.check(q), uniform);
  const refQueries = uniform.slice(0, name === 'L' ? 300 : name === 'M' ? 3_000 : 30_000);
  const refRate = referenceThroughput(policy, refQueries);
  const refLat = latency((q) => resolve(policy, q), refQueries);
  return `| ${name} | ${fmt(size.users)}/${fmt(size.groups)}/${fmt(size.feeds)}/${fmt(size.grants)} | ${fmt(parseMs)} | ${fmt(compileMs)} | ${fmt(uniformRate)} | ${fmt(hotRate)} | ${fmt(outcomeRate)} | ${fmt(lat.p50)}/${fmt(lat.p99)} | ${fmt(refRate)} | ${fmt(refLat.p50 / 1000, 1)}/${fmt(refLat.p99 / 1000, 1)} |`;
}

function measureAccessDiff(): string {
  const policy = parsePolicy(generatePolicyFile(SIZES.L, 1));
  const changed = mutatePolicy(policy, 0.01, 2);
  const t0 = performance.now();
  const diff = accessDiff(policy, changed);
  const diffMs = ms(t0);
  return `access diff L vs L with 1% of grants changed (${fmt(Math.round(policy.permissions.length * 0.01))} changes): ${fmt(diffMs)} ms; ${fmt(diff.totals.flips)} decisions flip for ${fmt(diff.totals.users)} users in ${fmt(diff.groups.length)} groups`;
}

const child = process.argv.find((a) => a.startsWith('--child='))?.slice('--child='.length);
if (child !== undefined) {
  console.log(child === 'diff' ? measureAccessDiff() : measureSize(child as keyof typeof SIZES));
  process.exit(0);
}

function inChild(what: string): string {
  const run = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1] as string, `--child=${what}`],
    {
      encoding: 'utf8',
      env: process.env,
      maxBuffer: 1 << 20,
    },
  );
  if (run.status !== 0) throw new Error(`benchmark ${what} failed:\n${run.stderr}`);
  return run.stdout.trim();
}

const rows: string[] = [];
const log = (line: string) => {
  console.log(line);
  rows.push(line);
};

log(
  `machine: ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 2 ** 30)} GiB; node ${process.version}; pinned to one core: ${process.env.FEEDGATE_BENCH_PINNED ? `yes (taskset -c ${process.env.FEEDGATE_BENCH_PINNED})` : 'no'}`,
);
if (only === undefined || only === 'engine') {
  log(
    `timer overhead (hrtime pair, median): ${fmt(timerOverhead())} ns — included in the p50/p99 below`,
  );
  log('');
  log(
    '| size | users/groups/feeds/grants | parse ms | compile+warm ms | compiled checks/s (uniform) | compiled checks/s (hot set) | isAllowed/s (uniform) | compiled p50/p99 ns | reference checks/s | reference p50/p99 µs |',
  );
  log('|---|---|---|---|---|---|---|---|---|---|');
  for (const name of sizes) log(inChild(name));
  if (sizes.includes('L')) {
    log('');
    log(inChild('diff'));
  }
}

function writeResults(): void {
  const out = path.join(process.cwd(), 'test-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'bench.md'), rows.join('\n') + '\n');
  console.log(`\nwritten to ${path.relative(process.cwd(), path.join(out, 'bench.md'))}`);
}

/** The instance and LDAP benchmarks, as asked, one after the other. */
async function services(): Promise<void> {
  const parts = [
    { name: 'instance', run: benchmarkInstance },
    { name: 'ldap', run: benchmarkLdap },
    { name: 'ui', run: benchmarkUi },
  ].filter((p) => (only === undefined ? p.name !== 'ui' : only === p.name));
  for (const part of parts) {
    try {
      const lines = await part.run();
      log('');
      for (const line of lines) log(line);
    } catch (error) {
      console.error(`${part.name} benchmark failed: ${(error as Error).message}`);
      process.exit(1);
    }
  }
}

if (only === 'engine') writeResults();
else void services().then(writeResults);
