// Key authentication over HTTP on a real instance: verified keys are kept per process, and a
// key revoked or deleted by another connection (another worker, the CLI) is refused at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminTestInstance, type AdminTestInstance } from '../../../test/helpers/admin-server';
import { withStore } from '../../../test/helpers/store';
import { removeApiKey, revokeApiKey } from '../store/sql/api-keys';
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
