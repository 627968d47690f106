// `feedgate instance backup` as a subprocess of the built CLI, against a real server process
// on the data dir that keeps writing while the backup runs: the backup is a sound, complete,
// self-contained SQLite file (mode 0600) holding what the server had committed, and bad
// input is refused with exit 2 and nothing written.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { instanceRow, openDatabase, readPolicy } from '../../server/store/index';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import { tempDir } from '../../../test/helpers/cli';
import {
  http,
  initializedDataDir,
  killServerProcesses,
  startServerProcess,
} from '../../../test/helpers/server-process';

const tmp = tempDir();
afterAll(() => {
  killServerProcesses();
  tmp.cleanup();
});
const ADMIN_PASSWORD = 'backup-test-admin-password';

function inspectBackup(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      journalMode: db.pragma('journal_mode', { simple: true }),
      users: (
        db.prepare("SELECT name FROM principals WHERE kind = 'user'").all() as { name: string }[]
      ).map((r) => r.name),
      revision: instanceRow(db).revision,
    };
  } finally {
    db.close();
  }
}

// Each test spawns CLI and server processes: slow on a loaded machine.
describe('feedgate instance backup', { timeout: 60_000 }, () => {
  it('copies a served, busy instance: sound, self-contained, 0600, with every committed write', async () => {
    const { dir, key } = await initializedDataDir(tmp.dir, 'busy', ADMIN_PASSWORD);
    const server = await startServerProcess(['--data-dir', dir, '--port', '0']);
    const auth = { 'X-ApiKey': key };
    const addUser = async (name: string) => {
      const r = await http(server.url, '/api/security/users/add', {
        headers: auth,
        body: { name },
      });
      expect(r.status, r.text).toBe(200);
    };
    // Answered before the backup starts: committed, and (no checkpoint yet) still in the WAL.
    for (let i = 0; i < 20; i++) await addUser(`before-${i}`);
    expect(existsSync(path.join(dir, 'feedgate.db-wal'))).toBe(true);

    let writing = true;
    let during = 0;
    const writer = (async () => {
      while (writing) await addUser(`during-${during++}`);
    })();
    const out = path.join(tmp.dir, 'busy.db');
    const r = await feedgateAsync(['instance', 'backup', '--data-dir', dir, '--out', out]);
    writing = false;
    await writer;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Backed up ${dir} (policy revision `);
    expect(r.stdout).toContain(`to ${out}.`);

    expect(statSync(out).mode & 0o777).toBe(0o600);
    for (const side of ['-wal', '-shm', '-journal']) expect(existsSync(out + side)).toBe(false);
    const backup = inspectBackup(out);
    expect(backup.integrity).toBe('ok');
    expect(backup.journalMode).toBe('delete');
    for (let i = 0; i < 20; i++) expect(backup.users).toContain(`before-${i}`);
    // A consistent snapshot: the revision counts exactly the users it holds (one write each).
    const duringInBackup = backup.users.filter((u) => u.startsWith('during-')).length;
    expect(backup.revision).toBe(1 + 20 + duringInBackup);
    expect(during).toBeGreaterThan(0);

    // What a server opens: the backup reads as a valid policy through the store.
    const db = openDatabase(out, { migrate: false });
    try {
      expect(readPolicy(db).users.map((u) => u.name)).toEqual(expect.arrayContaining(['Admin']));
    } finally {
      db.close();
    }
    const bytes = readFileSync(out).toString('latin1');
    expect(bytes).not.toContain(key);
    expect(bytes).not.toContain(ADMIN_PASSWORD);

    // The server was never disturbed.
    expect((await http(server.url, '/api/feedgate/v1/snapshot', { headers: auth })).status).toBe(
      200,
    );
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('refuses an existing --out (exit 2) and leaves it untouched', async () => {
    const { dir } = await initializedDataDir(tmp.dir, 'exists', ADMIN_PASSWORD);
    const out = tmp.file('exists.db', 'precious');
    const r = await feedgateAsync(['instance', 'backup', '-d', dir, '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`feedgate: "${out}" already exists: choose another --out\n`);
    expect(readFileSync(out, 'utf8')).toBe('precious');
  });

  it('refuses a data dir without an instance and an --out in a missing directory (exit 2)', async () => {
    const empty = path.join(tmp.dir, 'no-instance');
    const none = await feedgateAsync([
      'instance',
      'backup',
      '-d',
      empty,
      '-o',
      path.join(tmp.dir, 'x.db'),
    ]);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(
      `feedgate: data dir "${empty}" holds no feedgate instance (no feedgate.db)\n`,
    );
    expect(existsSync(path.join(tmp.dir, 'x.db'))).toBe(false);

    const { dir } = await initializedDataDir(tmp.dir, 'nowhere', ADMIN_PASSWORD);
    const out = path.join(tmp.dir, 'missing-dir', 'b.db');
    const r = await feedgateAsync(['instance', 'backup', '-d', dir, '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`feedgate: cannot write "${out}": ${path.dirname(out)}: no such file\n`);
  });

  it('refuses a data dir whose feedgate.db is not a database (exit 2)', async () => {
    const dir = path.join(tmp.dir, 'garbage');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'feedgate.db'), 'not a database at all, just text'.repeat(200));
    const out = path.join(tmp.dir, 'garbage.db');
    const r = await feedgateAsync(['instance', 'backup', '-d', dir, '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not a SQLite database\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
