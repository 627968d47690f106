// A real OpenLDAP slapd for LDAP directory tests: its own slapd.conf and database in a temp dir,
// data loaded with slapadd before it starts, listening on 127.0.0.1 on free ports (ldap:// with
// StartTLS, and ldaps://, when TLS is asked for: a self-signed certificate made with openssl).
// It fails loudly when slapd or openssl is missing: these tests never skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeDnValue } from '../../src/server/directory/ldap-escape';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const SCHEMAS = '/etc/ldap/schema';

export const BASE_DN = 'dc=example,dc=com';
export const PEOPLE_BASE = `ou=people,${BASE_DN}`;
export const GROUPS_BASE = `ou=groups,${BASE_DN}`;
/** A read-only service account, the kind a directory configuration binds with. */
export const READER_DN = `cn=reader,${BASE_DN}`;
export const READER_PASSWORD = 'reader-secret-Pa55';
/** The root DN, for tests that change the data while slapd runs. */
export const ADMIN_DN = `cn=admin,${BASE_DN}`;
export const ADMIN_PASSWORD = 'admin-secret';

export interface FixtureUser {
  uid: string;
  displayName: string;
  password: string;
}

export interface FixtureGroup {
  cn: string;
  /** Member uids (users) and, prefixed with `group:`, member groups. */
  members: string[];
}

const userDn = (uid: string) => `uid=${escapeDnValue(uid)},${PEOPLE_BASE}`;
const groupDn = (cn: string) => `cn=${escapeDnValue(cn)},${GROUPS_BASE}`;

function numbered(count: number): FixtureUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    return { uid: `user${n}`, displayName: `User ${n}`, password: `pw-user${n}` };
  });
}

/** 60 plain users plus the awkward ones. */
export const FIXTURE_USERS: readonly FixtureUser[] = [
  ...numbered(60),
  { uid: 'zoe', displayName: 'Zoë Ångström', password: 'pw-zoë-ü' },
  { uid: 'jürgen', displayName: 'Jürgen Müller 日本', password: 'pw-jürgen' },
  { uid: 'loner', displayName: 'Lonely No Groups', password: 'pw-loner' },
  { uid: '*', displayName: 'Star Injection', password: 'pw-star' },
  { uid: ')(uid=*', displayName: 'Paren Injection', password: 'pw-paren' },
  { uid: 'back\\slash', displayName: 'Back Slash', password: 'pw-backslash' },
  { uid: 'smith, john', displayName: 'John Smith', password: 'pw-smith' },
];

const teams: FixtureGroup[] = Array.from({ length: 30 }, (_, i) => ({
  cn: `team-${String(i + 1).padStart(2, '0')}`,
  members: [`user${String(i + 1).padStart(3, '0')}`],
}));

/**
 * company > engineering > backend > databases (user010 sits at the bottom, 4 levels);
 * cycle-a <-> cycle-b (user020 in cycle-a); loner is in no group.
 */
export const FIXTURE_GROUPS: readonly FixtureGroup[] = [
  { cn: 'company', members: ['user001', 'group:engineering'] },
  { cn: 'engineering', members: ['user002', 'group:backend'] },
  { cn: 'backend', members: ['user003', 'group:databases'] },
  { cn: 'databases', members: ['user010', 'zoe'] },
  { cn: 'cycle-a', members: ['user020', 'group:cycle-b'] },
  { cn: 'cycle-b', members: ['user021', 'group:cycle-a'] },
  { cn: 'Ünïcode Group', members: ['jürgen', 'zoe'] },
  { cn: 'injected', members: ['*', ')(uid=*', 'back\\slash', 'smith, john'] },
  ...teams,
];

