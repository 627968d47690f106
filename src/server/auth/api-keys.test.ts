import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../../../test/helpers/store';
import { initInstance } from '../instance/init';
import { openStore, writePolicy, readPolicy } from '../store/index';
import { storeVersion } from '../store/sql/instance';
import { revokeApiKey, removeApiKey, touchApiKey } from '../store/sql/api-keys';
import { withStore } from '../../../test/helpers/store';
import { ApiKeyCache, ApiKeyError, createApiKey, findApiKey } from './api-keys';

let store: TempStore | undefined;
afterEach(() => store?.cleanup());

async function instance() {
  store = tempStore();
  const dir = `${store.dir}/data`;
  await initInstance(dir, 'a-long-enough-password');
  const db = openStore(dir);
  const policy = readPolicy(db);
  writePolicy(db, {
    ...policy,
    feeds: [{ name: 'Production', feedType: 'nuget', access: 'private' }],
  });
  return db;
}

describe('createApiKey', () => {
  it('refuses ill-formed keys with a message naming the field', async () => {
    const db = await instance();
    const cases: [Parameters<typeof createApiKey>[1], RegExp][] = [
      [{ type: 'feed' }, /exactly one of feed and feedGroup/],
      [{ type: 'feed', feed: 'Production', feedGroup: 'x' }, /exactly one of feed and feedGroup/],
      [{ type: 'feed', feed: 'Nope' }, /^feed: unknown feed "Nope"$/],
      [
        { type: 'feed', feed: 'Production', packagePermissions: ['own' as 'add'] },
        /packagePermissions: unknown permission "own"/,
      ],
      [{ type: 'personal' }, /^user: a personal key needs/],
      [{ type: 'personal', user: 'ghost' }, /^user: unknown user "ghost" in directory "Built-in"$/],
      [{ type: 'system', feed: 'Production' }, /^feed applies to feed keys only/],
      [
        { type: 'feed', feed: 'Production', fullControl: true },
        /^fullControl applies to system keys only/,
      ],
      [{ type: 'system', expiration: 'tomorrow' }, /^expiration: "tomorrow" is not an ISO 8601/],
      [{ type: 'admin' as 'system' }, /^type: must be system, feed or personal/],
    ];
    for (const [info, message] of cases) expect(() => createApiKey(db, info)).toThrow(message);
    expect(() => createApiKey(db, { type: 'personal' })).toThrow(ApiKeyError);
    expect(db.prepare('SELECT count(*) AS n FROM api_keys').get()).toEqual({ n: 0 });
    db.close();
  });

  it('creates each type; lookups tell valid, unknown, revoked and expired apart', async () => {
    const db = await instance();
    const feed = createApiKey(db, {
      type: 'feed',
      feed: 'Production',
      packagePermissions: ['view'],
    });
    expect(feed.info).toMatchObject({
      type: 'feed',
      feed: 'Production',
      packagePermissions: ['view'],
      logging: 'none',
    });
    const personal = createApiKey(db, { type: 'personal', user: 'Admin', displayName: 'mine' });
    expect(personal.info).toMatchObject({ type: 'personal', user: 'Admin', displayName: 'mine' });
    expect(JSON.stringify(personal.info)).not.toContain(personal.key);
    expect(findApiKey(db, feed.key).status).toBe('valid');
    expect(findApiKey(db, `${feed.key.slice(0, -1)}x`).status).toBe('unknown');
    const soon = createApiKey(db, { type: 'system', expiration: new Date(Date.now() + 60_000) });
    expect(findApiKey(db, soon.key, new Date(Date.now() + 120_000)).status).toBe('expired');
    expect(() =>
      db.prepare("UPDATE api_keys SET full_control = 1 WHERE type = 'feed'").run(),
    ).toThrow(/full_control_system/);
    db.close();
  });
});

describe('ApiKeyCache', () => {
  it('refuses a key at once when another connection revokes or deletes it', async () => {
    const db = await instance();
    const dir = `${store?.dir}/data`;
    const keys = new ApiKeyCache(db);
    const revoked = createApiKey(db, { type: 'system', fullControl: true });
    const deleted = createApiKey(db, { type: 'feed', feed: 'Production' });
    expect(keys.find(revoked.key).status).toBe('valid');
    expect(keys.find(deleted.key).status).toBe('valid');
    withStore(dir, (other) => revokeApiKey(other, revoked.info.id, new Date().toISOString()));
    expect(keys.find(revoked.key).status).toBe('revoked');
    expect(keys.find(deleted.key).status).toBe('valid');
    withStore(dir, (other) => removeApiKey(other, deleted.info.id));
    expect(keys.find(deleted.key).status).toBe('unknown');
    expect(keys.find(`${revoked.key.slice(0, -1)}x`).status).toBe('unknown');
    expect(keys.find('not a key').status).toBe('unknown');
    db.close();
  });

  it('sees a key created by another connection, and a feed renamed by a policy write', async () => {
    const db = await instance();
    const dir = `${store?.dir}/data`;
    const keys = new ApiKeyCache(db);
    const feed = createApiKey(db, { type: 'feed', feed: 'Production' });
    expect(keys.find(feed.key)).toMatchObject({ status: 'valid', key: { feed: 'Production' } });
    const later = withStore(dir, (other) => createApiKey(other, { type: 'system' }));
    expect(keys.find(later.key).status).toBe('valid');
    // The row names its feed: a policy write (which bumps the revision) makes it read again.
    withStore(dir, (other) => {
      other.prepare("UPDATE feeds SET name = 'Prod'").run();
      writePolicy(other, readPolicy(other));
    });
    expect(keys.find(feed.key)).toMatchObject({ status: 'valid', key: { feed: 'Prod' } });
    db.close();
  });

  it('checks expiry on every lookup against the kept row', async () => {
    const db = await instance();
    const keys = new ApiKeyCache(db);
    const soon = createApiKey(db, { type: 'system', expiration: new Date(Date.now() + 60_000) });
    expect(keys.find(soon.key).status).toBe('valid');
    expect(keys.find(soon.key, new Date(Date.now() + 120_000)).status).toBe('expired');
    db.close();
  });

  it('recording last use is not a key change: the kept rows stay', async () => {
    const db = await instance();
    const key = createApiKey(db, { type: 'system' });
    const before = storeVersion(db);
    touchApiKey(db, key.info.id, new Date().toISOString());
    expect(storeVersion(db)).toEqual(before);
    revokeApiKey(db, key.info.id, new Date().toISOString());
    expect(storeVersion(db).apiKeysVersion).toBe(before.apiKeysVersion + 1);
    db.close();
  });
});
