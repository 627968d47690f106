// resetDirectory on real SQLite data dirs (initInstance in a temp dir), with the test's own
// connection left open as a running server's would be: what it repairs, what it keeps, the
// audit entry, a second run, bad input, and a database that stays locked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicy, resolve, type Policy } from '../../core/index';
import { createApiKey } from '../auth/api-keys';
import { verifyPassword } from '../auth/passwords';
import { initInstance, InstanceError } from '../instance/init';
import {
  addDirectory,
  auditAfter,
  openStore,
  policyRevision,
  readPolicy,
  setActiveDirectory,
  setUserEnabled,
  userCredentials,
  writePolicy,
  type Db,
  type UserCredentials,
} from '../store/index';
import { bumpRevision } from '../store/sql/instance';
import { writePromoteExample } from '../../../test/helpers/server';
import {
  RECOVERY_ACTION,
  RECOVERY_ACTOR,
  RecoveryRefused,
  resetDirectory,
} from './reset-directory';

const root = mkdtempSync(path.join(tmpdir(), 'feedgate-recovery-'));
const opened: Db[] = [];
afterAll(() => {
  for (const db of opened) if (db.open) db.close();
  rmSync(root, { recursive: true, force: true });
});
let count = 0;

/** An initialized instance holding the promote example (Admin and carol administer). */
async function instance(): Promise<{ dir: string; db: Db }> {
  const dir = path.join(root, `instance-${++count}`);
  await initInstance(dir, 'initial-password-1');
  const db = openStore(dir);
  opened.push(db);
  await writePromoteExample(db);
  return { dir, db };
}

/** Rewrites the built-in policy with `edit` applied. */
function editBuiltIn(db: Db, edit: (policy: Policy) => void): void {
  const policy = structuredClone(readPolicy(db, 'Built-in'));
  edit(policy);
  writePolicy(db, parsePolicy(policy));
}