/** Every value base64-encoded: no LDIF escaping rules to get wrong for odd names. */
function ldifEntry(dn: string, attributes: Record<string, string | string[]>): string {
  const line = (name: string, value: string) =>
    `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
  const lines = [line('dn', dn)];
  for (const [name, values] of Object.entries(attributes))
    for (const value of Array.isArray(values) ? values : [values]) lines.push(line(name, value));
  return `${lines.join('\n')}\n`;
}

function fixtureLdif(
  users: readonly FixtureUser[] = FIXTURE_USERS,
  groups: readonly FixtureGroup[] = FIXTURE_GROUPS,
): string {
  const entries = [
    ldifEntry(BASE_DN, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' }),
    ldifEntry(READER_DN, {
      objectClass: ['organizationalRole', 'simpleSecurityObject'],
      cn: 'reader',
      userPassword: READER_PASSWORD,
    }),
    ldifEntry(PEOPLE_BASE, { objectClass: 'organizationalUnit', ou: 'people' }),
    ldifEntry(GROUPS_BASE, { objectClass: 'organizationalUnit', ou: 'groups' }),
  ];
  for (const user of users)
    entries.push(
      ldifEntry(userDn(user.uid), {
        objectClass: 'inetOrgPerson',
        uid: user.uid,
        cn: user.displayName,
        sn: user.displayName.split(' ').at(-1) ?? user.uid,
        mail: `${user.uid.replace(/[^a-z0-9]/gi, '_')}@example.com`,
        userPassword: user.password,
      }),
    );
  for (const group of groups)
    entries.push(
      ldifEntry(groupDn(group.cn), {
        objectClass: 'groupOfNames',
        cn: group.cn,
        member: group.members.map((m) =>
          m.startsWith('group:') ? groupDn(m.slice('group:'.length)) : userDn(m),
        ),
      }),
    );
  return entries.join('\n');
}

function slapdConf(dir: string, tls: boolean, indexed: boolean): string {
  return [
    `modulepath /usr/lib/ldap`,
    `moduleload back_mdb`,
    `moduleload memberof`,
    `moduleload refint`,
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include ${SCHEMAS}/${s}.schema`),
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    // Like many real servers, accept a DN with an empty password as an unauthenticated bind
    // that "succeeds": the tests prove the directory client refuses it before sending.
    `allow bind_anon_dn`,
    ...(tls
      ? [
          `TLSCertificateFile ${join(dir, 'server.crt')}`,
          `TLSCertificateKeyFile ${join(dir, 'server.key')}`,
        ]
      : []),
    `database mdb`,
    `maxsize 104857600`,
    `suffix "${BASE_DN}"`,
    `rootdn "${ADMIN_DN}"`,
    `rootpw ${ADMIN_PASSWORD}`,
    `directory ${join(dir, 'db')}`,
    `sizelimit unlimited`,
    // Equality indexes, as a production server has them (the benchmark's 10,000 users).
    ...(indexed ? [`index objectClass,uid,cn,member eq`] : []),
    `access to attrs=userPassword by self write by anonymous auth by * none`,
    `access to * by * read`,
    `overlay memberof`,
    '',
  ].join('\n');
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
}

function makeCertificate(dir: string): void {
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    join(dir, 'server.key'),
    '-out',
    join(dir, 'server.crt'),
  ]);
}

/** A free loopback port (no vitest import here, so benchmarks run under tsx can use this file). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Slapd {
  /** ldap://127.0.0.1:PORT (StartTLS available when started with TLS). */
  url: string;
  /** ldaps://127.0.0.1:PORT, when started with TLS. */
  ldapsUrl?: string;
  /** The self-signed certificate (PEM), its own CA, when started with TLS. */
  certificate?: string;
  stop(): Promise<void>;
}

export interface SlapdOptions {
  tls?: boolean;
  /** Other data than the fixture's (the benchmark's bulk users and groups), with indexes. */
  data?: { users: readonly FixtureUser[]; groups: readonly FixtureGroup[] };
}

export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  for (const binary of [SLAPD, SLAPADD])
    if (!existsSync(binary))
      throw new Error(`${binary} is missing: install slapd and ldap-utils (scripts/setup.sh)`);
  const tls = options.tls === true;
  const dir = await mkdtemp(join(tmpdir(), 'feedgate-slapd-'));
  const conf = join(dir, 'slapd.conf');
  let child: ChildProcess | undefined;
  try {
    if (tls) makeCertificate(dir);
    await writeFile(conf, slapdConf(dir, tls, options.data !== undefined));
    await writeFile(join(dir, 'data.ldif'), fixtureLdif(options.data?.users, options.data?.groups));
    await mkdir(join(dir, 'db'));
    run(SLAPADD, ['-q', '-f', conf, '-l', join(dir, 'data.ldif')]);
    // A free port can be taken by someone else before slapd binds it: then try other ports.
    let launched: Launched | undefined;
    for (let attempt = 1; launched === undefined; attempt++) {
      launched = await launch(conf, tls);
      if (launched.child.exitCode !== null) {
        if (attempt === 3) throw new Error(`slapd exited: ${launched.output()}`);
        launched = undefined;
      }
    }
    const { port, tlsPort, child: started } = launched;
    child = started;
    const url = `ldap://127.0.0.1:${port}`;
    const ldapsUrl = tlsPort === undefined ? undefined : `ldaps://127.0.0.1:${tlsPort}`;
    const certificate = tls ? await readFile(join(dir, 'server.crt'), 'utf8') : undefined;
    return {
      url,
      ldapsUrl,
      certificate,
      stop: async () => {
        await stopProcess(started);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

interface Launched {
  child: ChildProcess;
  port: number;
  tlsPort?: number;
  output(): string;
}

/** Starts slapd on free ports and waits until it accepts connections or exits. */
async function launch(conf: string, tls: boolean): Promise<Launched> {
  const port = await freePort();
  const tlsPort = tls ? await freePort() : undefined;
  const listeners = [`ldap://127.0.0.1:${port}/`];
  if (tlsPort !== undefined) listeners.push(`ldaps://127.0.0.1:${tlsPort}/`);
  let output = '';
  const child = spawn(SLAPD, ['-f', conf, '-h', listeners.join(' '), '-d', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const launched = { child, port, tlsPort, output: () => output };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) return launched;
    if ((await canConnect(port)) && (tlsPort === undefined || (await canConnect(tlsPort))))
      return launched;
    if (Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`slapd did not start in 10 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export const fixtureUserDn = userDn;
export const fixtureGroupDn = groupDn;
