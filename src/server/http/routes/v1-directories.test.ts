// The v1 directories API over real HTTP on 127.0.0.1 against a real slapd (one per file): LDAP
// directories added, shown, edited and removed with the bind password never returned, logged
// or stored in clear; test and refresh; the lockout guard asking LDAP; sign-in through the
// active LDAP directory with the user's LDAP groups deciding; a down LDAP server gives 503.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../../../test/helpers/cli-async';
import { corpConfig } from '../../../../test/helpers/directories-cli';
import { startAdminTestInstance } from '../../../../test/helpers/admin-server';
import { ADMIN_PASSWORD, jsonPost, type TestInstance } from '../../../../test/helpers/server';
import { READER_DN, READER_PASSWORD, startSlapd, type Slapd } from '../../../../test/helpers/slapd';
import { storedBytes } from '../../../../test/helpers/stored-bytes';
import { auditAfter, policyRevision, readPolicy, writePolicy } from '../../store/index';

const BASE = '/api/feedgate/v1/directories';

let slapd: Slapd;
let server: TestInstance;
let auth: Record<string, string>;

beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(() => slapd.stop());
beforeEach(async () => {
  ({ server, auth } = await startAdminTestInstance());
});
afterEach(() => server.close());

const send = (target: string, method: string, body?: unknown, headers = auth) =>
  server.request(
    target,
    body === undefined ? { method, headers } : { ...jsonPost(body, headers), method },
  );
const corp = (extra: object = {}) => corpConfig(slapd, extra);
const addCorp = async (extra: object = {}) => {
  const r = await send(BASE, 'POST', corp(extra));
  expect(r.status, r.text).toBe(201);
  return r.json as { name: string; type: string; config: Record<string, unknown> };
};
/** Corp's policy: `grants` of Administer (global) to LDAP groups and users. */
const corpPolicy = (grants: { group?: string; user?: string }[]) =>
  writePolicy(server.db, {
    ...readPolicy(server.db, 'Built-in'),
    directory: 'Corp',
    users: grants.flatMap((g) => (g.user ? [{ name: g.user, groups: [] }] : [])),
    groups: grants.flatMap((g) => (g.group ? [{ name: g.group, users: [], groups: [] }] : [])),
    permissions: grants.map((g) => ({ ...g, task: 'Administer', deny: false })),
  });
const signIn = (user: string, password: string) =>
  server.request(BASE, { headers: { 'X-ApiKey': `${user}:${password}` } });

