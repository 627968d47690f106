// Principal search against a real instance over HTTP on 127.0.0.1 (the promote example, a
// full-control key) and a real slapd as its LDAP directory: the server's active directory
// answers and the answers are cached in the mirror's SQLite file; with the server stopped, or
// its LDAP directory down, the same search is answered from the cache and says so.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAdminTestInstance, type AdminTestInstance } from '../../test/helpers/admin-server';
import { corpConfig } from '../../test/helpers/directories-cli';
import { progetOnlyProxy, proxyUrl } from '../../test/helpers/proget-proxy';
import { jsonPost } from '../../test/helpers/server';
import { READER_PASSWORD, startSlapd, type Slapd } from '../../test/helpers/slapd';
import { Connections } from './connections';
import { Mirror } from './mirror';
import { RemoteError } from './remote-client';
import { searchPrincipals, type PrincipalSearchDeps } from './principals';

let dir: string;
let mirror: Mirror;
let connections: Connections;
let admin: AdminTestInstance;
let connectionId: string;
let serverStopped: boolean;

const deps = (): PrincipalSearchDeps => ({ mirror, client: (id) => connections.client(id) });
const search = (term: string, kind?: 'user' | 'group') =>
  searchPrincipals(deps(), connectionId, { term, ...(kind !== undefined && { kind }) });
const names = (result: { principals: { kind: string; name: string }[] }) =>
  result.principals.map((p) => `${p.kind}:${p.name}`);

/** The mirror's SQLite files as one string, to look for secrets in them. */
function mirrorBytes(): string {
  const appDir = path.join(dir, 'app');
  return readdirSync(appDir)
    .filter((f) => f.startsWith('workspace.db'))
    .map((f) => readFileSync(path.join(appDir, f)).toString('latin1'))
    .join('');
}

async function stopServer(): Promise<void> {
  serverStopped = true;
  await admin.server.close();
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'feedgate-principals-'));
  mirror = Mirror.open(path.join(dir, 'app', 'workspace.db'));
  connections = new Connections({ mirror, cliBundle: 'unused', appDataDir: path.join(dir, 'app') });
  admin = await startAdminTestInstance();
  serverStopped = false;
  const connection = await connections.addRemote({
    name: 'Server',
    url: admin.server.base,
    apiKey: admin.key,
    keyStorage: 'memory',
  });
  connectionId = connection.id;
});

afterEach(async () => {
  if (!serverStopped) await admin.server.close();
  mirror.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('principal search, built-in directory', { timeout: 30_000 }, () => {
  it('asks the server, caches the answer and answers from the cache once the server is gone', async () => {
    const online = await search('o');
    expect(online).toMatchObject({ source: 'server', directory: 'Built-in' });
    expect(names(online)).toEqual([
      'user:bob',
      'user:carol',
      'group:Administrators',
      'group:Developers',
    ]);
    expect(online.principals[0]).toEqual({ kind: 'user', name: 'bob', displayName: 'Bob' });
    expect(names(await search('dev', 'group'))).toEqual(['group:Developers']);

    await stopServer();
    const offline = await search('BO');
    expect(offline).toMatchObject({
      source: 'cache',
      directory: 'Built-in',
      cachedAt: online.cachedAt,
      principals: [{ kind: 'user', name: 'bob', displayName: 'Bob' }],
    });
    expect(offline.reason).toMatch(/cannot reach/);
    // Only what a search brought back is cached: alice was never an answer.
    expect(names(await search('alice'))).toEqual([]);
    expect(names(await search('o', 'group'))).toEqual(['group:Administrators', 'group:Developers']);
    expect(mirrorBytes()).not.toContain(admin.key);
  });

  it('answers from an empty cache offline rather than failing, and refuses a wrong key', async () => {
    await stopServer();
    expect(await search('bob')).toMatchObject({
      source: 'cache',
      directory: null,
      cachedAt: null,
      principals: [],
    });

    const other = await startAdminTestInstance();
    try {
      const wrongKey = await connections.addRemote({
        name: 'Wrong-key',
        url: other.server.base,
        apiKey: 'not-a-key-of-this-server',
        keyStorage: 'memory',
      });
      // A refusal is not "offline": the cache must not hide it.
      const refused = searchPrincipals(deps(), wrongKey.id, { term: 'bob' });
      await expect(refused).rejects.toBeInstanceOf(RemoteError);
      await expect(refused).rejects.toMatchObject({ kind: 'access-denied' });
    } finally {
      await other.server.close();
    }
  });
});

describe('principal search, a ProGet-only server', { timeout: 30_000 }, () => {
  it('searches its users and groups lists, and caches them like a directory answer', async () => {
    const proxy = await progetOnlyProxy(admin.server.base);
    try {
      const proget = await connections.addRemote({
        name: 'ProGet',
        url: proxyUrl(proxy),
        apiKey: admin.key,
        keyStorage: 'memory',
      });
      const ask = (term: string, kind?: 'user' | 'group') =>
        searchPrincipals(deps(), proget.id, { term, ...(kind !== undefined && { kind }) });
      const online = await ask('o');
      expect(online).toMatchObject({ source: 'server', directory: 'Built-in' });
      expect(names(online)).toEqual([
        'user:bob',
        'user:carol',
        'group:Administrators',
        'group:Developers',
      ]);
      expect(names(await ask('DEV', 'group'))).toEqual(['group:Developers']);
      await new Promise((resolve) => proxy.close(resolve));
      const offline = await ask('car');
      expect(offline).toMatchObject({ source: 'cache', directory: 'Built-in' });
      expect(names(offline)).toEqual(['user:carol']);
    } finally {
      proxy.close();
    }
  });
});

describe('principal search, LDAP directory', { timeout: 60_000 }, () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(() => slapd.stop());

  it('searches LDAP through the server, and answers from the cache while LDAP is down', async () => {
    const send = (target: string, method: string, body: unknown) =>
      admin.server.request(target, { ...jsonPost(body, admin.auth), method });
    const added = await send('/api/feedgate/v1/directories', 'POST', corpConfig(slapd));
    expect(added.status, added.text).toBe(201);
    const switched = await send('/api/feedgate/v1/directories/active', 'PUT', {
      name: 'Corp',
      force: true,
    });
    expect(switched.status, switched.text).toBe(200);

    const users = await search('user00', 'user');
    expect(users).toMatchObject({ source: 'server', directory: 'Corp' });
    expect(names(users)).toEqual(Array.from({ length: 9 }, (_, i) => `user:user00${i + 1}`));
    expect(users.principals[0]).toMatchObject({ displayName: 'User 001' });
    const unicode = await search('ünï');
    expect(names(unicode)).toEqual(['group:Ünïcode Group']);
    // LDAP's special characters are the server's to escape: a star is a name, not a wildcard.
    expect(names(await search('*', 'user'))).toEqual(['user:*', 'user:)(uid=*']);

    await slapd.stop();
    const down = await search('USER005');
    expect(down).toMatchObject({ source: 'cache', directory: 'Corp' });
    expect(names(down)).toEqual(['user:user005']);
    expect(down.reason).toMatch(/directory unavailable/);
    expect(names(await search('ÜNÏCODE'))).toEqual(['group:Ünïcode Group']);
    expect(mirrorBytes()).not.toContain(READER_PASSWORD);
  });
});
