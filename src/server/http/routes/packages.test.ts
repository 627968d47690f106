// The package protocol over real HTTP on 127.0.0.1 (a real instance in a temp data dir, real
// SQLite, real files), every operation decided by the engine of the current revision: the
// security model's worked examples end to end, public / community / organization feeds, feed
// key scope, expired and revoked keys, overwrite by delete-then-add, and an interrupted upload.
// The policy is the promote example: Developers (alice, bob) hold Promote Packages globally and
// a restriction of it on Production; bob holds it on Production himself; carol administers.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../auth/api-keys';
import { hashPassword } from '../../auth/passwords';
import { auditAfter, findPrincipal, revokeApiKey, setUserPassword } from '../../store/index';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';
import { jsonPost, type TestResponse } from '../../../../test/helpers/server';

let admin: AdminTestInstance;
/** Personal keys of the example's users, and erin (a user with no grant). */
let keys: Record<'alice' | 'bob' | 'carol' | 'erin', Record<string, string>>;

const adminPost = async (url: string, body: unknown) => {
  const r = await admin.server.request(url, jsonPost(body, admin.auth));
  expect(r.status, `${url}: ${r.text}`).toBeLessThan(300);
  return r;
};
const personal = (user: string) => ({
  'X-ApiKey': createApiKey(admin.server.db, { type: 'personal', user }).key,
});

beforeEach(async () => {
  admin = await startAdminTestInstance();
  await adminPost('/api/security/users/add', { name: 'erin' });
  await adminPost('/api/management/feeds/create', { name: 'community', access: 'community' });
  await adminPost('/api/management/feeds/create', { name: 'org', access: 'organization' });
  await adminPost('/api/management/feeds/create', {
    name: 'Production-EU',
    feedGroup: 'production-packages',
  });
  keys = {
    alice: personal('alice'),
    bob: personal('bob'),
    carol: personal('carol'),
    erin: personal('erin'),
  };
});
afterEach(() => admin.server.close());

type Headers = Record<string, string>;
const url = (feed: string, name: string, version: string) =>
  `/feeds/${encodeURIComponent(feed)}/packages/${name}/${version}`;
const put = (
  feed: string,
  name: string,
  version: string,
  body: string,
  headers: Headers = {},
  query = '',
) => admin.server.request(url(feed, name, version) + query, { method: 'PUT', headers, body });
const download = (feed: string, name: string, version: string, headers: Headers = {}) =>
  admin.server.request(url(feed, name, version), { headers });
const remove = (feed: string, name: string, version: string, headers: Headers = {}) =>
  admin.server.request(url(feed, name, version), { method: 'DELETE', headers });
const action = (feed: string, verb: 'pull' | 'promote', body: unknown, headers: Headers = {}) =>
  admin.server.request(`/feeds/${encodeURIComponent(feed)}/${verb}`, jsonPost(body, headers));
const names = (r: TestResponse) =>
  (r.json as { name: string; version: string }[]).map((p) => `${p.name}@${p.version}`);

const expectStatus = (r: TestResponse, status: number) => expect(r.status, r.text).toBe(status);

/** The files stored for a feed (by checksum) and what interrupted uploads left. */
function storedFiles(dir: string): { incoming: string[]; feeds: string[] } {
  const root = path.join(dir, 'packages');
  if (!existsSync(root)) return { incoming: [], feeds: [] };
  const incoming = existsSync(path.join(root, '.incoming'))
    ? readdirSync(path.join(root, '.incoming'))
    : [];
  const feeds = readdirSync(root)
    .filter((d) => d !== '.incoming')
    .flatMap((d) => readdirSync(path.join(root, d)).map((f) => `${d}/${f}`));
  return { incoming, feeds };
}

