// `feedgate policy import`, the real bundled CLI against a real instance on 127.0.0.1
// (--source URL --api-key KEY: no keychain needed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import { startAdminTestInstance, type AdminTestInstance } from '../../../test/helpers/admin-server';

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
});