describe('v1 directories API', { timeout: 30_000 }, () => {
  it('adds an LDAP directory from a preset: bind password kept sealed, never returned or logged, audited', async () => {
    const revision = policyRevision(server.db);
    const added = await addCorp();
    expect(added).toMatchObject({ name: 'Corp', type: 'ldap', active: false });
    expect(added.config).toMatchObject({
      url: slapd.url,
      bindDn: READER_DN,
      hasBindPassword: true,
      userFilter: '(&(objectClass=inetOrgPerson)(uid=%s))',
      membership: { mode: 'recursive', maxDepth: 10 },
    });
    expect(added.config).not.toHaveProperty('bindPassword');
    expect(policyRevision(server.db)).toBe(revision + 1);
    expect(auditAfter(server.db).at(-1)).toMatchObject({
      action: 'directory.add',
      detail: { name: 'Corp', revision: revision + 1 },
    });

    const list = await send(BASE, 'GET');
    expect(list.json).toEqual([
      { name: 'Built-in', type: 'builtin', active: true },
      expect.objectContaining({ name: 'Corp', type: 'ldap', active: false }),
    ]);
    const shown = await send(`${BASE}/Corp`, 'GET');
    expect(shown.json).toEqual(added);
    for (const text of [list.text, shown.text, server.logs.join('\n'), storedBytes(server.dir)])
      expect(text).not.toContain(READER_PASSWORD);
    expect(JSON.stringify(auditAfter(server.db))).not.toContain(READER_PASSWORD);
    expect((await send(`${BASE}/Nope`, 'GET')).status).toBe(404);
  });

  it('refuses bad input with 400 naming the field, writing nothing', async () => {
    await addCorp();
    const revision = policyRevision(server.db);
    const cases: [object, string][] = [
      [{ ...corp(), name: 'Other', url: undefined }, 'url is required'],
      [{ ...corp(), name: 'Other', url: 'http://x' }, 'url: must start with ldap:// or ldaps://'],
      [
        { ...corp(), name: 'Other', bindPassword: undefined },
        'bindPassword: bindDn and bindPassword go together',
      ],
      [{ ...corp(), name: 'Other', userFilter: '(uid=x)' }, 'userFilter: must contain %s'],
      [{ ...corp(), name: 'Other', preset: 'novell' }, 'preset:'],
      [{ ...corp(), name: 'Other', colour: 'red' }, 'unknown field "colour"'],
      [corp(), 'name: a directory named "Corp" exists'],
    ];
    for (const [body, message] of cases) {
      const r = await send(BASE, 'POST', body);
      expect(r.status, r.text).toBe(400);
      expect((r.json as { error: string }).error).toContain(message);
    }
    const renamed = await send(`${BASE}/Corp`, 'PATCH', { name: 'Renamed' });
    expect(renamed.status).toBe(400);
    expect((renamed.json as { error: string }).error).toContain(
      'name: a directory cannot be renamed',
    );
    expect((await send(`${BASE}/Built-in`, 'PATCH', { url: slapd.url })).status).toBe(400);
    expect(policyRevision(server.db)).toBe(revision);
  });

  it('edits keep the stored bind password unless a new one is given; test binds with it', async () => {
    await addCorp();
    const patched = await send(`${BASE}/Corp`, 'PATCH', {
      cacheTtlSeconds: 0,
      attributes: { email: 'mail' },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ config: { cacheTtlSeconds: 0, hasBindPassword: true } });
    expect((await send(`${BASE}/Corp/test`, 'POST', {})).json).toMatchObject({ ok: true });

    const replaced = await send(`${BASE}/Corp`, 'PUT', { ...corp(), bindPassword: undefined });
    expect(replaced.status, replaced.text).toBe(200);
    expect((await send(`${BASE}/Corp/test`, 'POST', {})).json).toMatchObject({ ok: true });

    await send(`${BASE}/Corp`, 'PATCH', { bindPassword: 'wrong-password' });
    const failed = (await send(`${BASE}/Corp/test`, 'POST', {})).json as {
      ok: boolean;
      error: { code: string; message: string };
    };
    expect(failed).toMatchObject({ ok: false, error: { code: 'config' } });
    expect(failed.error.message).toContain('refused the bind DN');
    expect(JSON.stringify(failed)).not.toContain('wrong-password');
    expect(
      auditAfter(server.db)
        .map((e) => e.action)
        .filter((a) => a === 'directory.edit'),
    ).toHaveLength(3);
  });

  it('a bind password that does not unseal (secret.key lost) is reported, and set again by an edit', async () => {
    await addCorp();
    rmSync(path.join(server.dir, 'secret.key'));
    const shown = await send(`${BASE}/Corp`, 'GET');
    expect(shown.status).toBe(200);
    expect(shown.json).toMatchObject({ name: 'Corp', configured: false });
    expect((shown.json as { problem: string }).problem).toContain('set it again');
    const withoutPassword = await send(`${BASE}/Corp`, 'PATCH', { cacheTtlSeconds: 1 });
    expect(withoutPassword.status).toBe(400);
    const repaired = await send(`${BASE}/Corp`, 'PATCH', { bindPassword: READER_PASSWORD });
    expect(repaired.status, repaired.text).toBe(200);
    expect((await send(`${BASE}/Corp/test`, 'POST', {})).json).toMatchObject({ ok: true });
  });

  it('test looks a user up, reports their groups and tries their password, changing nothing', async () => {
    await addCorp();
    const revision = policyRevision(server.db);
    const audit = auditAfter(server.db).length;
    const test = (body: object) => send(`${BASE}/Corp/test`, 'POST', body);
    expect((await test({ user: 'user010' })).json).toMatchObject({
      ok: true,
      connection: { url: slapd.url, security: 'none' },
      user: {
        name: 'user010',
        found: true,
        groups: ['backend', 'company', 'databases', 'engineering', 'team-10'],
      },
    });
    expect((await test({ user: 'user010', password: 'pw-user010' })).json).toMatchObject({
      ok: true,
      signIn: { ok: true },
    });
    const wrong = await test({ user: 'user010', password: 'not-it' });
    expect(wrong.json).toMatchObject({
      ok: false,
      signIn: { ok: false, code: 'invalid-credentials' },
    });
    expect((await test({ user: 'ghost' })).json).toMatchObject({
      ok: false,
      user: { found: false },
    });
    expect((await test({ password: 'x' })).status).toBe(400);
    expect((await send(`${BASE}/Built-in/test`, 'POST', {})).status).toBe(400);
    expect(policyRevision(server.db)).toBe(revision);
    expect(auditAfter(server.db)).toHaveLength(audit);
  });

  it('searches principals a page at a time, LDAP and built-in; escaping keeps injection out', async () => {
    await addCorp();
    const search = async (name: string, query: string) => {
      const r = await send(`${BASE}/${name}/principals?${query}`, 'GET');
      expect(r.status, r.text).toBe(200);
      return r.json as {
        principals: { kind: string; name: string }[];
        page: number;
        hasMore: boolean;
      };
    };
    const first = await search('Corp', 'search=user0&kind=user&pageSize=5');
    expect(first.principals.map((p) => p.name)).toHaveLength(5);
    expect(first.hasMore).toBe(true);
    const second = await search('Corp', 'search=user0&kind=user&pageSize=5&page=1');
    expect(second.principals.map((p) => p.name)).not.toEqual(first.principals.map((p) => p.name));
    expect((await search('Corp', 'search=cycle&kind=group')).principals).toEqual([
      expect.objectContaining({ kind: 'group', name: 'cycle-a', directory: 'Corp' }),
      expect.objectContaining({ kind: 'group', name: 'cycle-b', directory: 'Corp' }),
    ]);
    // `*` is a literal here: only names holding a `*` match, not everyone.
    const star = await search('Corp', `search=${encodeURIComponent('*')}&kind=user`);
    expect(star.principals.map((p) => p.name)).toEqual(['*', ')(uid=*']);
    const refreshed = await send(
      `${BASE}/Corp/refresh?user=zoe&key=${auth['X-ApiKey'] as string}`,
      'POST',
      undefined,
      {},
    );
    expect(refreshed.status, refreshed.text).toBe(200);
    const builtin = await search('Built-in', 'search=admin');
    expect(builtin.principals).toEqual([
      { kind: 'user', directory: 'Built-in', name: 'Admin' },
      { kind: 'group', directory: 'Built-in', name: 'Administrators' },
    ]);
    expect((await send(`${BASE}/Corp/principals?pageSize=0`, 'GET')).status).toBe(400);
    expect((await send(`${BASE}/Corp/principals?page=999&pageSize=100`, 'GET')).status).toBe(400);
  });

  it('removes an inactive LDAP directory only: not the built-in one, not the active one', async () => {
    await addCorp();
    corpPolicy([{ group: 'databases' }]);
    const builtin = await send(`${BASE}/Built-in`, 'DELETE');
    expect(builtin.status).toBe(400);
    expect((builtin.json as { error: string }).error).toContain('built-in directory');
    expect((await send(`${BASE}/active`, 'PUT', { name: 'Corp' })).status).toBe(200);
    const active = await send(`${BASE}/Corp`, 'DELETE');
    expect(active.status).toBe(409);
    expect((active.json as { error: string }).error).toContain('is the active directory');
    expect((await send(`${BASE}/active`, 'PUT', { name: 'Built-in' })).status).toBe(200);
    const removed = await send(`${BASE}/Corp`, 'DELETE');
    expect(removed.status, removed.text).toBe(200);
    expect(auditAfter(server.db).at(-1)).toMatchObject({
      action: 'directory.remove',
      detail: { name: 'Corp' },
    });
    expect((await send(`${BASE}/Corp`, 'DELETE')).status).toBe(404);
  });

  it('switching asks LDAP who could administer: a granted group without users or an unknown user is a lockout', async () => {
    await addCorp();
    const refusal = async () => {
      const r = await send(`${BASE}/active`, 'PUT', { name: 'Corp' });
      expect(r.status, r.text).toBe(409);
      return r.json as {
        error: string;
        lockedOut: string[];
        why: Record<string, string>;
        override: string;
      };
    };
    corpPolicy([{ group: 'no-such-group' }, { user: 'no-such-user' }]);
    const body = await refusal();
    expect(body).toMatchObject({
      directory: 'Corp',
      lockedOut: ['Admin', 'carol'],
      override: 'force',
    });
    expect(body.error).toContain('No user or non-empty group of LDAP directory "Corp"');
    expect(body.why.Admin).toBe('would not be a user of directory "Corp"');

    // Forced: switched, and the audit entry says who it locked out.
    const forced = await send(`${BASE}/active`, 'PUT', { name: 'Corp', force: true });
    expect(forced.status, forced.text).toBe(200);
    expect(auditAfter(server.db).at(-1)).toMatchObject({
      action: 'directory.switch',
      detail: { from: 'Built-in', to: 'Corp', forced: true, lockedOut: ['Admin', 'carol'] },
    });
    await send(`${BASE}/active`, 'PUT', { name: 'Built-in', force: true });

    corpPolicy([{ user: 'user005' }]);
    expect((await send(`${BASE}/active`, 'PUT', { name: 'Corp' })).status).toBe(200);
    await send(`${BASE}/active`, 'PUT', { name: 'Built-in' });
    // Nested: cycle-a holds cycle-b, which holds user021.
    corpPolicy([{ group: 'cycle-a' }]);
    const switched = await send(`${BASE}/active`, 'PUT', { name: 'Corp' });
    expect(switched.status, switched.text).toBe(200);
  });

  it('signs in through the active LDAP directory: LDAP groups decide, no fallback to the built-in directory', async () => {
    await addCorp();
    corpPolicy([{ group: 'engineering' }]);
    expect((await send(`${BASE}/active`, 'PUT', { name: 'Corp' })).status).toBe(200);
    // user010 reaches engineering through databases > backend > engineering.
    expect((await signIn('user010', 'pw-user010')).status).toBe(200);
    expect((await signIn('user002', 'pw-user002')).status).toBe(200);
    const denied = [
      ['user001', 'pw-user001'], // company only: above engineering, not in it
      ['user010', 'wrong'],
      ['ghost', 'pw-user010'],
      ['Admin', ADMIN_PASSWORD], // a built-in user: not a user of Corp
    ];
    for (const [user, password] of denied) {
      const r = await signIn(user as string, password as string);
      expect(r.status, `${user}`).toBe(403);
    }
    // v1 check decides an LDAP user with their LDAP groups, declared in the policy or not.
    const check = async (user: string) =>
      (await send('/api/feedgate/v1/check', 'POST', { user, attribute: 'Admin_ConfigureProGet' }))
        .json as { allowed: boolean; ldapGroups?: string[] };
    expect(await check('user010')).toMatchObject({
      allowed: true,
      ldapGroups: expect.arrayContaining(['engineering']) as string[],
    });
    expect(await check('user001')).toMatchObject({
      allowed: false,
      ldapGroups: ['company', 'team-01'],
    });
    expect(
      (
        await send('/api/feedgate/v1/check', 'POST', {
          user: 'ghost',
          attribute: 'Admin_ConfigureProGet',
        })
      ).status,
    ).toBe(400);
    // Change sets while Corp is active: its admins are a group's members, whom the store does
    // not know. Kept: other changes go through; removing the group's grant is a lockout.
    const changes = async (operations: object[]) =>
      server.request('/api/feedgate/v1/changes', {
        ...jsonPost({ operations }, { ...auth, 'if-match': `"${policyRevision(server.db)}"` }),
      });
    const added = await changes([{ op: 'add', kind: 'user', item: { name: 'user020' } }]);
    expect(added.status, added.text).toBe(200);
    const removed = await changes([
      { op: 'remove', kind: 'permission', key: 'group:engineering|Administer|global|allow' },
    ]);
    expect(removed.status, removed.text).toBe(409);
    const refreshed = await send(`${BASE}/Corp/refresh?user=zoe`, 'POST');
    expect(refreshed.json).toEqual({
      directory: 'Corp',
      user: 'zoe',
      groups: ['backend', 'company', 'databases', 'engineering', 'Ünïcode Group'],
    });
    expect((await send(`${BASE}/Corp/refresh?user=ghost`, 'POST')).status).toBe(404);
  });

  it('a down LDAP server: editing the active directory is a lockout unless forced, then sign-ins get 503', async () => {
    await addCorp();
    corpPolicy([{ group: 'engineering' }]);
    expect((await send(`${BASE}/active`, 'PUT', { name: 'Corp' })).status).toBe(200);
    const down = `ldap://127.0.0.1:${await closedPort()}`;
    const refused = await send(`${BASE}/Corp`, 'PATCH', { url: down });
    expect(refused.status).toBe(409);
    expect((refused.json as { error: string }).error).toContain('could not be asked');
    const forced = await send(`${BASE}/Corp?force=true`, 'PATCH', { url: down });
    expect(forced.status, forced.text).toBe(200);
    const r = await signIn('user010', 'pw-user010');
    expect(r.status).toBe(503);
    expect(r.json).toEqual({
      error: 'directory unavailable: the active directory cannot be reached; try again later',
    });
    expect((await signIn('ghost', 'x')).json).toEqual(r.json);
  });
});