describe('the package protocol', () => {
  it('adds, downloads, lists, shows, unlists, relists and deletes a package, by checksum on disk', async () => {
    const body = 'package bytes';
    const sha256 = createHash('sha256').update(body).digest('hex');
    const added = await put('Staging', 'app', '1.0.0', body, keys.alice);
    expectStatus(added, 201);
    expect(added.json).toMatchObject({
      feed: 'Staging',
      name: 'app',
      version: '1.0.0',
      size: body.length,
      sha256,
      listed: true,
      uploader: 'alice',
      uploaderDirectory: 'Built-in',
    });
    const got = await download('Staging', 'app', '1.0.0', keys.bob);
    expectStatus(got, 200);
    expect(got.text).toBe(body);
    expect(got.headers.get('x-checksum-sha256')).toBe(sha256);
    expect(storedFiles(admin.server.dir).feeds).toEqual([
      expect.stringMatching(new RegExp(`/${sha256}$`)),
    ]);

    expectStatus(await put('Staging', 'app', '1.0.1', 'newer', keys.alice), 201);
    const info = await admin.server.request(`${url('Staging', 'app', '1.0.0')}/info`, {
      headers: keys.bob,
    });
    expect(info.json).toMatchObject({ sha256, uploader: 'alice' });

    // Unlisting needs Feeds_UnlistPackage: Developers do not have it, carol (Administer) does.
    const unlistUrl = `${url('Staging', 'app', '1.0.0')}/unlist`;
    expectStatus(
      await admin.server.request(unlistUrl, { method: 'POST', headers: keys.alice }),
      403,
    );
    const unlisted = await admin.server.request(unlistUrl, { method: 'POST', headers: keys.carol });
    expect(unlisted.json).toMatchObject({ listed: false });
    expect(
      names(await admin.server.request('/feeds/Staging/packages', { headers: keys.bob })),
    ).toEqual(['app@1.0.1']);
    expect(
      names(
        await admin.server.request('/feeds/Staging/packages?unlisted=true', { headers: keys.bob }),
      ),
    ).toEqual(['app@1.0.0', 'app@1.0.1']);
    expectStatus(await download('Staging', 'app', '1.0.0', keys.bob), 200); // unlisted, still there
    await admin.server.request(`${url('Staging', 'app', '1.0.0')}/relist`, {
      method: 'POST',
      headers: keys.carol,
    });
    expect(
      names(await admin.server.request('/feeds/Staging/packages', { headers: keys.bob })),
    ).toHaveLength(2);

    expectStatus(await remove('Staging', 'app', '1.0.0', keys.alice), 403); // no Feeds_DeletePackage
    expectStatus(await remove('Staging', 'app', '1.0.0', keys.carol), 200);
    expectStatus(await download('Staging', 'app', '1.0.0', keys.carol), 404);
    // Changes other than adds are audited, with who made them and through which key.
    const audited = auditAfter(admin.server.db).filter((e) => e.action.startsWith('packages.'));
    expect(audited.map((e) => [e.action, e.actor])).toEqual([
      ['packages.unlist', 'Built-in/carol'],
      ['packages.relist', 'Built-in/carol'],
      ['packages.delete', 'Built-in/carol'],
    ]);
    expect(audited[2]).toMatchObject({
      keyId: expect.any(Number),
      detail: { feed: 'Staging', name: 'app', version: '1.0.0', sha256 },
    });
    expect(storedFiles(admin.server.dir).feeds).toHaveLength(1); // 1.0.1's file only
  });

  it('refuses an existing version without ?overwrite=true, and overwrite without Feeds_OverwritePackage', async () => {
    expectStatus(await put('Staging', 'app', '1.0.0', 'one', keys.alice), 201);
    const again = await put('Staging', 'app', '1.0.0', 'two', keys.alice);
    expectStatus(again, 409);
    expect((again.json as { error: string }).error).toMatch(
      /already exists in feed "Staging": send \?overwrite=true/,
    );
    expectStatus(await put('Staging', 'app', '1.0.0', 'two', keys.alice, '?overwrite=true'), 403);
    const overwritten = await put(
      'Staging',
      'app',
      '1.0.0',
      'three',
      keys.carol,
      '?overwrite=true',
    );
    expectStatus(overwritten, 201);
    expect(overwritten.json).toMatchObject({ uploader: 'carol', size: 5 });
    expect(auditAfter(admin.server.db).at(-1)).toMatchObject({
      actor: 'Built-in/carol',
      action: 'packages.overwrite',
      detail: { feed: 'Staging', name: 'app', version: '1.0.0' },
    });
    expect((await download('Staging', 'app', '1.0.0', keys.bob)).text).toBe('three');
    expect(storedFiles(admin.server.dir).feeds).toHaveLength(1); // the old file is gone
  });

  it('answers bad names and versions, unknown feeds and packages with clear errors', async () => {
    const bad = await put('Staging', '-dash', '1.0', 'x', keys.carol);
    expectStatus(bad, 400);
    expect((bad.json as { error: string }).error).toMatch(/^name: must be 1 to 256 letters/);
    const noFeed = await put('Nope', 'app', '1.0', 'x', keys.carol);
    expectStatus(noFeed, 404);
    expect(noFeed.json).toEqual({ error: 'no feed named "Nope"' });
    expect((await download('Staging', 'app', '9.9', keys.carol)).json).toEqual({
      error: 'no package app 9.9 in feed "Staging"',
    });
    expectStatus(await action('Staging', 'promote', { toFeed: 'Production' }, keys.carol), 400);
  });

  it('pulls a package from another feed (Feeds_PullPackage on the target, view and download on the source)', async () => {
    expectStatus(await put('Staging', 'lib', '2.0.0', 'lib', keys.alice), 201);
    const request = { fromFeed: 'Staging', name: 'lib', version: '2.0.0' };
    expectStatus(await action('public-npm', 'pull', request, keys.alice), 403); // Promote Packages has no pull
    const pulled = await action('public-npm', 'pull', request, keys.carol);
    expectStatus(pulled, 201);
    expect(pulled.json).toMatchObject({ feed: 'public-npm', uploader: 'carol' });
    expect((await download('public-npm', 'lib', '2.0.0')).text).toBe('lib');
    expectStatus(await action('public-npm', 'pull', request, keys.carol), 409);
  });
});

