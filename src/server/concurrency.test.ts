// Concurrent writers against a real `feedgate server` process on 127.0.0.1: two other OS
// processes writing at once through the ProGet security API lose no update (every user and
// grant present, one audit entry and one revision per write), and of two v1 change sets sent
// on the same revision exactly one wins while the other gets 412 and succeeds once retried.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers/cli';
import {
  http,
  initializedDataDir,
  readAudit,
  serverProcessDir,
  startServerProcess,
  type AuditEntry,
  type ServerProcess,
} from '../../test/helpers/server-process';

const WRITER = path.join(ROOT, 'test/helpers/security-writer.mjs');
const PER_WRITER = 100;

const tmp = serverProcessDir();
let server: ServerProcess;
let auth: Record<string, string>;

beforeAll(async () => {
  const { dir, key } = await initializedDataDir(tmp.dir, 'data');
  auth = { 'X-ApiKey': key };
  server = await startServerProcess(['--data-dir', dir, '--port', '0']);
});

interface WriterReport {
  users: string[];
  permissions: number[];
  failures: string[];
}

/** Runs security-writer.mjs in its own process; resolves with its report. */
function runWriter(prefix: string): Promise<WriterReport> {
  const key = auth['X-ApiKey'] as string;
  const child = spawn(
    process.execPath,
    [WRITER, server.url, key, prefix, String(PER_WRITER), '4'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as WriterReport)
        : reject(new Error(`writer ${prefix} exited ${code}: ${err}`)),
    ),
  );
}

interface Snapshot {
  revision: number;
  users: { name: string }[];
  permissions: { user?: string; task: string }[];
}

const snapshot = async () =>
  (await http(server.url, '/api/feedgate/v1/snapshot', { headers: auth })).json as Snapshot;

describe('two writer processes at once', () => {
  it('lose no update: every user and grant is present, audited once, one revision each', async () => {
    const before = await snapshot();
    const auditBefore = (await readAudit(server.url, auth)).length;
    const [a, b] = await Promise.all([runWriter('proc-a'), runWriter('proc-b')]);
    for (const report of [a, b]) {
      expect(report.failures).toEqual([]);
      expect(report.users).toHaveLength(PER_WRITER);
      expect(report.permissions).toHaveLength(PER_WRITER);
    }
    const writes = 4 * PER_WRITER;

    const after = await snapshot();
    expect(after.revision).toBe(before.revision + writes);
    const names = new Set(after.users.map((u) => u.name));
    const granted = new Set(
      after.permissions.filter((p) => p.task === 'View & Download Packages').map((p) => p.user),
    );
    for (const name of [...a.users, ...b.users]) {
      expect(names.has(name), name).toBe(true);
      expect(granted.has(name), name).toBe(true);
    }
    const listed = (await http(server.url, '/api/security/permissions/list', { headers: auth }))
      .json as { id: number }[];
    const ids = new Set(listed.map((p) => p.id));
    const acknowledgedIds = [...a.permissions, ...b.permissions];
    expect(new Set(acknowledgedIds).size).toBe(acknowledgedIds.length);
    for (const id of acknowledgedIds) expect(ids.has(id), `permission ${id}`).toBe(true);

    const audit = (await readAudit(server.url, auth)).slice(auditBefore);
    expect(audit).toHaveLength(writes);
    const added = audit
      .filter((e) => e.action === 'security.users.add')
      .map((e) => JSON.stringify(e.detail));
    expect(added).toHaveLength(2 * PER_WRITER);
    for (const name of [...a.users, ...b.users])
      expect(
        added.some((d) => d.includes(`"${name}"`)),
        name,
      ).toBe(true);
    expect(audit.filter((e) => e.action === 'security.permissions.add')).toHaveLength(
      2 * PER_WRITER,
    );
    // Ids strictly increase: the log is in commit order, with no gap or duplicate.
    for (let i = 1; i < audit.length; i++)
      expect((audit[i] as AuditEntry).id).toBe((audit[i - 1] as AuditEntry).id + 1);
  }, 30_000);
});

describe('v1 changes with If-Match from two clients', () => {
  const addUser = (name: string) => ({
    operations: [{ op: 'add', kind: 'user', item: { name } }],
  });
  const postChanges = (body: unknown, revision: number) =>
    http(server.url, '/api/feedgate/v1/changes', {
      headers: { ...auth, 'If-Match': `"${revision}"` },
      body,
    });

  it('exactly one of two change sets on the same revision wins; the loser retries after re-reading', async () => {
    for (let round = 0; round < 5; round++) {
      const { revision } = await snapshot();
      const results = await Promise.all([
        postChanges(addUser(`race-a${round}`), revision),
        postChanges(addUser(`race-b${round}`), revision),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const winner = results.findIndex((r) => r.status === 200);
      expect(results[winner]?.json).toEqual({ revision: revision + 1, applied: 1 });
      expect(results[1 - winner]?.json).toMatchObject({ error: expect.any(String) });

      const reread = await snapshot();
      expect(reread.revision).toBe(revision + 1);
      const loser = `race-${winner === 0 ? 'b' : 'a'}${round}`;
      expect(reread.users.map((u) => u.name)).not.toContain(loser);
      const retry = await postChanges(addUser(loser), reread.revision);
      expect(retry.status, retry.text).toBe(200);

      const final = await snapshot();
      expect(final.revision).toBe(revision + 2);
      const names = final.users.map((u) => u.name);
      expect(names).toContain(`race-a${round}`);
      expect(names).toContain(`race-b${round}`);
    }
  }, 30_000);
});
