// `feedgate instance restore` as a subprocess of the built CLI, on real SQLite data dirs and a
// real server process: a backup comes back in place and serves again (keys and all), the
// previous database is kept aside, a served data dir is refused, and a file that is not a
// sound feedgate database is refused before anything in the data dir changes.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  auditAfter,
  instanceRow,
  openStore,
  readPolicy,
  writePolicy,
} from '../../server/store/index';
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
let count = 0;
const ADMIN_PASSWORD = 'restore-test-admin-password';

/** An instance with a user `kept`, and a backup of it taken at that point. */
async function instanceWithBackup() {
  const { dir, key } = await initializedDataDir(tmp.dir, `instance-${++count}`, ADMIN_PASSWORD);
  setUsers(dir, ['kept']);
  const backup = path.join(tmp.dir, `backup-${count}.db`);
  const r = await feedgateAsync(['instance', 'backup', '-d', dir, '-o', backup]);
  expect(r.status, r.stderr).toBe(0);
  return { dir, key, backup };
}

/** Replaces the users other than Admin (one write: one revision). */
function setUsers(dir: string, names: string[]): void {
  const db = openStore(dir);
  try {
    const policy = readPolicy(db);
    const admin = policy.users.filter((u) => u.name === 'Admin');
    writePolicy(db, {
      ...policy,
      users: [...admin, ...names.map((name) => ({ name, groups: [] }))],
    });
  } finally {
    db.close();
  }
}

function state(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const users = db.prepare("SELECT name FROM principals WHERE kind = 'user' ORDER BY name").all();
    return {
      revision: instanceRow(db).revision,
      users: (users as { name: string }[]).map((u) => u.name),
    };
  } finally {
    db.close();
  }
}

const restore = (dir: string, from: string) =>
  feedgateAsync(['instance', 'restore', '--data-dir', dir, '--from', from]);

