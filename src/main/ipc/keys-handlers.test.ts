// The API keys and audit channels through the real registry (results checked against their
// schemas), over a real workspace connected to a real instance on 127.0.0.1: the new key's
// text is in apikeys:create's result and in no other result; the server's refusals and a key
// that is not an administrator's come back as `refused` with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminTestInstance, type AdminTestInstance } from '../../../test/helpers/admin-server';
import { openRegistryWorkspace, type RegistryWorkspace } from '../../../test/helpers/ipc-workspace';
import type { AppApiResponse, ChannelResult } from '../../shared/app-api';

let admin: AdminTestInstance;
let opened: RegistryWorkspace;
let id: string;
/** Every answer but apikeys:create's. */
const others: AppApiResponse[] = [];

async function call<T>(channel: string, args: unknown): Promise<T> {
  const response = await opened.api.invoke(channel, args);
  if (channel !== 'apikeys:create') others.push(response);
  if (!response.ok)
    throw new Error(`${channel}: ${response.error.code}: ${response.error.message}`);
  return response.value as T;
}

beforeAll(async () => {
  admin = await startAdminTestInstance();
  opened = openRegistryWorkspace('keys');
  ({
    connection: { id },
  } = await call<{ connection: { id: string } }>('connections:add-remote', {
    name: 'Test',
    url: admin.server.base,
    apiKey: admin.key,
    keyStorage: 'memory',
  }));
});
afterAll(async () => {
  await opened?.close();
  await admin?.server.close();
});

describe('API keys and audit channels', () => {
  it('create a feed key (text once), list it, revoke it, and read both in the audit', async () => {
    const created = await call<ChannelResult<'apikeys:create'>>('apikeys:create', {
      id,
      type: 'feed',
      feedGroup: 'production-packages',
      permissions: ['view', 'promote'],
      expiration: '2099-12-31',
      description: '  release bot  ',
    });
    expect(created.keyText).toMatch(/^fgk_/);
    expect(created.key).toEqual({
      id: expect.any(Number),
      type: 'feed',
      description: 'release bot',
      feedGroup: 'production-packages',
      permissions: ['view', 'promote'],
      createdAt: expect.any(String),
      createdBy: `key ${admin.keyId} (system)`,
      expiration: '2099-12-31T00:00:00.000Z',
    });
    const keyId = created.key.id;

    const { keys } = await call<ChannelResult<'apikeys:list'>>('apikeys:list', { id });
    expect(keys.find((k) => k.id === keyId)).toEqual(created.key);
    expect(keys.find((k) => k.id === admin.keyId)).toMatchObject({
      type: 'system',
      fullControl: true,
      permissions: [],
    });

    expect(await call('apikeys:revoke', { id, keyId })).toEqual({ keyId, revoked: true });
    const after = await call<ChannelResult<'apikeys:list'>>('apikeys:list', { id });
    expect(after.keys.find((k) => k.id === keyId)?.revoked).toEqual(expect.any(String));

    const audit = await call<ChannelResult<'audit:list'>>('audit:list', { id, limit: 2 });
    expect(audit.entries.map((e) => e.summary)).toEqual([
      `revoked key ${keyId} "release bot"`,
      `created feed key ${keyId} "release bot"`,
    ]);
    expect(audit.next).toBe(audit.entries[1]?.id);
    const older = await call<ChannelResult<'audit:list'>>('audit:list', {
      id,
      before: audit.next,
    });
    expect(older.entries.at(-1)?.action).toBe('instance.init');

    expect(JSON.stringify(others)).not.toContain(created.keyText);
    expect(JSON.stringify(others)).not.toContain(admin.key);
  });

  it("answers the server's refusals and an unknown connection as refused, with the reason", async () => {
    const refused = async (channel: string, args: unknown) => {
      const response = await opened.api.invoke(channel, args);
      expect(response.ok).toBe(false);
      return (response as { error: { code: string; message: string } }).error;
    };
    expect(await refused('apikeys:create', { id, type: 'personal', user: 'mallory' })).toEqual({
      code: 'refused',
      message:
        'apikeys:create refused: the server refused the request: user: unknown user "mallory"',
    });
    expect((await refused('audit:list', { id: 'nope' })).code).toBe('refused');

    const feedKey = await call<ChannelResult<'apikeys:create'>>('apikeys:create', {
      id,
      type: 'feed',
      feed: 'Staging',
      permissions: ['view'],
    });
    const weak = await call<{ connection: { id: string } }>('connections:add-remote', {
      name: 'Weak',
      url: admin.server.base,
      apiKey: feedKey.keyText,
      keyStorage: 'memory',
    });
    expect(await refused('apikeys:list', { id: weak.connection.id })).toEqual({
      code: 'refused',
      message:
        "apikeys:list refused: access denied: the connection's key may not manage API keys (it needs full control, or a user with Admin_ConfigureProGet)",
    });
  });
});
