// `feedgate policy export`, the real bundled CLI against a real instance on 127.0.0.1
// (--source URL --api-key KEY: no keychain needed).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../../../test/helpers/cli';
import { closedPort, feedgateAsync } from '../../../test/helpers/cli-async';
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

/** A loopback port nothing listens on (bound, then released). */
async function snapshot(): Promise<Record<string, unknown>> {
  const r = await admin.server.request('/api/feedgate/v1/snapshot', { headers: admin.auth });
  return r.json as Record<string, unknown>;
}

describe('feedgate policy export', () => {
  it('prints the snapshot as a JSON policy file (without the revision) on stdout', async () => {
    const r = await feedgateAsync(['policy', 'export', ...source()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { revision, ...file } = await snapshot();
    expect(typeof revision).toBe('number');
    expect(JSON.parse(r.stdout)).toEqual(file);
  });

  it('round-trips: the exported file imports as "no change" (JSON and YAML)', async () => {
    const json = tmp.file('out.json', '');
    const yaml = tmp.file('out.yaml', '');
    for (const out of [json, yaml]) {
      const r = await feedgateAsync(['policy', 'export', ...source(), '--output', out]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Exported revision \d+ of http:\/\/127\.0\.0\.1:\d+ to /);
      const back = await feedgateAsync(['policy', 'import', out, ...source(), '--dry-run']);
      expect(back.status).toBe(0);
      expect(back.stdout).toContain('Structural changes: none');
      expect(back.stdout).toContain('Access changes: none');
    }
    expect(parse(readFileSync(yaml, 'utf8'))).toEqual(JSON.parse(readFileSync(json, 'utf8')));
    const forced = await feedgateAsync(['policy', 'export', ...source(), '--format', 'yaml']);
    expect(parse(forced.stdout)).toEqual(JSON.parse(readFileSync(json, 'utf8')));
  });

  it('a wrong key: exit 1, "access denied", never the key text', async () => {
    const wrong = 'Wrong-Key-Needle-5e2a9';
    const r = await feedgateAsync([
      'policy',
      'export',
      '--source',
      admin.server.base,
      '--api-key',
      wrong,
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('feedgate: access denied (check the API key)\n');
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  it('an unreachable URL: exit 3, "cannot reach URL: reason"', async () => {
    const port = await closedPort();
    const r = await feedgateAsync([
      'policy',
      'export',
      '--source',
      `http://127.0.0.1:${port}`,
      '--api-key',
      'k',
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`feedgate: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`);
  });

  it('a server that is not an instance (404): exit 3', async () => {
    const r = await feedgateAsync([
      'policy',
      'export',
      '--source',
      `${admin.server.base}/nothing-here`,
      '--api-key',
      admin.key,
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('is not a feedgate instance');
    expect(r.stderr).not.toContain(admin.key);
  });

  it('bad options: exit 2, nothing sent', async () => {
    const before = admin.server.logs.length;
    for (const args of [
      ['--format', 'xml'],
      ['--bogus'],
      ['--source', 'ftp://example.org'],
      ['--source', 'no-such-source'],
    ]) {
      const r = await feedgateAsync(['policy', 'export', '--api-key', 'k', ...args], {
        FEEDGATE_CONFIG_DIR: tmp.dir,
      });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(admin.server.logs.length).toBe(before);
  });
});
