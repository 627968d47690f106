// A connection's API keys against a real instance over HTTP on 127.0.0.1 (the connection's
// key kept in memory): create each type, the key text answered once and never listed, the new
// key working until it is revoked, the server's refusals, and a key that may not manage keys.
import { describe, expect, it } from 'vitest';
import { remoteFailure, useConnectedInstance } from '../../test/helpers/remote-connection';
import { createKey, keyDescription, listKeys, revokeKey } from './api-keys';

const instance = useConnectedInstance();

const status = async (key: string, target = '/api/api-keys/list') =>
  (await instance().admin.server.request(target, { headers: { 'X-ApiKey': key } })).status;

describe('API keys of a connection', () => {
  it('creates a feed key whose text is answered once, works at once and stops working when revoked', async () => {
    const { admin, connections, id } = instance();
    const { info, text } = await createKey(connections, id, {
      type: 'feed',
      scope: { feed: 'Staging' },
      permissions: ['view', 'add'],
      description: 'CI upload',
      expiration: '2099-01-01',
    });
    expect(text).toMatch(/^fgk_/);
    expect(info).toMatchObject({
      type: 'feed',
      feed: 'Staging',
      packagePermissions: ['view', 'add'],
      description: 'CI upload',
      expiration: '2099-01-01T00:00:00.000Z',
      createdBy: `key ${admin.keyId} (system)`,
    });
    expect(JSON.stringify(info)).not.toContain(text);
    expect(keyDescription(info)).toBe('CI upload');

    // A feed key may view its feed, and is refused by the admin APIs.
    expect(await status(text, '/feeds/Staging/packages')).toBe(200);
    expect(await status(text)).toBe(403);

    const listed = await listKeys(connections, id);
    expect(listed.find((k) => k.id === info.id)).toMatchObject({ description: 'CI upload' });
    expect(JSON.stringify(listed)).not.toMatch(/fgk_|"key"/);

    expect(await revokeKey(connections, id, info.id)).toEqual({ id: info.id, revoked: true });
    // Package endpoints answer wrong credentials with 401 (docs/packages.md).
    expect(await status(text, '/feeds/Staging/packages')).toBe(401);
    expect((await listKeys(connections, id)).find((k) => k.id === info.id)?.revoked).toEqual(
      expect.any(String),
    );
    expect(await revokeKey(connections, id, info.id)).toEqual({ id: info.id, revoked: false });
  });

  it('creates a full-control system key and a personal key', async () => {
    const { connections, id } = instance();
    const system = await createKey(connections, id, { type: 'system', description: 'ops' });
    expect(system.info).toMatchObject({ type: 'system', fullControl: true });
    expect(await status(system.text)).toBe(200);
    const personal = await createKey(connections, id, { type: 'personal', user: 'alice' });
    expect(personal.info).toMatchObject({ type: 'personal', user: 'alice' });
    expect(keyDescription(personal.info)).toBeUndefined();
    const group = await createKey(connections, id, {
      type: 'feed',
      scope: { feedGroup: 'production-packages' },
      permissions: ['promote'],
    });
    expect(group.info).toMatchObject({ feedGroup: 'production-packages' });
  });

  it("answers the server's refusal with its reason, and a key that may not manage keys with the right it lacks", async () => {
    const { connections, id, connect } = instance();
    const unknownFeed = await remoteFailure(() =>
      createKey(connections, id, { type: 'feed', scope: { feed: 'Nope' }, permissions: ['view'] }),
    );
    expect(unknownFeed.kind).toBe('rejected');
    expect(unknownFeed.message).toBe('the server refused the request: feed: unknown feed "Nope"');
    const past = await remoteFailure(() =>
      createKey(connections, id, { type: 'system', expiration: '2001-01-01' }),
    );
    expect(past.message).toBe('the server refused the request: expiration: is in the past');

    const feedKey = await createKey(connections, id, {
      type: 'feed',
      scope: { feed: 'Staging' },
      permissions: ['view'],
    });
    const weakId = await connect('FeedKeyOnly', feedKey.text);
    const denied = await remoteFailure(() => listKeys(connections, weakId));
    expect(denied.kind).toBe('access-denied');
    expect(denied.message).toBe(
      "access denied: the connection's key may not manage API keys (it needs full control, or a user with Admin_ConfigureProGet)",
    );
    expect(denied.message).not.toContain(feedKey.text);
  });
});
