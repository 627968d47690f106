// The policy cache on a real store: a version read when a request began saves the request its
// own read, yet never yields a policy older than one this process has already seen; and over
// HTTP, a policy written by another connection decides the very next check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminTestInstance, type AdminTestInstance } from '../../test/helpers/admin-server';
import { jsonPost } from '../../test/helpers/server';
import { withStore } from '../../test/helpers/store';
import { PolicyCache } from './policy-cache';
import { readPolicy, writePolicy } from './store/index';
import { storeVersion } from './store/sql/instance';

let admin: AdminTestInstance;
beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(() => admin.server.close());

/** Another connection (another worker, the CLI) grants or takes `task` from alice globally. */
const grantAlice = (task: string | undefined) =>
  withStore(admin.server.dir, (db) => {
    const policy = readPolicy(db, 'Built-in');
    const permissions = policy.permissions.filter((p) => p.user !== 'alice');
    if (task !== undefined) permissions.push({ user: 'alice', task, deny: false });
    return writePolicy(db, { ...policy, permissions });
  });

describe('PolicyCache.current(known)', () => {
  it('keeps to the version a request read, but not once a newer one is kept', () => {
    const cache = new PolicyCache(admin.server.db);
    const before = storeVersion(admin.server.db);
    expect(cache.current(before).revision).toBe(before.revision);
    const written = grantAlice('Administer');
    // The request began before the write: it is decided on the policy of its start.
    expect(cache.current(before).revision).toBe(before.revision);
    // A request that reads the store after the write gets the new policy...
    expect(cache.current(storeVersion(admin.server.db)).revision).toBe(written);
    expect(cache.current().revision).toBe(written);
    // ...and from then on an earlier request's version no longer brings back the old one.
    expect(cache.current(before).revision).toBe(written);
  });
});

describe('POST /api/feedgate/v1/check after another connection writes', () => {
  it('decides on the written policy from the next request on', async () => {
    const check = async () => {
      const r = await admin.server.request(
        '/api/feedgate/v1/check',
        jsonPost({ user: 'alice', attribute: 'Admin_ConfigureProGet' }, admin.auth),
      );
      expect(r.status, r.text).toBe(200);
      return r.json as { allowed: boolean; revision: number };
    };
    grantAlice(undefined);
    expect((await check()).allowed).toBe(false);
    const granted = grantAlice('Administer');
    expect(await check()).toMatchObject({ allowed: true, revision: granted });
    const revoked = grantAlice(undefined);
    expect(await check()).toMatchObject({ allowed: false, revision: revoked });
  });
});
