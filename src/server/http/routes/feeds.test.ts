// The feed management API over real HTTP on 127.0.0.1 (a real instance in a temp data dir):
// list, get, create, update and delete of feeds and feed groups, admin only; every write bumps
// the policy revision and is audited; a delete that something depends on is refused (409,
// with the counts) unless ?force=true, which also removes the packages' files.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../auth/api-keys';
import { auditAfter, policyRevision, readPolicy } from '../../store/index';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';
import { jsonPost } from '../../../../test/helpers/server';

let admin: AdminTestInstance;
beforeEach(async () => {
  admin = await startAdminTestInstance();
});
afterEach(() => admin.server.close());

const post = (url: string, body?: unknown) =>
  admin.server.request(
    url,
    body === undefined ? { method: 'POST', headers: admin.auth } : jsonPost(body, admin.auth),
  );
const get = (url: string) => admin.server.request(url, { headers: admin.auth });
const lastAudit = () => auditAfter(admin.server.db).at(-1);

describe('feed management API', () => {
  it('creates a feed with a type, access, group and description; lists and gets it', async () => {
    const before = policyRevision(admin.server.db);
    const created = await post('/api/management/feeds/create', {
      name: 'libs',
      feedType: 'npm',
      access: 'community',
      feedGroup: 'production-packages',
      description: 'shared libraries',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      name: 'libs',
      feedType: 'npm',
      access: 'community',
      feedGroup: 'production-packages',
      description: 'shared libraries',
      packageCount: 0,
    });
    expect(Date.parse((created.json as { createdAt: string }).createdAt)).not.toBeNaN();
    expect(policyRevision(admin.server.db)).toBe(before + 1);
    expect(readPolicy(admin.server.db).feeds.find((f) => f.name === 'libs')).toMatchObject({
      access: 'community',
      feedGroup: 'production-packages',
    });
    expect(lastAudit()).toMatchObject({ action: 'feeds.create', detail: { feed: 'libs' } });

    const list = await get('/api/management/feeds/list');
    expect((list.json as { name: string }[]).map((f) => f.name)).toEqual(
      ['libs', 'Production', 'public-npm', 'Staging'].sort(),
    );
    expect((await get('/api/management/feeds/get/libs')).json).toEqual(created.json);
    expect((await get('/api/management/feeds/get/nope')).status).toBe(404);
  });

  it('refuses a second feed of the same name, an unknown group, type or access, with nothing written', async () => {
    const before = policyRevision(admin.server.db);
    const cases: [unknown, number, RegExp][] = [
      [{ name: 'Staging' }, 409, /a feed named "Staging" already exists/],
      [{ name: 'x', feedGroup: 'nope' }, 400, /feedGroup: no feed group named "nope"/],
      [{ name: 'x', feedType: 'cargo-ish' }, 400, /feedType/],
      [{ name: 'x', access: 'secret' }, 400, /access/],
      [{ name: 'x', colour: 'red' }, 400, /unknown field "colour"/],
    ];
    for (const [body, status, error] of cases) {
      const r = await post('/api/management/feeds/create', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect((r.json as { error: string }).error).toMatch(error);
    }
    expect(policyRevision(admin.server.db)).toBe(before);
  });

  it('updates access, type, group and description; a null feedGroup takes the feed out of its group', async () => {
    const r = await post('/api/management/feeds/update/Production', {
      access: 'organization',
      feedGroup: null,
      description: 'live',
    });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      name: 'Production',
      access: 'organization',
      description: 'live',
    });
    expect(r.json).not.toHaveProperty('feedGroup');
    expect(lastAudit()).toMatchObject({ action: 'feeds.update', detail: { feed: 'Production' } });
    expect((await post('/api/management/feeds/update/nope', { access: 'public' })).status).toBe(
      404,
    );
  });

  it('refuses to delete a feed with grants, packages or feed keys (409 with the counts) unless forced', async () => {
    const { server } = admin;
    createApiKey(server.db, { type: 'feed', feed: 'Production', packagePermissions: ['view'] });
    const upload = await server.request('/feeds/Production/packages/app/1.0.0', {
      method: 'PUT',
      headers: admin.auth,
      body: 'contents',
    });
    expect(upload.status, upload.text).toBe(201);
    const before = policyRevision(server.db);
    const refused = await post('/api/management/feeds/delete/Production');
    expect(refused.status).toBe(409);
    expect((refused.json as { error: string }).error).toBe(
      'feed "Production" still has 2 grants, 1 package, 1 feed key: remove them first, or delete with ?force=true',
    );
    expect(policyRevision(server.db)).toBe(before);

    const forced = await server.request('/api/management/feeds/delete/Production?force=true', {
      method: 'DELETE',
      headers: admin.auth,
    });
    expect(forced.status, forced.text).toBe(200);
    expect(forced.json).toEqual({
      deleted: 'Production',
      removed: { grants: 2, packages: 1, feedKeys: 1 },
    });
    const policy = readPolicy(server.db);
    expect(policy.feeds.map((f) => f.name)).not.toContain('Production');
    expect(policy.permissions.some((p) => p.feed === 'Production')).toBe(false);
    const packagesDir = path.join(server.dir, 'packages');
    const stored = readdirSync(packagesDir).filter((d) => d !== '.incoming');
    expect(stored.flatMap((d) => readdirSync(path.join(packagesDir, d)))).toEqual([]);
    expect(lastAudit()).toMatchObject({
      action: 'feeds.delete',
      detail: { feed: 'Production', force: true },
    });
  });

  it('refuses a v1 change set that removes a feed holding packages (409), with nothing written', async () => {
    const { server } = admin;
    await post('/api/management/feeds/create', { name: 'kept' });
    const upload = await server.request('/feeds/kept/packages/app/1.0.0', {
      method: 'PUT',
      headers: admin.auth,
      body: 'contents',
    });
    expect(upload.status, upload.text).toBe(201);
    const revision = policyRevision(server.db);
    const r = await server.request('/api/feedgate/v1/changes', {
      method: 'POST',
      headers: { ...admin.auth, 'content-type': 'application/json', 'if-match': `"${revision}"` },
      body: JSON.stringify({ operations: [{ op: 'remove', kind: 'feed', key: 'kept' }] }),
    });
    expect(r.status, r.text).toBe(409);
    expect((r.json as { error: string }).error).toMatch(
      /cannot remove feed "kept": it holds 1 package/,
    );
    expect(policyRevision(server.db)).toBe(revision);
    expect((await get('/api/management/feeds/get/kept')).json).toMatchObject({ packageCount: 1 });
  });

  it('deletes a feed nothing depends on, with POST as well as DELETE', async () => {
    expect((await post('/api/management/feeds/create', { name: 'tmp' })).status).toBe(201);
    const r = await post('/api/management/feeds/delete/tmp');
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ deleted: 'tmp' });
    expect((await post('/api/management/feeds/delete/tmp')).status).toBe(404);
  });

  it('lists, creates and deletes feed groups; a group with feeds is kept unless forced', async () => {
    expect((await post('/api/management/feed-groups/create', { name: 'tools' })).status).toBe(201);
    expect((await post('/api/management/feed-groups/create', { name: 'tools' })).status).toBe(409);
    expect((await get('/api/management/feed-groups/list')).json).toEqual([
      { name: 'production-packages', feeds: ['Production'] },
      { name: 'tools', feeds: [] },
    ]);
    const refused = await post('/api/management/feed-groups/delete/production-packages');
    expect(refused.status).toBe(409);
    expect((refused.json as { error: string }).error).toMatch(
      /still has 1 feed, 0 grants, 0 feed keys/,
    );
    const forced = await post('/api/management/feed-groups/delete/production-packages?force=true');
    expect(forced.status, forced.text).toBe(200);
    expect(
      readPolicy(admin.server.db).feeds.find((f) => f.name === 'Production')?.feedGroup,
    ).toBeUndefined();
    expect((await post('/api/management/feed-groups/delete/tools')).status).toBe(200);
    expect(lastAudit()).toMatchObject({
      action: 'feed-groups.delete',
      detail: { feedGroup: 'tools' },
    });
  });

  it('is for administrators only: a feed key and an anonymous caller get 403', async () => {
    const feedKey = createApiKey(admin.server.db, {
      type: 'feed',
      feed: 'Staging',
      packagePermissions: ['view', 'add'],
    }).key;
    expect(
      (
        await admin.server.request('/api/management/feeds/list', {
          headers: { 'X-ApiKey': feedKey },
        })
      ).status,
    ).toBe(403);
    expect((await admin.server.request('/api/management/feeds/list')).status).toBe(403);
  });
});