const rows = (db: Db, table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all();
const admin = (db: Db) => userCredentials(db, 1, 'Admin') as UserCredentials;
const passwordIs = (db: Db, password: string) => {
  const { hash, salt, params } = admin(db);
  return verifyPassword(password, {
    hash: hash as Buffer,
    salt: salt as Buffer,
    params: params as string,
  });
};
const adminDecision = (db: Db) =>
  resolve(readPolicy(db, 'Built-in'), { user: 'Admin', attribute: 'Admin_ConfigureProGet' });
const integrity = (db: Db) => db.pragma('integrity_check', { simple: true });

describe('resetDirectory', { timeout: 30_000 }, () => {
  it('gives a locked-out instance back to Admin and keeps every other grant, directory and key', async () => {
    const { dir, db } = await instance();
    // Another directory with its own grant, then the lockout: Admin out of Administrators,
    // the Administrators grant gone, Admin disabled, the other directory active.
    addDirectory(db, 'Corp LDAP', 'ldap');
    const ldap = structuredClone(readPolicy(db, 'Built-in'));
    writePolicy(
      db,
      parsePolicy({
        ...ldap,
        directory: 'Corp LDAP',
        users: [{ name: 'dora' }],
        groups: [],
        permissions: [{ user: 'dora', task: 'View & Download Packages', feed: 'Staging' }],
      }),
    );
    editBuiltIn(db, (policy) => {
      policy.permissions = policy.permissions.filter((p) => p.group !== 'Administrators');
      policy.users = policy.users.map((u) => (u.name === 'Admin' ? { ...u, groups: [] } : u));
      policy.groups = policy.groups.map((g) =>
        g.name === 'Administrators' ? { ...g, users: ['carol'] } : g,
      );
    });
    setUserEnabled(db, admin(db).id, false);
    setActiveDirectory(db, 2);
    bumpRevision(db);
    createApiKey(db, { type: 'system', fullControl: true });
    createApiKey(db, { type: 'personal', user: 'carol', directory: 'Built-in' });
    const grants = rows(db, 'permissions');
    const keys = rows(db, 'api_keys');
    const directoryRows = () =>
      db
        .prepare('SELECT * FROM directories ORDER BY id')
        .all()
        .map((row) => ({ ...(row as object), active: undefined }));
    const directories = directoryRows();
    const revision = policyRevision(db);
    expect(adminDecision(db).allowed).toBe(false);

    const result = await resetDirectory(dir, 'recovered-password-1');

    expect(result).toMatchObject({
      directory: 'Built-in',
      previousDirectory: 'Corp LDAP',
      changes: [
        'made directory "Built-in" active (was "Corp LDAP")',
        'added Admin to group Administrators',
        'added grant "group Administrators · Administer · global (permission)"',
        'enabled user Admin',
      ],
      removedRestrictions: [],
      passwordChanged: true,
      revision: revision + 1,
    });
    expect(policyRevision(db)).toBe(revision + 1);
    expect(db.prepare('SELECT name FROM directories WHERE active = 1').get()).toEqual({
      name: 'Built-in',
    });
    expect(admin(db).enabled).toBe(1);
    expect(await passwordIs(db, 'recovered-password-1')).toBe(true);
    expect(await passwordIs(db, 'initial-password-1')).toBe(false);
    expect(adminDecision(db)).toMatchObject({
      allowed: true,
      decidedBy: { group: 'Administrators', task: 'Administer' },
    });
    // Only additions: every grant kept with its id, one grant added; keys and directories as they were.
    const after = rows(db, 'permissions');
    expect(after).toEqual(expect.arrayContaining(grants));
    expect(after).toHaveLength(grants.length + 1);
    expect(rows(db, 'api_keys')).toEqual(keys);
    expect(directoryRows()).toEqual(directories);
    expect(readPolicy(db, 'Corp LDAP').permissions).toEqual([
      { user: 'dora', task: 'View & Download Packages', feed: 'Staging', deny: false },
    ]);
    const entry = auditAfter(db).at(-1);
    expect(entry).toMatchObject({
      id: result.auditId,
      actor: RECOVERY_ACTOR,
      keyId: null,
      action: RECOVERY_ACTION,
      detail: {
        directory: 'Built-in',
        previousDirectory: 'Corp LDAP',
        changes: result.changes,
        removedRestrictions: [],
        passwordChanged: true,
        revision: revision + 1,
      },
    });
    expect(JSON.stringify(entry)).not.toContain('recovered-password-1');
    expect(integrity(db)).toBe('ok');
  });

  it('is harmless twice: the same password changes nothing, only an audit entry is added', async () => {
    const { dir, db } = await instance();
    await resetDirectory(dir, 'same-password-twice');
    const revision = policyRevision(db);
    const hash = admin(db).hash;
    const stored = rows(db, 'permissions');

    const again = await resetDirectory(dir, 'same-password-twice');
    expect(again).toMatchObject({ changes: [], passwordChanged: false, revision });
    expect(admin(db).hash).toEqual(hash);
    expect(rows(db, 'permissions')).toEqual(stored);
    expect(auditAfter(db).at(-1)).toMatchObject({
      action: RECOVERY_ACTION,
      detail: { changes: [], passwordChanged: false },
    });

    const other = await resetDirectory(dir, 'another-password-3');
    expect(other).toMatchObject({ changes: [], passwordChanged: true, revision });
    expect(await passwordIs(db, 'another-password-3')).toBe(true);
    expect(integrity(db)).toBe('ok');
  });

  it('beats a group-level restriction with a user-level permission for Admin, keeping the restriction', async () => {
    const { dir, db } = await instance();
    const restriction = { group: 'Administrators', task: 'Administer', deny: true };
    editBuiltIn(db, (policy) => policy.permissions.push(restriction));
    expect(adminDecision(db).allowed).toBe(false);

    const result = await resetDirectory(dir, 'recovered-password-2');
    expect(result.changes).toEqual(['added grant "user Admin · Administer · global (permission)"']);
    expect(result.removedRestrictions).toEqual([]);
    expect(readPolicy(db, 'Built-in').permissions).toContainEqual(restriction);
    expect(adminDecision(db)).toMatchObject({
      allowed: true,
      decidedBy: { user: 'Admin', task: 'Administer', deny: false },
    });
  });

  it("removes only Admin's own global restriction on an administering task, and records it", async () => {
    const { dir, db } = await instance();
    const blocking = { user: 'Admin', task: 'Administer', deny: true };
    const onAFeed = { user: 'Admin', task: 'Manage Feed', feed: 'Staging', deny: true };
    editBuiltIn(db, (policy) => policy.permissions.push(blocking, onAFeed));
    const before = readPolicy(db, 'Built-in').permissions.length;

    const result = await resetDirectory(dir, 'recovered-password-3');
    expect(result.removedRestrictions).toEqual(['user Admin · Administer · global (restriction)']);
    expect(result.changes).toEqual([
      'added grant "user Admin · Administer · global (permission)"',
      'removed restriction "user Admin · Administer · global (restriction)"',
    ]);
    const permissions = readPolicy(db, 'Built-in').permissions;
    expect(permissions).not.toContainEqual(blocking);
    expect(permissions).toContainEqual(onAFeed);
    expect(permissions).toHaveLength(before);
    expect(adminDecision(db).allowed).toBe(true);
    expect(auditAfter(db).at(-1)?.detail).toMatchObject({
      removedRestrictions: ['user Admin · Administer · global (restriction)'],
    });
  });

  it('recreates a deleted Admin and Administrators, and gives Administer back Admin_ConfigureProGet', async () => {
    const { dir, db } = await instance();
    editBuiltIn(db, (policy) => {
      policy.users = policy.users.filter((u) => u.name !== 'Admin');
      policy.groups = policy.groups.filter((g) => g.name !== 'Administrators');
      policy.users = policy.users.map((u) => ({
        ...u,
        groups: u.groups.filter((g) => g !== 'Administrators'),
      }));
      policy.permissions = policy.permissions.filter((p) => p.group !== 'Administrators');
      policy.tasks = policy.tasks.map((t) =>
        t.name === 'Administer' ? { ...t, attributes: ['Feeds_ViewFeed'] } : t,
      );
    });
    expect(admin(db)).toBeUndefined();

    const result = await resetDirectory(dir, 'recovered-password-4');
    expect(result.changes).toEqual([
      'added user Admin',
      'added group Administrators',
      'added Admin to group Administrators',
      'gave task Administer back its attribute Admin_ConfigureProGet',
      'added grant "group Administrators · Administer · global (permission)"',
    ]);
    expect(admin(db).enabled).toBe(1);
    expect(await passwordIs(db, 'recovered-password-4')).toBe(true);
    expect(adminDecision(db).allowed).toBe(true);
    expect(integrity(db)).toBe('ok');
  });

  it('refuses bad input with an InstanceError and writes nothing', async () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'not a data dir');
    const empty = mkdtempSync(path.join(root, 'empty-'));
    const cases: [string, string, RegExp][] = [
      [path.join(root, 'missing'), 'long-enough-password', /^data dir ".*missing" does not exist$/],
      [file, 'long-enough-password', /is not a directory$/],
      [empty, 'long-enough-password', /holds no feedgate instance \(no .*feedgate\.db\)/],
      [empty, 'short', /^invalid Admin password: the password is too short/],
    ];
    for (const [dir, password, message] of cases) {
      const error = await resetDirectory(dir, password).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InstanceError);
      expect((error as Error).message).toMatch(message);
    }

    const { dir, db } = await instance();
    const audit = auditAfter(db).length;
    await expect(resetDirectory(dir, 'short')).rejects.toThrow(InstanceError);
    expect(auditAfter(db)).toHaveLength(audit);
  });

  it('refuses, writing nothing, a stored policy the core rejects', async () => {
    const { dir, db } = await instance();
    setActiveDirectory(db, addDirectory(db, 'Corp LDAP', 'ldap'));
    // Administer is not feed-scopable: no API would store this grant.
    db.prepare(
      `INSERT INTO permissions (directory_id, group_id, task_id, feed_id)
       SELECT 1, p.id, t.id, f.id FROM principals p, tasks t, feeds f
       WHERE p.name = 'Administrators' AND t.name = 'Administer' AND f.name = 'Staging'`,
    ).run();
    const revision = policyRevision(db);
    const audit = auditAfter(db).length;
    const error = await resetDirectory(dir, 'recovered-password-6').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RecoveryRefused);
    expect((error as Error).message).toMatch(
      /^the stored policy of directory "Built-in" is invalid: permissions\[\d+\].*; it cannot be repaired automatically, nothing was changed$/,
    );
    expect(policyRevision(db)).toBe(revision);
    expect(auditAfter(db)).toHaveLength(audit);
    expect(db.prepare('SELECT name FROM directories WHERE active = 1').get()).toEqual({
      name: 'Corp LDAP',
    });
  });

  it('refuses, writing nothing, when another connection keeps the write lock past the busy timeout', async () => {
    const { dir, db } = await instance();
    setActiveDirectory(db, addDirectory(db, 'Corp LDAP', 'ldap'));
    const revision = policyRevision(db);
    const audit = auditAfter(db).length;
    db.exec('BEGIN IMMEDIATE');
    let error: unknown;
    try {
      error = await resetDirectory(dir, 'recovered-password-5').then(
        () => undefined,
        (e: unknown) => e,
      );
    } finally {
      db.exec('ROLLBACK');
    }
    expect(error).toBeInstanceOf(RecoveryRefused);
    expect((error as Error).message).toMatch(/database stayed busy.*nothing was changed/);
    expect(policyRevision(db)).toBe(revision);
    expect(auditAfter(db)).toHaveLength(audit);
    expect(db.prepare('SELECT name FROM directories WHERE active = 1').get()).toEqual({
      name: 'Corp LDAP',
    });
    // Once the lock is gone the same run goes through.
    await resetDirectory(dir, 'recovered-password-5');
    expect(integrity(db)).toBe('ok');
  }, 30_000);
});