// Each test spawns several CLI and server processes: slow on a loaded machine.
describe('feedgate instance restore', { timeout: 60_000 }, () => {
  it('puts a backup back, keeps the previous database aside, and the instance serves it', async () => {
    const { dir, key, backup } = await instanceWithBackup();
    setUsers(dir, ['added-after-the-backup']);
    const db = path.join(dir, 'feedgate.db');
    const before = state(db);
    expect(before.users).toContain('added-after-the-backup');

    const r = await restore(dir, backup);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Restored ${dir} from ${backup} (policy revision 2).`);
    const aside = /kept as (\S+) \(/.exec(r.stdout)?.[1] as string;
    expect(path.dirname(aside)).toBe(dir);
    expect(state(aside)).toEqual(before);
    expect(state(db)).toEqual({ revision: 2, users: ['Admin', 'kept'] });
    const restored = openStore(dir, { migrate: false });
    try {
      expect(auditAfter(restored).at(-1)).toMatchObject({
        actor: 'feedgate instance restore',
        action: 'instance.restore',
        detail: { from: backup, revision: 2, previous: aside },
      });
    } finally {
      restored.close();
    }
    // No copy or lock left behind (the aside keeps its -wal and -shm, if any, beside it).
    expect(
      readdirSync(dir).filter((f) => f !== 'feedgate.db' && !f.startsWith(path.basename(aside))),
    ).toEqual([]);

    const server = await startServerProcess(['--data-dir', dir, '--port', '0']);
    const snapshot = await http(server.url, '/api/feedgate/v1/snapshot', {
      headers: { 'X-ApiKey': key },
    });
    expect(snapshot.status).toBe(200);
    expect(snapshot.json).toMatchObject({ revision: 2 });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('restores into a data dir that does not exist yet', async () => {
    const { backup } = await instanceWithBackup();
    const dir = path.join(tmp.dir, 'fresh', 'data');
    const r = await restore(dir, backup);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('kept as');
    expect(state(path.join(dir, 'feedgate.db')).users).toEqual(['Admin', 'kept']);
  });

  it('is refused (exit 1) while a server serves the data dir, which stays as it was', async () => {
    const { dir, key, backup } = await instanceWithBackup();
    setUsers(dir, ['live']);
    const server = await startServerProcess(['--data-dir', dir, '--port', '0']);
    const r = await restore(dir, backup);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`feedgate: another feedgate server (pid ${server.child.pid}`);
    expect(r.stderr).toContain('stop it first');
    const users = await http(server.url, '/api/security/users/list', {
      headers: { 'X-ApiKey': key },
    });
    expect((users.json as { name: string }[]).map((u) => u.name)).toContain('live');
    expect(readdirSync(dir).filter((f) => f.includes('restore'))).toEqual([]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  describe('refuses a FILE that is not a sound feedgate database (exit 2), changing nothing', () => {
    async function refused(make: (backup: string) => string, message: RegExp) {
      const { dir, backup } = await instanceWithBackup();
      const db = path.join(dir, 'feedgate.db');
      const bytes = readFileSync(db);
      const r = await restore(dir, make(backup));
      expect(r.status, r.stdout).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(readFileSync(db).equals(bytes)).toBe(true);
      expect(readdirSync(dir)).toEqual(['feedgate.db']);
    }

    it('a missing file, a directory, a text file', async () => {
      await refused(
        () => path.join(tmp.dir, 'nope.db'),
        /cannot read backup ".*nope\.db": no such file/,
      );
      await refused(() => tmp.dir, /backup ".*" is not a file/);
      await refused(
        () => tmp.file('text.db', 'hello '.repeat(1000)),
        /backup ".*text\.db" is not a SQLite database; nothing was changed/,
      );
    });

    it('a SQLite database of something else', async () => {
      await refused(() => {
        const file = path.join(tmp.dir, 'other.db');
        const other = new Database(file);
        other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
        other.close();
        return file;
      }, /backup ".*other\.db" is not a feedgate instance database; nothing was changed/);
    });

    it('a database with a migration this version does not know, or one edited after it was applied', async () => {
      const altered = (sql: string) => (backup: string) => {
        const file = `${backup}.${++count}.altered`;
        writeFileSync(file, readFileSync(backup));
        const db = new Database(file);
        db.exec(sql);
        db.close();
        return file;
      };
      await refused(
        altered(
          "INSERT INTO schema_migrations (id, name, hash, applied_at) VALUES (99, 'future', 'x', '2030-01-01')",
        ),
        /migration 99 \(future\) is applied to this database but unknown to this version/,
      );
      await refused(
        altered("UPDATE schema_migrations SET hash = 'edited' WHERE id = 1"),
        /is not usable: migration 1 \(.*\) was edited after it was applied/,
      );
    });

    it('a damaged database (integrity check)', async () => {
      await refused((backup) => {
        const file = `${backup}.damaged`;
        const bytes = readFileSync(backup);
        // Page 1 (the header and schema) intact; every later page overwritten.
        const pageSize = bytes.readUInt16BE(16);
        bytes.fill(0x5a, pageSize);
        writeFileSync(file, bytes);
        return file;
      }, /backup ".*\.damaged" failed its integrity check: .+; nothing was changed/);
    });
  });

  it('leaves no data dir behind when a restore into a new one is refused', async () => {
    const dir = path.join(tmp.dir, 'never-created');
    const r = await restore(dir, tmp.file('junk.db', 'junk'.repeat(500)));
    expect(r.status).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('package files', { timeout: 90_000 }, () => {
  it('travel with the backup (FILE.packages) and come back with the restore', async () => {
    const { dir, key } = await initializedDataDir(tmp.dir, 'with-packages', ADMIN_PASSWORD);
    const db = openStore(dir);
    try {
      const policy = readPolicy(db);
      writePolicy(db, {
        ...policy,
        feeds: [...policy.feeds, { name: 'Staging', feedType: 'universal', access: 'private' }],
      });
    } finally {
      db.close();
    }
    const auth = { 'X-ApiKey': key };
    const contents = {
      'app/1.0.0': 'first package body',
      'app/2.0.0': 'second, longer package body',
    };
    const server = await startServerProcess(['--data-dir', dir, '--port', '0']);
    for (const [at, body] of Object.entries(contents)) {
      const r = await fetch(`${server.url}/feeds/Staging/packages/${at}`, {
        method: 'PUT',
        headers: auth,
        body,
      });
      expect(r.status, await r.text()).toBe(201);
    }
    const backup = path.join(tmp.dir, 'with-packages.db');
    const made = await feedgateAsync(['instance', 'backup', '-d', dir, '-o', backup]);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain(`Its 2 package files (45 bytes) are in ${backup}.packages`);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const copied = readdirSync(`${backup}.packages`, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'))
      .sort();
    expect(copied).toEqual(Object.values(contents).sort());

    const restoredDir = path.join(tmp.dir, 'restored-with-packages');
    const r = await restore(restoredDir, backup);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Its 2 package files are in ${restoredDir}/packages.`);
    const again = await startServerProcess(['--data-dir', restoredDir, '--port', '0']);
    for (const [at, body] of Object.entries(contents)) {
      const download = await fetch(`${again.url}/feeds/Staging/packages/${at}`, { headers: auth });
      expect(download.status).toBe(200);
      expect(await download.text()).toBe(body);
    }
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);

    // A backup whose package files are not all there is refused before anything changes.
    const [first] = readdirSync(`${backup}.packages`, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    rmSync(first as string);
    const incomplete = path.join(tmp.dir, 'incomplete');
    const refused = await restore(incomplete, backup);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('refers to 2 package files, but');
    expect(refused.stderr).toContain('is missing or of the wrong size; nothing was changed');
    expect(existsSync(incomplete)).toBe(false);
  });
});