describe('the security model, end to end', () => {
  it('Developers may promote packages from any feed except into Production; bob may (a user-level permission over a group restriction)', async () => {
    expectStatus(await put('Staging', 'app', '1.0.0', 'app', keys.alice), 201);
    const promote = { toFeed: 'Production', name: 'app', version: '1.0.0' };
    const denied = await action('Staging', 'promote', promote, keys.alice);
    expectStatus(denied, 403);
    expect(denied.json).toEqual({
      error: 'not allowed: Feeds_AcceptPackagePromotions on feed "Production"',
    });
    const byBob = await action('Staging', 'promote', promote, keys.bob);
    expectStatus(byBob, 201);
    expect(byBob.json).toMatchObject({ feed: 'Production', uploader: 'alice' }); // keeps its uploader
    expect(auditAfter(admin.server.db).at(-1)).toMatchObject({
      actor: 'Built-in/bob',
      action: 'packages.promote',
      detail: { name: 'app', version: '1.0.0', from: 'Staging', to: 'Production' },
    });
    expectStatus(
      await action('Staging', 'promote', { ...promote, toFeed: 'public-npm' }, keys.alice),
      201,
    );
    expectStatus(await put('Production', 'direct', '1.0', 'x', keys.alice), 403); // no add there either
    expectStatus(await put('Production', 'direct', '1.0', 'x', keys.bob), 201);
  });

  it('a feed-group restriction beats a global permission, and a policy push takes effect at once', async () => {
    expectStatus(await put('Production-EU', 'app', '1.0.0', 'x', keys.alice), 201);
    await adminPost('/api/security/permissions/add', {
      group: 'Developers',
      task: 'Promote Packages',
      feedGroup: 'production-packages',
      deny: true,
    });
    expectStatus(await put('Production-EU', 'app', '1.0.1', 'x', keys.alice), 403);
    expectStatus(await download('Production-EU', 'app', '1.0.0', keys.alice), 403);
    expectStatus(await put('Staging', 'app', '1.0.1', 'x', keys.alice), 201); // global permission elsewhere
  });

  it('public feeds: anyone views and downloads; pushing needs a grant, and anonymous gets 401 with WWW-Authenticate', async () => {
    expectStatus(await put('public-npm', 'pkg', '1.0.0', 'public', keys.alice), 201);
    expect(names(await admin.server.request('/feeds/public-npm/packages'))).toEqual(['pkg@1.0.0']);
    expect((await download('public-npm', 'pkg', '1.0.0')).text).toBe('public');
    const anonymous = await put('public-npm', 'pkg', '1.0.1', 'x');
    expectStatus(anonymous, 401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="feedgate"/);
    expectStatus(await put('public-npm', 'pkg', '1.0.1', 'x', keys.erin), 403); // signed in, no grant
    const privateFeed = await admin.server.request('/feeds/Staging/packages');
    expectStatus(privateFeed, 401);
    expectStatus(
      await admin.server.request('/feeds/Staging/packages', { headers: keys.erin }),
      403,
    );
  });

  it('community feeds: any signed-in user adds, and manages only their own packages', async () => {
    expectStatus(await put('community', 'tool', '1.0.0', 'erin', keys.erin), 201);
    expectStatus(await put('community', 'tool', '2.0.0', 'bob', keys.bob), 201);
    expectStatus(await put('community', 'tool', '3.0.0', 'x'), 401); // anonymous may not add
    expect((await download('community', 'tool', '1.0.0')).text).toBe('erin'); // but may download
    expectStatus(await remove('community', 'tool', '1.0.0', keys.bob), 403);
    expectStatus(await put('community', 'tool', '1.0.0', 'bob', keys.bob, '?overwrite=true'), 403);
    const unlist = (v: string, h: Headers) =>
      admin.server.request(`${url('community', 'tool', v)}/unlist`, { method: 'POST', headers: h });
    expectStatus(await unlist('1.0.0', keys.bob), 403);
    expectStatus(await unlist('1.0.0', keys.erin), 200);
    expectStatus(
      await put('community', 'tool', '1.0.0', 'erin 2', keys.erin, '?overwrite=true'),
      201,
    );
    expectStatus(await remove('community', 'tool', '2.0.0', keys.bob), 200);
    expectStatus(await remove('community', 'tool', '1.0.0', keys.carol), 200); // Administer manages all
  });

  it('organization feeds: every signed-in user of the active directory views and downloads, anonymous nobody', async () => {
    expectStatus(await put('org', 'internal', '1.0.0', 'org', keys.carol), 201);
    expect((await download('org', 'internal', '1.0.0', keys.erin)).text).toBe('org');
    expectStatus(await download('org', 'internal', '1.0.0'), 401);
    expectStatus(await put('org', 'internal', '1.0.1', 'x', keys.erin), 403);
  });

  it('signs users in with X-ApiKey user:password and HTTP Basic; a wrong password is 401', async () => {
    setUserPassword(
      admin.server.db,
      findPrincipal(admin.server.db, 1, 'user', 'erin') as number,
      await hashPassword('erin-password'),
    );
    expectStatus(await put('org', 'internal', '1.0.0', 'org', keys.carol), 201);
    const basic = `Basic ${Buffer.from('erin:erin-password').toString('base64')}`;
    expectStatus(await download('org', 'internal', '1.0.0', { authorization: basic }), 200);
    expectStatus(
      await download('org', 'internal', '1.0.0', { 'X-ApiKey': 'erin:erin-password' }),
      200,
    );
    const wrong = await download('org', 'internal', '1.0.0', { 'X-ApiKey': 'erin:wrong' });
    expectStatus(wrong, 401);
    expect(wrong.text).not.toContain('wrong');
  });
});

