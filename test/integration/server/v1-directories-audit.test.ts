// GET directories, PUT directories/active (switch, 409 lockout, force, grants kept) and
// GET audit (order, paging, never key text or passwords) over real HTTP on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDirectory,
  auditAfter,
  policyRevision,
  readPolicy,
  writePolicy,
} from '../../../src/server/store/index';
import { ADMIN_PASSWORD, jsonPost, type TestInstance } from '../../helpers/server';
import { startAdminTestInstance } from '../../helpers/admin-server';

const DIRECTORIES = '/api/feedgate/v1/directories';
const ACTIVE = '/api/feedgate/v1/directories/active';
const AUDIT = '/api/feedgate/v1/audit';

let server: TestInstance;
let key: string;
let keyId: number;
let auth: Record<string, string>;

beforeAll(async () => {
  ({ server, key, keyId, auth } = await startAdminTestInstance());
});
afterAll(() => server.close());

const get = (target: string) => server.request(target, { headers: auth });
const put = (body: unknown) => server.request(ACTIVE, { ...jsonPost(body, auth), method: 'PUT' });
const activeName = async () =>
  ((await get(DIRECTORIES)).json as { name: string; active: boolean }[]).find((d) => d.active)
    ?.name;

describe('directories', () => {
  it('lists the directories with name, type and active', async () => {
    const r = await get(DIRECTORIES);
    expect(r.status).toBe(200);
    expect(r.json).toEqual([{ name: 'Built-in', type: 'builtin', active: true }]);
  });

  it('refuses a switch to a directory nobody could administer (409) unless force, keeping every grant', async () => {
    addDirectory(server.db, 'Corp LDAP', 'ldap');
    expect((await get(DIRECTORIES)).json).toEqual([
      { name: 'Built-in', type: 'builtin', active: true },
      {
        name: 'Corp LDAP',
        type: 'ldap',
        active: false,
        // Added straight to the store without settings: listed, and said to be unusable.
        configured: false,
        problem: expect.stringContaining('is not configured') as unknown,
      },
    ]);
    const grants = (await get('/api/security/permissions/list')).json;
    const revision = policyRevision(server.db);

    const refused = await put({ name: 'Corp LDAP' });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      directory: 'Corp LDAP',
      lockedOut: ['Admin', 'carol'],
      override: 'force',
    });
    expect((refused.json as { error: string }).error).toContain('Admin_ConfigureProGet');
    expect(await activeName()).toBe('Built-in');
    expect(policyRevision(server.db)).toBe(revision);

    const forced = await put({ name: 'Corp LDAP', force: true });
    expect(forced.status, forced.text).toBe(200);
    expect(forced.json).toEqual({ name: 'Corp LDAP', changed: true, revision: revision + 1 });
    expect(forced.headers.get('etag')).toBe(`"${revision + 1}"`);
    expect(await activeName()).toBe('Corp LDAP');
    const snapshot = (await get('/api/feedgate/v1/snapshot')).json as {
      directory: string;
      permissions: unknown[];
    };
    expect(snapshot).toMatchObject({ directory: 'Corp LDAP', permissions: [] });
    // The built-in user cannot sign in any more (the active LDAP directory, settings-less here,
    // answers for every password: 503, never a fallback to the built-in directory); the system
    // key still administers.
    const asAdmin = await server.request(DIRECTORIES, {
      headers: { 'X-ApiKey': `Admin:${ADMIN_PASSWORD}` },
    });
    expect(asAdmin.status).toBe(503);
    expect(asAdmin.text).toContain('directory unavailable');

    // Switching back (Built-in has administrators) needs no force, and every grant is there.
    const back = await put({ name: 'Built-in' });
    expect(back.status, back.text).toBe(200);
    expect(await activeName()).toBe('Built-in');
    expect((await get('/api/security/permissions/list')).json).toEqual(grants);
    const same = await put({ name: 'Built-in' });
    expect(same.json).toMatchObject({ name: 'Built-in', changed: false });
  });

  it('switches without force to a directory that has an administrator', async () => {
    const builtin = readPolicy(server.db);
    writePolicy(server.db, {
      ...builtin,
      directory: 'Corp LDAP',
      users: [{ name: 'ldap-admin', groups: [] }],
      groups: [],
      permissions: [{ user: 'ldap-admin', task: 'Administer', deny: false }],
    });
    const r = await put({ name: 'Corp LDAP' });
    expect(r.status, r.text).toBe(200);
    expect(await activeName()).toBe('Corp LDAP');
    // A change set naming the other directory changes it, not the active one.
    const revision = policyRevision(server.db);
    const change = await server.request(
      '/api/feedgate/v1/changes',
      jsonPost(
        { directory: 'Built-in', operations: [{ op: 'add', kind: 'user', item: { name: 'zed' } }] },
        { ...auth, 'If-Match': `"${revision}"` },
      ),
    );
    expect(change.status, change.text).toBe(200);
    expect(readPolicy(server.db, 'Built-in').users.map((u) => u.name)).toContain('zed');
    expect(readPolicy(server.db).users.map((u) => u.name)).toEqual(['ldap-admin']);
    expect((await put({ name: 'Built-in' })).status).toBe(200);
  });

  it('a change set to another directory that locks out the active one is refused (tasks are shared)', async () => {
    const r = await server.request(
      '/api/feedgate/v1/changes',
      jsonPost(
        {
          directory: 'Corp LDAP',
          operations: [
            {
              op: 'update',
              kind: 'task',
              key: 'Administer',
              changes: { attributes: { removed: ['Admin_ConfigureProGet'] } },
            },
          ],
        },
        { ...auth, 'If-Match': `"${policyRevision(server.db)}"` },
      ),
    );
    expect(r.status, r.text).toBe(409);
    expect(r.json).toMatchObject({ directory: 'Built-in', lockedOut: ['Admin', 'carol'] });
  });

  it('refuses a bad body or an unknown directory with 400', async () => {
    const cases: [unknown, string][] = [
      [{}, 'name is required'],
      [{ name: 'Built-in', force: 'yes' }, 'force must be a boolean'],
      [{ name: 'Built-in', extra: 1 }, 'unknown field "extra"'],
      [{ name: 'Nope' }, 'name: unknown directory "Nope"'],
    ];
    for (const [body, message] of cases) {
      const r = await put(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json).toEqual({ error: message });
    }
  });
});

