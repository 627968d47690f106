// `feedgate policy import`, the real bundled CLI against a real instance on 127.0.0.1
// (--source URL --api-key KEY: no keychain needed).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import { startAdminTestInstance, type AdminTestInstance } from '../../../test/helpers/admin-server';
import { jsonPost } from '../../../test/helpers/server';

let admin: AdminTestInstance;
const tmp = tempDir();
const source = () => ['--source', admin.server.base, '--api-key', admin.key];

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
  tmp.cleanup();
});

type PolicyFile = {
  users: { name: string; groups?: string[] }[];
  permissions: { group?: string; task: string }[];
} & Record<string, unknown>;

async function snapshot(): Promise<{ revision: number; file: PolicyFile }> {
  const r = await admin.server.request('/api/feedgate/v1/snapshot', { headers: admin.auth });
  const { revision, ...file } = r.json as { revision: number } & PolicyFile;
  return { revision, file };
}

/** The server's policy with a new user NAME in Developers. */
async function withUser(name: string): Promise<string> {
  const { file } = await snapshot();
  file.users.push({ name, groups: ['Developers'] });
  return tmp.file(`${name}.json`, file);
}

const FORWARDED = ['x-apikey', 'authorization', 'content-type', 'if-match', 'if-none-match'];

/**
 * A pass-through in front of the instance that lets another client write just before it
 * passes on a POST of changes: the write lands between the CLI's read and its post, as when
 * two admins work at once. Everything else goes to the instance unchanged.
 */
async function relayWithWriteBeforeChanges(otherWrite: () => Promise<void>) {
  const relay = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        if (request.method === 'POST' && request.url?.startsWith('/api/feedgate/v1/changes'))
          await otherWrite();
        const headers: Record<string, string> = {};
        for (const name of FORWARDED) {
          const value = request.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const answer = await fetch(admin.server.base + (request.url ?? '/'), {
          method: request.method,
          headers,
          ...(chunks.length > 0 && { body: Buffer.concat(chunks) }),
        });
        const etag = answer.headers.get('etag');
        response.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
          ...(etag !== null && { etag }),
        });
        response.end(Buffer.from(await answer.arrayBuffer()));
      })();
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => relay.close(() => resolve())),
  };
}

