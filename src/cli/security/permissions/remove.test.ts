// `feedgate security permissions remove`, the real bundled CLI against a real
// instance on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, feedgateAsync } from '../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

describe('feedgate security permissions remove', () => {
  it('malformed options: exit 2 and the server logged no request', async () => {
    const before = admin.server.logs.length;
    const cases = [
      ['remove', '--id', 'abc'],
      ['remove', '--id', '0'],
      ['remove', '--id', '-3'],
      ['remove', '--id', '1.5'],
      ['remove'],
    ];
    for (const args of cases) {
      const r = await feedgateAsync(['security', 'permissions', ...args, ...source()]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: /);
    }
    expect(admin.server.logs.length).toBe(before);
  });
  it('an unreachable URL: exit 3', async () => {
    const port = await closedPort();
    const r = await feedgateAsync([
      'security',
      'permissions',
      'list',
      '--source',
      `http://127.0.0.1:${port}`,
      '--api-key',
      'k',
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`feedgate: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`);
  });
});
