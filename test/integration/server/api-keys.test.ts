// /api/api-keys/ over real HTTP on 127.0.0.1: list, create (key text once), delete (revoke);
// 400s naming the field; 403 for feed keys and non-admin personal keys; key text never in a
// list, the database files, the log or the audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/server/auth/api-keys';
import { auditAfter, policyRevision } from '../../../src/server/store/index';
import {
  jsonPost,
  startTestInstance,
  writePromoteExample,
  type TestInstance,
} from '../../helpers/server';
import { storedBytes } from '../../helpers/stored-bytes';

let server: TestInstance;
let auth: Record<string, string>;

beforeAll(async () => {
  server = await startTestInstance();
  await writePromoteExample(server.db);
  auth = { 'X-ApiKey': createApiKey(server.db, { type: 'system', fullControl: true }).key };
});
afterAll(() => server.close());

const create = (body: unknown, headers = auth) =>
  server.request('/api/api-keys/create', jsonPost(body, headers));
const listKeys = (headers = auth) => server.request('/api/api-keys/list', { headers });
const revoke = (id: unknown, headers = auth) =>
  server.request(`/api/api-keys/delete?id=${String(id)}`, { method: 'POST', headers });

describe('API keys', () => {
  it('creates system, feed and personal keys; the key text is returned once and stored nowhere', async () => {
    const revision = policyRevision(server.db);
    const system = await create({
      type: 'system',
      displayName: 'CI',
      fullControl: true,
      logging: 'request',
    });
    expect(system.status).toBe(200);
    const sys = system.json as { id: number; key: string };
    expect(sys).toMatchObject({
      type: 'system',
      displayName: 'CI',
      fullControl: true,
      logging: 'request',
    });
    expect(sys.key).toMatch(/^fgk_/);
    const feed = await create({
      type: 'feed',
      feed: 'Staging',
      packagePermissions: ['view', 'add'],
      expiration: '2099-01-01T00:00:00Z',
    });
    expect(feed.json).toMatchObject({
      type: 'feed',
      feed: 'Staging',
      packagePermissions: ['view', 'add'],
      expiration: '2099-01-01T00:00:00.000Z',
      key: expect.stringMatching(/^fgk_/),
    });
    const group = await create({
      type: 'feed',
      feedGroup: 'production-packages',
      packagePermissions: ['promote'],
    });
    expect(group.json).toMatchObject({ feedGroup: 'production-packages' });
    const personal = await create({ type: 'personal', user: 'alice', description: 'laptop' });
    expect(personal.json).toMatchObject({ type: 'personal', user: 'alice', description: 'laptop' });
    expect(policyRevision(server.db)).toBe(revision); // keys are not policy

    const texts = [system, feed, group, personal].map((r) => (r.json as { key: string }).key);
    const listed = await listKeys();
    expect(listed.status).toBe(200);
    const infos = listed.json as { id: number; createdBy?: string }[];
    expect(infos.map((k) => k.id)).toContain(sys.id);
    // Who created each key: the caller's actor, as in the audit.
    expect(infos.find((k) => k.id === sys.id)?.createdBy).toMatch(/^key \d+ \(system\)$/);
    expect(listed.text).not.toMatch(/"key"|keyHash|fgk_/);
    for (const text of texts) {
      expect(storedBytes(server.dir)).not.toContain(text);
      expect(server.logs.join('\n')).not.toContain(text);
      expect(JSON.stringify(auditAfter(server.db))).not.toContain(text);
    }
    const audit = auditAfter(server.db).filter((a) => a.action === 'api-keys.create');
    expect(audit.map((a) => a.detail)).toContainEqual({ id: sys.id, type: 'system' });
    // The new system key works.
    expect((await listKeys({ 'X-ApiKey': sys.key })).status).toBe(200);
  });

  it('delete revokes: the key stops working; an unknown or revoked id is a 200 without a change', async () => {
    const { id, key } = (await create({ type: 'system', fullControl: true })).json as {
      id: number;
      key: string;
    };
    expect((await listKeys({ 'X-ApiKey': key })).status).toBe(200);
    const r = await revoke(id);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ id, revoked: true });
    expect((await listKeys({ 'X-ApiKey': key })).status).toBe(403);
    const info = ((await listKeys()).json as { id: number; revoked?: string }[]).find(
      (k) => k.id === id,
    );
    expect(info?.revoked).toEqual(expect.any(String));
    expect((await revoke(id)).json).toEqual({ id, revoked: false });
    expect((await revoke(999999)).json).toEqual({ id: 999999, revoked: false });
    expect(auditAfter(server.db).filter((a) => a.action === 'api-keys.revoke')).toHaveLength(1);
  });

  it('refuses bad bodies with 400 naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^type is required$/],
      [{ type: 'admin' }, /^type: must be system, feed or personal$/],
      [{ type: 'feed', packagePermissions: ['view'] }, /exactly one of feed and feedGroup/],
      [
        { type: 'feed', feed: 'Staging', feedGroup: 'production-packages' },
        /exactly one of feed and feedGroup/,
      ],
      [{ type: 'feed', feed: 'Nope' }, /^feed: unknown feed "Nope"$/],
      [{ type: 'feed', feedGroup: 'Nope' }, /^feedGroup: unknown feedGroup "Nope"$/],
      [
        { type: 'feed', feed: 'Staging', packagePermissions: ['overwrite'] },
        /^packagePermissions\[0\]: /,
      ],
      [{ type: 'personal' }, /^user: a personal key needs the user/],
      [{ type: 'personal', user: 'mallory' }, /^user: unknown user "mallory"$/],
      [{ type: 'personal', user: 'Anonymous' }, /^user: unknown user "Anonymous"$/],
      [{ type: 'system', feed: 'Staging' }, /^feed applies to feed keys only/],
      [{ type: 'system', expiration: 'tomorrow' }, /^expiration: must be an ISO 8601 date/],
      [{ type: 'system', expiration: '2001-01-01' }, /^expiration: is in the past$/],
      [{ type: 'system', key: 'fgk_mine' }, /^key: the key text is generated by the server/],
      [{ type: 'system', logging: 'all' }, /^logging: must be none, request, response or both$/],
      [{ type: 'system', colour: 'red' }, /^unknown field "colour"$/],
    ];
    const before = ((await listKeys()).json as unknown[]).length;
    for (const [body, message] of cases) {
      const r = await create(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.json as { error: string }).error, JSON.stringify(body)).toMatch(message);
    }
    expect(((await listKeys()).json as unknown[]).length).toBe(before);
    expect((await revoke('abc')).status).toBe(400);
  });

  it('feed keys and non-admin personal keys get 403 on every key endpoint', async () => {
    const feedKey = createApiKey(server.db, {
      type: 'feed',
      feed: 'Staging',
      packagePermissions: ['view'],
    }).key;
    const personal = createApiKey(server.db, { type: 'personal', user: 'alice' }).key;
    const before = ((await listKeys()).json as unknown[]).length;
    for (const key of [feedKey, personal]) {
      const headers = { 'X-ApiKey': key };
      expect((await listKeys(headers)).status).toBe(403);
      expect((await create({ type: 'system', fullControl: true }, headers)).status).toBe(403);
      expect((await revoke(1, headers)).status).toBe(403);
    }
    expect(((await listKeys()).json as unknown[]).length).toBe(before);
    // carol is in Administrators: her personal key may manage keys.
    const carol = createApiKey(server.db, { type: 'personal', user: 'carol' }).key;
    const r = await create({ type: 'feed', feed: 'Staging' }, { 'X-ApiKey': carol });
    expect(r.status).toBe(200);
    expect(
      [...auditAfter(server.db)].reverse().find((a) => a.action === 'api-keys.create')?.actor,
    ).toBe('Built-in/carol');
  });
});
