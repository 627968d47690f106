// The remote client against a real instance on 127.0.0.1: snapshot, changes with If-Match,
// 412 when the revision moved, Basic sign-in, and errors that never hold the key.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminTestInstance, type AdminTestInstance } from '../../test/helpers/admin-server';
import { ADMIN_PASSWORD } from '../../test/helpers/server';
import { RemoteClient, RemoteError } from './remote-client';

let admin: AdminTestInstance;
beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(() => admin.server.close());

const client = (apiKey = admin.key) =>
  new RemoteClient({ url: `${admin.server.base}/`, auth: 'api-key', apiKey });

async function failure(work: () => Promise<unknown>): Promise<RemoteError> {
  const error = await work().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe('RemoteClient', () => {
  it('reads the snapshot (policy without revision) and posts a change set with If-Match', async () => {
    const { policy, revision } = await client().getSnapshot();
    expect(policy.format).toBe('feedgate-policy/1');
    expect(policy).not.toHaveProperty('revision');
    const add = { op: 'add', kind: 'user', item: { name: 'zoe' } } as const;
    const result = await client().postChanges({ operations: [add] }, revision);
    expect(result).toEqual({ revision: revision + 1, applied: 1 });
    const stale = await failure(() =>
      client().postChanges({ operations: [{ ...add, item: { name: 'yan' } }] }, revision),
    );
    expect(stale.kind).toBe('conflict');
    expect(stale.message).toContain('the policy changed on the server since it was read');
  });

  it('signs in with Basic for a user name and password', async () => {
    const basic = new RemoteClient({
      url: admin.server.base,
      auth: 'password',
      username: 'Admin',
      password: ADMIN_PASSWORD,
    });
    expect((await basic.getSnapshot()).revision).toBeGreaterThan(0);
  });

  it('maps a wrong key to "access denied" without the key', async () => {
    const wrong = 'Remote-Client-Wrong-Key-3f1c';
    const error = await failure(() => client(wrong).getSnapshot());
    expect(error.kind).toBe('access-denied');
    expect(error.message).toBe('access denied (check the API key)');
    expect(error.message).not.toContain(wrong);
  });

  it('times out with a clear message (a server that never answers)', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const slow = new RemoteClient({ url, auth: 'api-key', apiKey: 'k' }, { timeoutMs: 200 });
      const error = await failure(() => slow.getSnapshot());
      expect(error.kind).toBe('timeout');
      expect(error.message).toBe(`cannot reach ${url}: no answer within 0.2 s`);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