describe('API keys on feeds', () => {
  it('a feed key is limited to its feed and its permissions; a feed-group key to its group', async () => {
    const { db } = admin.server;
    const staging = {
      'X-ApiKey': createApiKey(db, {
        type: 'feed',
        feed: 'Staging',
        packagePermissions: ['view', 'add'],
      }).key,
    };
    const group = {
      'X-ApiKey': createApiKey(db, {
        type: 'feed',
        feedGroup: 'production-packages',
        packagePermissions: ['view'],
      }).key,
    };
    const added = await put('Staging', 'app', '1.0.0', 'x', staging);
    expectStatus(added, 201);
    expect(added.json).not.toHaveProperty('uploader'); // a feed key is nobody
    expectStatus(await download('Staging', 'app', '1.0.0', staging), 200);
    expectStatus(await remove('Staging', 'app', '1.0.0', staging), 403);
    expectStatus(await put('Staging', 'app', '1.0.0', 'y', staging, '?overwrite=true'), 403);
    expectStatus(await put('public-npm', 'app', '1.0.0', 'x', staging), 403);
    expectStatus(await download('public-npm', 'app', '1.0.0', staging), 403); // out of scope, even where anonymous may
    expectStatus(await put('Production', 'app', '1.0.0', 'x', keys.carol), 201);
    expectStatus(await download('Production', 'app', '1.0.0', group), 200);
    expectStatus(await download('Staging', 'app', '1.0.0', group), 403);
    expectStatus(await put('Production-EU', 'app', '1.0.0', 'x', group), 403);
  });

  it('a system key needs full control or the packages API', async () => {
    const { db } = admin.server;
    const withApi = {
      'X-ApiKey': createApiKey(db, { type: 'system', systemApis: ['packages'] }).key,
    };
    const without = { 'X-ApiKey': createApiKey(db, { type: 'system', systemApis: ['other'] }).key };
    expectStatus(await put('Staging', 'app', '1.0.0', 'x', withApi), 201);
    expectStatus(await download('Staging', 'app', '1.0.0', without), 403);
    expectStatus(await download('Staging', 'app', '1.0.0', admin.auth), 200);
  });

  it('an expired or revoked key is refused with 401, even on a public feed', async () => {
    const { db } = admin.server;
    expectStatus(await put('public-npm', 'pkg', '1.0.0', 'x', keys.carol), 201);
    const expired = createApiKey(db, {
      type: 'personal',
      user: 'carol',
      expiration: new Date(Date.now() - 1000),
    }).key;
    const revoked = createApiKey(db, { type: 'personal', user: 'carol' });
    revokeApiKey(db, revoked.info.id, new Date().toISOString());
    for (const key of [expired, revoked.key]) {
      const r = await download('public-npm', 'pkg', '1.0.0', { 'X-ApiKey': key });
      expectStatus(r, 401);
      expect(r.text).not.toContain(key);
    }
    expectStatus(await download('public-npm', 'pkg', '1.0.0'), 200);
  });
});

