// LDAP sign-in at scale (`npm run bench -- --only=ldap`, issue 4 point 9): a real slapd loaded
// by slapadd with 10,000 users and 500 groups (nested three levels under 5 roots), an instance
// (temporary data dir) whose active directory is that slapd, and the real sign-in path:
// Authenticator (bind, look-up, membership resolution) then the admin decision. See
// docs/benchmarks.md, "LDAP".
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Authenticator } from '../../src/server/auth/authenticate';
import { isAdministrator } from '../../src/server/auth/authorize';
import { SignInThrottle } from '../../src/server/auth/throttle';
import { Directories } from '../../src/server/directory/directories';
import { initInstance } from '../../src/server/instance/init';
import { PolicyCache } from '../../src/server/policy-cache';
import {
  openStore,
  readPolicy,
  setActiveDirectory,
  writePolicy,
  type Db,
} from '../../src/server/store/index';
import {
  GROUPS_BASE,
  PEOPLE_BASE,
  READER_DN,
  READER_PASSWORD,
  startSlapd,
  type FixtureGroup,
  type FixtureUser,
} from '../helpers/slapd';
import { rng } from './generate';

const USERS = 10_000;
const GROUPS = 500;
/** Users signed in for the first time (cold membership cache), and decisions timed. */
const SAMPLE = 300;
const DECISIONS = 100_000;

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

/**
 * 500 groups: g000-g004 are roots, g005-g054 sit in a root, g055-g499 in one of those (three
 * levels); every user is a direct member of three leaf-level groups.
 */
function bulkData(): { users: FixtureUser[]; groups: FixtureGroup[] } {
  const random = rng(7);
  const name = (i: number) => `g${String(i).padStart(3, '0')}`;
  const users = Array.from({ length: USERS }, (_, i) => ({
    uid: `u${String(i).padStart(5, '0')}`,
    displayName: `Bench User ${i}`,
    password: `pw-${i}`,
  }));
  const members = Array.from({ length: GROUPS }, () => [] as string[]);
  for (let i = 5; i < GROUPS; i++)
    (members[i < 55 ? i % 5 : 5 + (i % 50)] as string[]).push(`group:${name(i)}`);
  for (const user of users)
    for (let k = 0; k < 3; k++)
      (members[55 + Math.floor(random() * (GROUPS - 55))] as string[]).push(user.uid);
  const groups = members.map((m, i) => ({ cn: name(i), members: m.length > 0 ? m : ['u00000'] }));
  return { users, groups };
}

/** The instance: directory Corp on the slapd, active, its policy granting tasks to groups. */
async function prepare(dataDir: string, url: string): Promise<Db> {
  await initInstance(dataDir, 'bench-admin-password');
  const db = openStore(dataDir);
  const directories = new Directories(db, dataDir);
  directories.add({
    name: 'Corp',
    url,
    bindDn: READER_DN,
    bindPassword: READER_PASSWORD,
    userBase: PEOPLE_BASE,
    groupBase: GROUPS_BASE,
  });
  const builtin = readPolicy(db, 'Built-in');
  const granted = Array.from({ length: 50 }, (_, i) => `g${String(i * 10).padStart(3, '0')}`);
  writePolicy(db, {
    ...builtin,
    directory: 'Corp',
    users: [],
    groups: granted.map((g) => ({ name: g, users: [], groups: [] })),
    permissions: granted.map((group, i) => ({
      group,
      task: i === 0 ? 'Administer' : 'View & Download Packages',
      deny: false,
    })),
  });
  const corp = directories.find('Corp');
  if (!corp) throw new Error('directory Corp was not added');
  setActiveDirectory(db, corp.id);
  return db;
}

export async function benchmarkLdap(): Promise<string[]> {
  const t0 = performance.now();
  const data = bulkData();
  const slapd = await startSlapd({ data });
  const loadSeconds = (performance.now() - t0) / 1000;
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'feedgate-bench-ldap-')), 'data');
  let db: Db | undefined;
  try {
    db = await prepare(dataDir, slapd.url);
    const authenticator = new Authenticator(db, new SignInThrottle(), new Directories(db, dataDir));
    const policies = new PolicyCache(db);
    const signIn = async (uid: string, password: string) => {
      const result = await authenticator.authenticate(
        { kind: 'password', user: uid, password },
        '127.0.0.1',
      );
      if (!result.ok) throw new Error(`sign-in of ${uid} failed: ${result.reason}`);
      return result.caller;
    };
    const random = rng(3);
    const sample = Array.from({ length: SAMPLE }, () => {
      return data.users[Math.floor(random() * USERS)] as FixtureUser;
    }).filter((u, i, all) => all.indexOf(u) === i);
    await signIn('u00001', 'pw-1'); // warm-up: connections, JIT
    const first: number[] = [];
    const again: number[] = [];
    const callers = [];
    let groupCount = 0;
    for (const user of sample) {
      const start = performance.now();
      const caller = await signIn(user.uid, user.password);
      first.push(performance.now() - start);
      groupCount += caller.groups?.length ?? 0;
      callers.push(caller);
    }
    for (const user of sample) {
      const start = performance.now();
      await signIn(user.uid, user.password);
      again.push(performance.now() - start);
    }
    // A cached decision: the signed-in user's groups are known; the engine decides Admin.
    for (const caller of callers) isAdministrator(caller, policies); // compiles each group set once
    const decisions: number[] = [];
    let admins = 0;
    for (let i = 0; i < DECISIONS; i++) {
      const caller = callers[i % callers.length] as (typeof callers)[number];
      const start = process.hrtime.bigint();
      if (isAdministrator(caller, policies)) admins++;
      decisions.push(Number(process.hrtime.bigint() - start));
    }
    for (const list of [first, again, decisions]) list.sort((a, b) => a - b);
    return [
      `LDAP: slapd with ${fmt(USERS)} users and ${GROUPS} groups (nested 3 levels, 3 direct groups per user), loaded and started in ${fmt(loadSeconds, 1)} s; recursive membership, ${sample.length} distinct users, ${fmt(groupCount / sample.length, 1)} groups each on average; ${admins > 0 ? 'some' : 'no'} administrators among them`,
      '',
      '| step | p50 | p99 |',
      '|---|---|---|',
      `| first sign-in: bind, look-up, membership resolution (ms) | ${fmt(percentile(first, 50), 2)} | ${fmt(percentile(first, 99), 2)} |`,
      `| sign-in again: bind, look-up, groups from the cache (ms) | ${fmt(percentile(again, 50), 2)} | ${fmt(percentile(again, 99), 2)} |`,
      `| cached decision: Admin_ConfigureProGet for a signed-in user (µs) | ${fmt(percentile(decisions, 50) / 1000, 2)} | ${fmt(percentile(decisions, 99) / 1000, 2)} |`,
    ];
  } finally {
    db?.close();
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
    await slapd.stop();
  }
}
