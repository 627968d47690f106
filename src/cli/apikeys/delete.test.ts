// `feedgate apikeys delete --id N`, the real bundled CLI against a real instance on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/auth/api-keys';
import { closedPort, feedgateAsync } from '../../../test/helpers/cli-async';
import { startAdminTestInstance, type AdminTestInstance } from '../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

/** A loopback port nothing listens on (bound, then released). */
describe('feedgate apikeys delete', () => {
  it('revokes a key: the server refuses it from then on (403); again is a no-op', async () => {
    const created = createApiKey(admin.server.db, { type: 'system', fullControl: true });
    const id = created.info.id as number;
    const snapshot = () =>
      admin.server.request('/api/feedgate/v1/snapshot', { headers: { 'X-ApiKey': created.key } });
    expect((await snapshot()).status).toBe(200);

    const r = await feedgateAsync(['apikeys', 'delete', '--id', String(id), ...source()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Revoked API key ${id} on ${admin.server.base}.\n`);
    expect((await snapshot()).status).toBe(403);

    const again = await feedgateAsync(['apikeys', 'delete', '--id', String(id), ...source()]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('already revoked');

    const list = await feedgateAsync(['apikeys', 'list', '--json', ...source()]);
    const keys = JSON.parse(list.stdout) as { id: number; revoked?: string }[];
    expect(keys.find((k) => k.id === id)?.revoked).toMatch(/^\d{4}-/);
  });

  it('a bad --id: exit 2 and the server logged no request', async () => {
    const before = admin.server.logs.length;
    for (const args of [['--id', 'abc'], ['--id', '0'], ['--id', '-3'], ['--id', '1.5'], []]) {
      const r = await feedgateAsync(['apikeys', 'delete', ...args, ...source()]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(admin.server.logs.length).toBe(before);
  });

  it('an unreachable URL: exit 3', async () => {
    const port = await closedPort();
    const r = await feedgateAsync([
      'apikeys',
      'delete',
      '--id',
      '1',
      '--source',
      `http://127.0.0.1:${port}`,
      '--api-key',
      'k',
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`feedgate: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`);
  });
});