describe('overwrite and interrupted uploads', () => {
  it('overwrites by delete-then-add when the policy allows both (permission by proxy)', async () => {
    await adminPost('/api/security/tasks/add', {
      name: 'Add and Delete',
      attributes: [
        'Feeds_ViewFeed',
        'Feeds_DownloadPackage',
        'Feeds_AddPackage',
        'Feeds_DeletePackage',
      ],
    });
    await adminPost('/api/security/permissions/add', {
      user: 'erin',
      task: 'Add and Delete',
      feed: 'Staging',
    });
    expectStatus(await put('Staging', 'app', '1.0.0', 'first', keys.erin), 201);
    expectStatus(await put('Staging', 'app', '1.0.0', 'second', keys.erin, '?overwrite=true'), 403);
    expectStatus(await remove('Staging', 'app', '1.0.0', keys.erin), 200);
    expectStatus(await put('Staging', 'app', '1.0.0', 'second', keys.erin), 201);
    expect((await download('Staging', 'app', '1.0.0', keys.erin)).text).toBe('second');
  });

  it('an upload cut off mid-body leaves no file and no row', async () => {
    const port = Number(new URL(admin.server.base).port);
    await new Promise<void>((resolve) => {
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: url('Staging', 'cut', '1.0.0'),
        headers: {
          ...admin.auth,
          'content-type': 'application/octet-stream',
          'content-length': '1000000',
        },
      });
      request.on('error', () => resolve());
      request.write(Buffer.alloc(64 * 1024, 1), () => setTimeout(() => request.destroy(), 100));
      request.on('close', () => resolve());
    });
    // The server notices the cut when the socket closes: wait for its log line.
    await expect
      .poll(() => admin.server.logs.some((l) => l.includes('upload interrupted')), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(storedFiles(admin.server.dir)).toEqual({ incoming: [], feeds: [] });
    expectStatus(await download('Staging', 'cut', '1.0.0', admin.auth), 404);
    expect(
      names(
        await admin.server.request('/feeds/Staging/packages?unlisted=true', {
          headers: admin.auth,
        }),
      ),
    ).toEqual([]);
  });
});