describe('audit', () => {
  interface Entry {
    id: number;
    time: string;
    actor: string | null;
    keyId: number | null;
    action: string;
    detail: Record<string, unknown>;
  }
  const page = async (query: string) => {
    const r = await get(`${AUDIT}${query}`);
    expect(r.status, r.text).toBe(200);
    return r.json as { entries: Entry[]; next: number | null };
  };

  it('lists entries in order with id, time, actor, keyId, action and detail', async () => {
    const { entries, next } = await page('');
    expect(next).toBeNull();
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((a, b) => a - b));
    expect(entries[0]).toMatchObject({ action: 'instance.init', keyId: null });
    for (const e of entries) {
      expect(Object.keys(e).sort()).toEqual(['action', 'actor', 'detail', 'id', 'keyId', 'time']);
      expect(Number.isNaN(Date.parse(e.time))).toBe(false);
    }
    const switches = entries.filter((e) => e.action === 'directory.switch');
    expect(switches[0]).toMatchObject({
      actor: `key ${keyId} (system)`,
      keyId,
      detail: { from: 'Built-in', to: 'Corp LDAP', forced: true, lockedOut: ['Admin', 'carol'] },
    });
    expect(switches).toHaveLength(4);
  });

  it('pages with after and limit', async () => {
    const all = auditAfter(server.db);
    expect(all.length).toBeGreaterThan(3);
    const first = await page('?limit=2');
    expect(first.entries.map((e) => e.id)).toEqual(all.slice(0, 2).map((e) => e.id));
    expect(first.next).toBe(all[1]?.id);
    const second = await page(`?after=${first.next}&limit=2`);
    expect(second.entries.map((e) => e.id)).toEqual(all.slice(2, 4).map((e) => e.id));
    const rest = await page(`?after=${all.at(-1)?.id}`);
    expect(rest).toEqual({ entries: [], next: null });
    for (const [query, message] of [
      ['?limit=0', 'limit: must be between 1 and 1000'],
      ['?limit=1001', 'limit: must be between 1 and 1000'],
      ['?after=abc', 'after: must be a whole number'],
      ['?after=-1', 'after: must be a whole number'],
    ]) {
      const r = await get(`${AUDIT}${query}`);
      expect(r.status, query).toBe(400);
      expect(r.json).toEqual({ error: message });
    }
  });

  it('pages newest first with order=newest and before', async () => {
    const all = auditAfter(server.db).reverse();
    const first = await page('?order=newest&limit=2');
    expect(first.entries.map((e) => e.id)).toEqual(all.slice(0, 2).map((e) => e.id));
    expect(first.next).toBe(all[1]?.id);
    const second = await page(`?order=newest&before=${first.next}&limit=2`);
    expect(second.entries.map((e) => e.id)).toEqual(all.slice(2, 4).map((e) => e.id));
    expect(await page(`?order=newest&before=${all.at(-1)?.id}`)).toEqual({
      entries: [],
      next: null,
    });
    for (const [query, message] of [
      ['?order=latest', 'order: must be oldest or newest'],
      ['?before=3', 'before: pages newest first: add order=newest'],
      ['?order=newest&after=3', 'after: pages oldest first; with order=newest, use before'],
      ['?order=newest&before=x', 'before: must be a whole number'],
    ]) {
      const r = await get(`${AUDIT}${query}`);
      expect(r.status, query).toBe(400);
      expect(r.json).toEqual({ error: message });
    }
  });

  it('never contains key text or passwords, and needs an administrator', async () => {
    const text = (await get(`${AUDIT}?limit=1000`)).text;
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(4, 20));
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect((await server.request(AUDIT)).status).toBe(403);
    expect((await server.request(DIRECTORIES)).status).toBe(403);
  });
});
