// `feedgate recover reset-directory` as a real subprocess of the built CLI: the lockout story
// end to end against a real `feedgate server` process over HTTP on 127.0.0.1 (locked out by a
// change set with allowLockout and a forced directory switch, recovered while the server
// runs, then again once it is stopped), the generated password shown once, and exit codes.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/auth/api-keys';
import { verifyPassword } from '../../server/auth/passwords';
import {
  addDirectory,
  openStore,
  readPolicy,
  setActiveDirectory,
  setUserEnabled,
  userCredentials,
  writePolicy,
  type Db,
  type UserCredentials,
} from '../../server/store/index';
import { bumpRevision } from '../../server/store/sql/instance';
import { ROOT, feedgate, tempDir } from '../../../test/helpers/cli';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import {
  http,
  initializedDataDir,
  killServerProcesses,
  readAudit,
  startServerProcess,
} from '../../../test/helpers/server-process';
import { storedBytes } from '../../../test/helpers/stored-bytes';

const tmp = tempDir();
afterAll(() => {
  killServerProcesses();
  tmp.cleanup();
});
const NO_ENV = { FEEDGATE_ADMIN_PASSWORD: undefined };
const ADMINS_GRANT = 'group:Administrators|Administer|global|allow';

function withStore<T>(dir: string, use: (db: Db) => T): T {
  const db = openStore(dir);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** What recovery must keep: every grant, key and directory row (minus what using them touches). */
const keptRows = (db: Db) => ({
  permissions: db.prepare('SELECT * FROM permissions ORDER BY id').all(),
  apiKeys: db
    .prepare('SELECT * FROM api_keys ORDER BY id')
    .all()
    .map((row) => ({ ...(row as object), last_used_at: undefined })),
  // Every column but the active flag: the LDAP configuration, whatever columns hold it.
  directories: db
    .prepare('SELECT * FROM directories ORDER BY id')
    .all()
    .map((row) => ({ ...(row as object), active: undefined })),
});

const adminAuth = (password: string) => ({ 'X-ApiKey': `Admin:${password}` });

describe('feedgate recover reset-directory', { timeout: 30_000 }, () => {
  it('the lockout story: locked out by allowLockout and a forced switch, recovered while the server runs, every grant, key and directory kept', async () => {
    const { dir, key } = await initializedDataDir(tmp.dir, 'story', 'story-initial-password');
    const personalKey = withStore(dir, (db) => {
      addDirectory(db, 'Corp LDAP', 'ldap');
      // Tasks and feeds are instance-wide: the other directory's policy lists them too.
      writePolicy(db, {
        ...readPolicy(db, 'Built-in'),
        directory: 'Corp LDAP',
        users: [{ name: 'dora', groups: [] }],
        groups: [],
        permissions: [{ user: 'dora', task: 'View & Download Packages', deny: false }],
      });
      return createApiKey(db, { type: 'personal', user: 'Admin', directory: 'Built-in' }).key;
    });
    const server = await startServerProcess(['--data-dir', dir, '--port', '0']);
    const auth = { 'X-ApiKey': key };
    const asAdmin = (headers: Record<string, string>) =>
      http(server.url, '/api/security/permissions/list', { headers });
    expect((await asAdmin(adminAuth('story-initial-password'))).status).toBe(200);

    // The lockout, accepted explicitly twice: the grant goes, then a switch to a directory without an admin.
    const snapshot = await http(server.url, '/api/feedgate/v1/snapshot', { headers: auth });
    const removed = await http(server.url, '/api/feedgate/v1/changes', {
      headers: { ...auth, 'if-match': snapshot.etag as string },
      body: {
        allowLockout: true,
        operations: [{ op: 'remove', kind: 'permission', key: ADMINS_GRANT }],
      },
    });
    expect(removed.status, removed.text).toBe(200);
    expect((await asAdmin(adminAuth('story-initial-password'))).status).toBe(403);
    expect((await asAdmin({ 'X-ApiKey': personalKey })).status).toBe(403);
    // Sign-ins while an LDAP directory is active are the LDAP directory's business (this one
    // has no settings): only the switch itself matters here.
    const switched = await http(server.url, '/api/feedgate/v1/directories/active', {
      method: 'PUT',
      headers: auth,
      body: { name: 'Corp LDAP', force: true },
    });
    expect(switched.status, switched.text).toBe(200);
    expect(switched.json).toMatchObject({ name: 'Corp LDAP', changed: true });
    const before = withStore(dir, keptRows);

    // Recovery as the operator runs it, on the machine, while the server keeps serving.
    const password = 'Recovered-Story-Password-1';
    const r = await feedgateAsync(
      ['recover', 'reset-directory', '--data-dir', dir, '--password', password],
      NO_ENV,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('made directory "Built-in" active (was "Corp LDAP")');
    expect(r.stdout).toContain(
      'added grant "group Administrators · Administer · global (permission)"',
    );
    expect(r.stdout).toContain('No grant, directory or API key was removed.');
    expect(r.stdout).toContain('Admin password: the one given by --password (not shown).');
    expect(r.stdout).toContain(
      `The running server (pid ${server.child.pid}) applies this at its next request`,
    );
    expect(r.stdout).not.toContain(password);

    // The running server sees it at once: Admin signs in with the new password, the key works again.
    expect((await asAdmin(adminAuth(password))).status).toBe(200);
    expect((await asAdmin({ 'X-ApiKey': personalKey })).status).toBe(200);
    expect((await asAdmin(adminAuth('story-initial-password'))).status).toBe(403);
    const decided = await http(server.url, '/api/feedgate/v1/snapshot', {
      headers: adminAuth(password),
    });
    expect(decided.json).toMatchObject({ directory: 'Built-in' });
    expect(decided.etag).toBe(`"${Number(JSON.parse(switched.etag as string)) + 1}"`);

    const after = withStore(dir, keptRows);
    expect(after.apiKeys).toEqual(before.apiKeys);
    expect(after.directories).toEqual(before.directories);
    expect(after.permissions).toEqual(expect.arrayContaining(before.permissions));
    expect(after.permissions).toHaveLength(before.permissions.length + 1);
    const audit = await readAudit(server.url, auth);
    expect(audit.at(-1)).toMatchObject({
      actor: 'recovery (local)',
      keyId: null,
      action: 'recovery.reset-directory',
      detail: { directory: 'Built-in', previousDirectory: 'Corp LDAP', passwordChanged: true },
    });
    expect(JSON.stringify(audit)).not.toContain(password);
    expect(server.output()).not.toContain(password);

    // Stopped: a second run with the same password finds everything in place.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const again = await feedgateAsync(['recover', 'reset-directory', '--data-dir', dir], {
      FEEDGATE_ADMIN_PASSWORD: password,
    });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('to directory "Built-in": it was already in place');
    expect(again.stdout).toContain('Admin password: unchanged (the one given already was).');
    expect(again.stdout).not.toContain('running server');
    expect(withStore(dir, keptRows)).toEqual(after);
    expect(withStore(dir, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
    expect(storedBytes(dir)).not.toContain(password);
  }, 60_000);

  it('generates a password when none is given, prints it once and stores only its hash', async () => {
    const dir = `${tmp.dir}/generated`;
    expect(feedgate(['instance', 'init', '--data-dir', dir], NO_ENV).status).toBe(0);
    withStore(dir, (db) => {
      setUserEnabled(db, (userCredentials(db, 1, 'Admin') as UserCredentials).id, false);
      setActiveDirectory(db, addDirectory(db, 'Corp LDAP', 'ldap'));
      bumpRevision(db);
    });

    const r = feedgate(['recover', 'reset-directory', '--data-dir', dir], NO_ENV);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('  - enabled user Admin');
    const lines = r.stdout.split('\n');
    const shown = lines.filter((line) => line.startsWith('Admin password (generated): '));
    expect(shown).toHaveLength(1);
    const password = (shown[0] as string).slice('Admin password (generated): '.length);
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(r.stdout.split(password)).toHaveLength(2);
    expect(r.stdout).toContain('This password will not be shown again');
    const admin = withStore(dir, (db) => userCredentials(db, 1, 'Admin') as UserCredentials);
    expect(admin.enabled).toBe(1);
    expect(
      await verifyPassword(password, {
        hash: admin.hash as Buffer,
        salt: admin.salt as Buffer,
        params: admin.params as string,
      }),
    ).toBe(true);
    expect(storedBytes(dir)).not.toContain(password);
  });

  it('exits 2 naming the permission problem for a caller who cannot write the data dir', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'feedgate-recover-'));
    chmodSync(parent, 0o755);
    const { dir } = await initializedDataDir(parent, 'owned', 'owned-password-1');
    const audit = withStore(dir, (db) => db.prepare('SELECT count(*) AS n FROM audit_log').get());
    // Root may write anything: run the command as nobody instead; otherwise take write access away.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(dir, 0o500);
    try {
      const r = spawnSync(
        process.execPath,
        ['bin/feedgate.cjs', 'recover', 'reset-directory', '--data-dir', dir],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, FEEDGATE_ADMIN_PASSWORD: 'another-password-1' },
          ...(asRoot && { uid: 65534, gid: 65534 }),
        },
      );
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toBe(
        `feedgate: cannot read and write ${dir}: permission denied; run the command as the user that owns the data dir (uid ${statSync(dir).uid})\n`,
      );
      expect(r.stdout).toBe('');
    } finally {
      chmodSync(dir, 0o700);
    }
    expect(withStore(dir, (db) => db.prepare('SELECT count(*) AS n FROM audit_log').get())).toEqual(
      audit,
    );
    rmSync(parent, { recursive: true, force: true });
  });

  it('exits 2 for bad input and 1 when the database stays locked, changing nothing', async () => {
    const notInstance = tmp.file('not-a-dir', 'x');
    const cases: [string[], RegExp][] = [
      [[], /required option '-d, --data-dir <dir>' not specified/],
      [['--data-dir', `${tmp.dir}/missing`], /^feedgate: data dir ".*missing" does not exist$/m],
      [['--data-dir', notInstance], /is not a directory$/m],
      [['--data-dir', tmp.dir], /holds no feedgate instance .*nothing to recover$/m],
    ];
    for (const [args, message] of cases) {
      const r = feedgate(['recover', 'reset-directory', ...args], NO_ENV);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }

    const { dir } = await initializedDataDir(tmp.dir, 'bad-input', 'bad-input-password');
    const short = feedgate(['recover', 'reset-directory', '--data-dir', dir], {
      FEEDGATE_ADMIN_PASSWORD: 'short',
    });
    expect(short.status).toBe(2);
    expect(short.stderr).toBe(
      'feedgate: invalid Admin password: the password is too short (at least 8 characters) (from FEEDGATE_ADMIN_PASSWORD)\n',
    );

    // Another process holds the write lock past the busy timeout: refused, nothing written.
    const db = openStore(dir);
    try {
      const audit = db.prepare('SELECT count(*) AS n FROM audit_log').get();
      db.exec('BEGIN IMMEDIATE');
      const busy = await feedgateAsync(
        ['recover', 'reset-directory', '--data-dir', dir, '--password', 'long-enough-password'],
        NO_ENV,
      );
      db.exec('ROLLBACK');
      expect(busy.status).toBe(1);
      expect(busy.stderr).toMatch(
        /^feedgate: the database stayed busy .* run the command again\n$/,
      );
      expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual(audit);
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    }
  }, 60_000);
});