describe('feedgate policy import', () => {
  it('--dry-run prints the diff and the access diff and changes nothing', async () => {
    const file = await withUser('dave');
    const before = await snapshot();
    const r = await feedgateAsync(['policy', 'import', file, ...source(), '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Structural changes:');
    expect(r.stdout).toContain('+ user dave');
    expect(r.stdout).toMatch(/Access changes: \d+ decisions? flips? for 1 user/);
    expect(r.stdout).toContain('+ granted');
    expect(r.stdout).toContain(
      `Dry run: nothing changed (${admin.server.base} is at revision ${before.revision}).`,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('applies the change set and bumps the revision', async () => {
    const file = await withUser('dave');
    const before = await snapshot();
    const r = await feedgateAsync(['policy', 'import', file, ...source()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('+ user dave');
    expect(r.stdout).toContain(
      `Imported 1 operation: revision ${before.revision} → ${before.revision + 1}.`,
    );
    const after = await snapshot();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.file.users.map((u) => u.name)).toContain('dave');
    const again = await feedgateAsync(['policy', 'import', file, ...source()]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Nothing to import');
    expect((await snapshot()).revision).toBe(after.revision);
  });

  it('a file that would lock out: exit 1 with the reason, nothing changed', async () => {
    const before = await snapshot();
    const file = structuredClone(before.file);
    file.permissions = file.permissions.filter((p) => p.task !== 'Administer');
    const path = tmp.file('lockout.json', file);
    const r = await feedgateAsync(['policy', 'import', path, ...source()]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('- revoked');
    expect(r.stderr).toMatch(
      /^feedgate: refused: after this change set no user of the active directory/,
    );
    expect(r.stderr).toContain('allowLockout');
    expect(await snapshot()).toEqual(before);
  });

  it('a bad file: exit 2, nothing sent', async () => {
    const file = await withUser('frank');
    const before = await snapshot();
    const logs = admin.server.logs.length;
    const bad = tmp.file('bad.json', { format: 'feedgate-policy/1', users: [{ name: '' }] });
    const r = await feedgateAsync(['policy', 'import', bad, ...source()]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('is not a valid policy');
    const missing = await feedgateAsync(['policy', 'import', `${tmp.dir}/none.json`, ...source()]);
    expect(missing.status).toBe(2);
    const unknown = await feedgateAsync(['policy', 'import', file, ...source(), '--dryrun']);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(admin.server.logs.length).toBe(logs);
    expect(await snapshot()).toEqual(before);
  });

  it('a wrong key: exit 1, "access denied", never the key text', async () => {
    const wrong = 'Wrong-Import-Key-Needle-91b7';
    const file = await withUser('erin');
    const before = await snapshot();
    const r = await feedgateAsync([
      'policy',
      'import',
      file,
      '--source',
      admin.server.base,
      '--api-key',
      wrong,
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('feedgate: access denied (check the API key)\n');
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(await snapshot()).toEqual(before);
  });

  it('the policy changed between the read and the post: exit 1 (412), the other write kept', async () => {
    const file = await withUser('gina');
    const before = await snapshot();
    const relay = await relayWithWriteBeforeChanges(async () => {
      const other = await admin.server.request(
        '/api/security/users/add',
        jsonPost({ name: 'hugo' }, admin.auth),
      );
      expect(other.status, other.text).toBe(200);
    });
    try {
      const r = await feedgateAsync([
        'policy',
        'import',
        file,
        '--source',
        relay.url,
        '--api-key',
        admin.key,
      ]);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('+ user gina');
      expect(r.stderr).toMatch(/^feedgate: .*the policy changed on the server since it was read/);
    } finally {
      await relay.close();
    }
    const after = await snapshot();
    expect(after.revision).toBe(before.revision + 1); // the other client's write only
    const names = after.file.users.map((u) => u.name);
    expect(names).toContain('hugo');
    expect(names).not.toContain('gina');
    // Read again, then import: gina arrives (and the file, without hugo, removes him).
    const retry = await feedgateAsync(['policy', 'import', file, ...source()]);
    expect(retry.status).toBe(0);
    expect((await snapshot()).file.users.map((u) => u.name)).toContain('gina');
  }, 30_000);

  it('a lockout file is refused (exit 1), then applied with --allow-lockout', async () => {
    const before = await snapshot();
    const file = structuredClone(before.file);
    file.permissions = file.permissions.filter((p) => p.task !== 'Administer');
    const path = tmp.file('lockout-allowed.json', file);
    const refused = await feedgateAsync(['policy', 'import', path, ...source()]);
    expect(refused.status).toBe(1);
    expect((await snapshot()).revision).toBe(before.revision);

    const allowed = await feedgateAsync(['policy', 'import', path, ...source(), '--allow-lockout']);
    expect(allowed.stderr).toBe('');
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain(`revision ${before.revision} → ${before.revision + 1}`);
    const after = await snapshot();
    expect(after.file.permissions.some((p) => p.task === 'Administer')).toBe(false);
    const audit = await admin.server.request('/api/feedgate/v1/audit?limit=1000', {
      headers: admin.auth,
    });
    const last = (audit.json as { entries: { action: string; detail: object }[] }).entries.at(-1);
    expect(last).toMatchObject({ action: 'policy.change', detail: { lockoutAccepted: true } });
    // The full-control key still works: the instance can be given an administrator back.
    const restore = await feedgateAsync([
      'policy',
      'import',
      tmp.file('restore.json', before.file),
      ...source(),
    ]);
    expect(restore.status).toBe(0);
    const restored = (await snapshot()).file.permissions;
    expect(restored).toHaveLength(before.file.permissions.length);
    expect(restored).toEqual(expect.arrayContaining(before.file.permissions));
  }, 30_000);
});
