// Key authentication over HTTP on a real instance: verified keys are kept per process, and a
// key revoked or deleted by another connection (another worker, the CLI) is refused at once;
// with the throttle of workers (in the store), an address that guessed keys is held back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminTestInstance, type AdminTestInstance } from '../../../test/helpers/admin-server';
import { withStore } from '../../../test/helpers/store';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../http/app';
import { removeApiKey, revokeApiKey } from '../store/sql/api-keys';
import { clearSignInFailures } from '../store/sql/sign-in-failures';
import { SharedSignInThrottle } from './throttle';
import { createApiKey } from './api-keys';

let admin: AdminTestInstance;
beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

const snapshotWith = (key: string) =>
  admin.server.request('/api/feedgate/v1/snapshot', { headers: { 'X-ApiKey': key } });

describe('API key authentication', () => {
  it('refuses a key on the next request once another connection revokes it', async () => {
    const created = createApiKey(admin.server.db, { type: 'system', fullControl: true });
    expect((await snapshotWith(created.key)).status).toBe(200);
    expect((await snapshotWith(created.key)).status).toBe(200);
    withStore(admin.server.dir, (db) =>
      revokeApiKey(db, created.info.id, new Date().toISOString()),
    );
    expect((await snapshotWith(created.key)).status).toBe(403);
    // The server's own key, kept beside it, is still accepted.
    expect((await snapshotWith(admin.key)).status).toBe(200);
  });

  it('refuses a key on the next request once another connection deletes it', async () => {
    const created = createApiKey(admin.server.db, { type: 'system', fullControl: true });
    expect((await snapshotWith(created.key)).status).toBe(200);
    withStore(admin.server.dir, (db) => removeApiKey(db, created.info.id));
    expect((await snapshotWith(created.key)).status).toBe(403);
  });

  it('accepts a key created by another connection on its first request', async () => {
    expect((await snapshotWith(admin.key)).status).toBe(200);
    const created = withStore(admin.server.dir, (db) =>
      createApiKey(db, { type: 'system', fullControl: true }),
    );
    expect((await snapshotWith(created.key)).status).toBe(200);
  });
});

describe('API key authentication with the shared sign-in throttle (workers)', () => {
  it('holds back an address after failed keys, counted by another worker too', async () => {
    const app = buildApp({
      db: admin.server.db,
      dataDir: admin.server.dir,
      logger: false,
      throttle: new SharedSignInThrottle(admin.server.db, { freeFailures: 2 }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const snapshot = (key: string) =>
        fetch(`${base}/api/feedgate/v1/snapshot`, { headers: { 'X-ApiKey': key } });
      expect((await snapshot(admin.key)).status).toBe(200);
      const guess = `fgk_${'x'.repeat(43)}`;
      expect((await snapshot(guess)).status).toBe(403);
      expect((await snapshot(guess)).status).toBe(403);
      // The third failure is counted by another process sharing the store.
      withStore(admin.server.dir, (db) =>
        new SharedSignInThrottle(db, { freeFailures: 2 }).failure(['address:127.0.0.1']),
      );
      const held = await snapshot(admin.key);
      expect(held.status).toBe(429);
      expect(held.headers.get('retry-after')).toBe('1');
    } finally {
      await app.close();
      withStore(admin.server.dir, (db) => clearSignInFailures(db));
    }
  });
});
