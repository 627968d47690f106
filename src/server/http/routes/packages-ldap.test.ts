// Package operations for LDAP users over real HTTP on 127.0.0.1, against a real slapd: the
// groups the directory gives at sign-in decide (nested ones included), and on a community feed
// an LDAP user manages only the packages they uploaded.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';
import { jsonPost, type TestResponse } from '../../../../test/helpers/server';
import { corpConfig } from '../../../../test/helpers/directories-cli';
import { startSlapd, type Slapd } from '../../../../test/helpers/slapd';
import { readPolicy, writePolicy } from '../../store/index';

let slapd: Slapd;
let admin: AdminTestInstance;

beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(() => slapd.stop());
beforeEach(async () => {
  admin = await startAdminTestInstance();
  const { server, auth } = admin;
  const ok = (r: TestResponse) => expect(r.status, r.text).toBeLessThan(300);
  ok(
    await server.request(
      '/api/management/feeds/create',
      jsonPost({ name: 'community', access: 'community' }, auth),
    ),
  );
  ok(await server.request('/api/feedgate/v1/directories', jsonPost(corpConfig(slapd), auth)));
  // Corp's grants: engineering (LDAP, nested) may view and download Staging; user005 administers.
  writePolicy(server.db, {
    ...readPolicy(server.db, 'Built-in'),
    directory: 'Corp',
    users: [{ name: 'user005', groups: [] }],
    groups: [{ name: 'engineering', users: [], groups: [] }],
    permissions: [
      { user: 'user005', task: 'Administer', deny: false },
      { group: 'engineering', task: 'View & Download Packages', feed: 'Staging', deny: false },
    ],
  });
  ok(
    await server.request('/feeds/Staging/packages/app/1.0.0', {
      method: 'PUT',
      headers: auth,
      body: 'app',
    }),
  );
  ok(
    await server.request('/api/feedgate/v1/directories/active', {
      ...jsonPost({ name: 'Corp' }, auth),
      method: 'PUT',
    }),
  );
});
afterEach(() => admin.server.close());

const as = (user: string) => ({ 'X-ApiKey': `${user}:pw-${user}` });
const put = (path: string, body: string, user: string) =>
  admin.server.request(path, { method: 'PUT', headers: as(user), body });

describe('packages for LDAP users', { timeout: 30_000 }, () => {
  it('decides with the groups LDAP gives at sign-in, nested groups included', async () => {
    const byNested = await admin.server.request('/feeds/Staging/packages/app/1.0.0', {
      headers: as('user010'),
    });
    expect(byNested.status, byNested.text).toBe(200);
    expect(byNested.text).toBe('app');
    expect(
      (await admin.server.request('/feeds/Staging/packages/app/1.0.0', { headers: as('user002') }))
        .status,
    ).toBe(200);
    // company is above engineering, not in it: no grant reaches user001.
    expect(
      (await admin.server.request('/feeds/Staging/packages/app/1.0.0', { headers: as('user001') }))
        .status,
    ).toBe(403);
    expect((await put('/feeds/Staging/packages/app/2.0.0', 'x', 'user010')).status).toBe(403);
  });

  it('on a community feed, an LDAP user manages only the packages they uploaded', async () => {
    const added = await put('/feeds/community/packages/tool/1.0.0', 'mine', 'user010');
    expect(added.status, added.text).toBe(201);
    expect(added.json).toMatchObject({ uploader: 'user010', uploaderDirectory: 'Corp' });
    expect(
      (await put('/feeds/community/packages/tool/1.0.0?overwrite=true', 'theirs', 'user002'))
        .status,
    ).toBe(403);
    expect(
      (await put('/feeds/community/packages/tool/1.0.0?overwrite=true', 'mine 2', 'user010'))
        .status,
    ).toBe(201);
    const removeAs = (user: string) =>
      admin.server.request('/feeds/community/packages/tool/1.0.0', {
        method: 'DELETE',
        headers: as(user),
      });
    expect((await removeAs('user002')).status).toBe(403);
    expect((await removeAs('user010')).status).toBe(200);
  });

  it('an unreachable LDAP server: 503 for a user; anonymous callers are still decided (401 here, not 503)', async () => {
    const down = `ldap://127.0.0.1:${await closedPort()}`;
    const forced = await admin.server.request('/api/feedgate/v1/directories/Corp?force=true', {
      ...jsonPost({ url: down }, admin.auth),
      method: 'PATCH',
    });
    expect(forced.status, forced.text).toBe(200);
    const r = await admin.server.request('/feeds/Staging/packages/app/1.0.0', {
      headers: as('user010'),
    });
    expect(r.status).toBe(503);
    expect(r.json).toEqual({
      error: 'directory unavailable: the active directory cannot be reached; try again later',
    });
    expect((await admin.server.request('/feeds/Staging/packages/app/1.0.0')).status).toBe(401);
  });
});
