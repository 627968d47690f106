// The mirror on a real SQLite file: migrations, snapshots, drafts saved per edit, undo/redo.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeSetError, parsePolicy, policiesEqual, type Policy } from '../core/index';
import { openDatabase } from '../server/store/database';
import { appliedMigrations, migrateDown, migrateUp, migrationHash } from '../server/store/migrate';
import { Mirror, MirrorError } from './mirror';
import { mirrorInitialSchema } from './mirror-migrations/0001-initial';
import { mirrorPrincipalCache } from './mirror-migrations/0002-principal-cache';
import { MIRROR_MIGRATIONS } from './mirror-migrations/index';

const BASE: Policy = parsePolicy(
  JSON.parse(
    readFileSync(path.join(__dirname, '../../test/fixtures/promote-example.json'), 'utf8'),
  ),
);

const addUser = (name: string) => ({
  operations: [{ op: 'add' as const, kind: 'user' as const, item: { name } }],
});
const userNames = (policy: Policy) => policy.users.map((u) => u.name).sort();

let dir: string;
let file: string;
let mirror: Mirror;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'feedgate-mirror-'));
  file = path.join(dir, 'workspace.db');
  mirror = Mirror.open(file);
  mirror.addConnection({
    id: 'c1',
    name: 'Local',
    kind: 'remote',
    url: 'http://127.0.0.1:1',
    autostart: false,
    isDefault: true,
  });
});

afterEach(() => {
  mirror.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Mirror', () => {
  it('is its own SQLite file in WAL mode with the mirror migrations applied', () => {
    expect(mirror.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(appliedMigrations(mirror.db).map((m) => m.id)).toEqual(
      MIRROR_MIGRATIONS.map((m) => m.id),
    );
    expect(mirror.listConnections().map((c) => c.name)).toEqual(['Local']);
  });

  it('migrates down to nothing and up again with the shared machinery', () => {
    const ids = MIRROR_MIGRATIONS.map((m) => m.id);
    expect(migrateDown(mirror.db, MIRROR_MIGRATIONS, 0)).toEqual([...ids].reverse());
    const tables = () =>
      mirror.db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations'",
        )
        .pluck()
        .all();
    expect(tables()).toEqual([]);
    expect(migrateUp(mirror.db, MIRROR_MIGRATIONS)).toEqual(ids);
    expect(tables()).toEqual(
      expect.arrayContaining(['connections', 'snapshots', 'drafts', 'draft_operations']),
    );
  });

  it('upgrades a mirror written before the principal cache: its data kept, migration 2 recorded with its hash', () => {
    const older = path.join(dir, 'older.db');
    const db = openDatabase(older, { create: true, migrations: [mirrorInitialSchema] });
    db.prepare(
      "INSERT INTO connections (id, name, kind, url, created_at) VALUES ('r1', 'Old', 'remote', 'http://h', '2026-01-01')",
    ).run();
    db.close();
    const upgraded = Mirror.open(older);
    try {
      expect(upgraded.listConnections().map((c) => c.name)).toEqual(['Old']);
      expect(appliedMigrations(upgraded.db).find((m) => m.id === 2)).toMatchObject({
        name: 'principal cache',
        hash: migrationHash(mirrorPrincipalCache),
      });
      // The cache goes with its connection.
      upgraded.db
        .prepare(
          "INSERT INTO principal_cache (connection_id, directory, kind, name, seen_at) VALUES ('r1', 'Built-in', 'user', 'bob', 'now')",
        )
        .run();
      upgraded.removeConnection('r1');
      expect(upgraded.db.prepare('SELECT COUNT(*) FROM principal_cache').pluck().get()).toBe(0);
    } finally {
      upgraded.close();
    }
  });

  it('refuses a second connection of the same name (ignoring case)', () => {
    expect(() =>
      mirror.addConnection({
        id: 'c2',
        name: 'LOCAL',
        kind: 'remote',
        url: 'http://x',
        autostart: false,
        isDefault: false,
      }),
    ).toThrow(/a connection named "Local" already exists/);
  });

  it('starts the draft from the first pulled snapshot and keeps it on later pulls', () => {
    expect(mirror.draft('c1')).toBeNull();
    mirror.saveSnapshot('c1', 3, BASE);
    const draft = mirror.draft('c1');
    expect(draft?.baseRevision).toBe(3);
    expect(policiesEqual(draft?.policy as Policy, BASE)).toBe(true);
    mirror.edit('c1', addUser('zoe'), 'add zoe');
    mirror.saveSnapshot('c1', 4, BASE);
    expect(mirror.snapshot('c1')?.revision).toBe(4);
    expect(mirror.draft('c1')?.baseRevision).toBe(3);
    expect(userNames(mirror.draft('c1')?.policy as Policy)).toContain('zoe');
  });

  it('moves a draft with nothing to push onto a newer pull, and keeps one with edits', () => {
    mirror.saveSnapshot('c1', 3, BASE);
    const moved = { ...BASE, users: [...BASE.users, { name: 'yan', groups: [] }] };
    mirror.saveSnapshot('c1', 4, moved);
    expect(mirror.draft('c1')?.baseRevision).toBe(4);
    expect(userNames(mirror.draft('c1')?.policy as Policy)).toContain('yan');
    // Every edit undone: nothing to push, so the next pull moves it too (the redo tail goes).
    mirror.edit('c1', addUser('zoe'), 'add zoe');
    mirror.undo('c1');
    mirror.saveSnapshot('c1', 5, BASE);
    expect(mirror.draft('c1')).toMatchObject({ baseRevision: 5, cursor: 0, operations: 0 });
    expect(userNames(mirror.draft('c1')?.policy as Policy)).not.toContain('yan');
    // An edit waiting to be pushed stays on its base until a merge.
    mirror.edit('c1', addUser('zoe'), 'add zoe');
    mirror.saveSnapshot('c1', 6, moved);
    expect(mirror.draft('c1')).toMatchObject({ baseRevision: 5, cursor: 1 });
    expect(userNames(mirror.draft('c1')?.policy as Policy)).toEqual(
      [...userNames(BASE), 'zoe'].sort(),
    );
  });

  it('saves every edit in a committed transaction that a second connection to the file sees', () => {
    mirror.saveSnapshot('c1', 1, BASE);
    mirror.edit('c1', addUser('zoe'), 'add zoe');
    // Another process's view: a separate SQLite connection, no shared cache.
    const other = new Database(file, { readonly: true });
    try {
      const row = other
        .prepare("SELECT policy, cursor FROM drafts WHERE connection_id = 'c1'")
        .get() as { policy: string; cursor: number };
      expect(row.cursor).toBe(1);
      expect(row.policy).toContain('"zoe"');
    } finally {
      other.close();
    }
  });

  it('undoes and redoes by moving a cursor; an edit after an undo drops the redo tail', () => {
    mirror.saveSnapshot('c1', 1, BASE);
    mirror.edit('c1', addUser('a1'), 'add a1');
    mirror.edit('c1', addUser('a2'), 'add a2');
    expect(mirror.undo('c1').cursor).toBe(1);
    expect(userNames(mirror.draft('c1')?.policy as Policy)).not.toContain('a2');
    expect(mirror.redo('c1').cursor).toBe(2);
    expect(userNames(mirror.draft('c1')?.policy as Policy)).toContain('a2');
    mirror.undo('c1');
    mirror.undo('c1');
    expect(policiesEqual(mirror.draft('c1')?.policy as Policy, BASE)).toBe(true);
    expect(() => mirror.undo('c1')).toThrow(new MirrorError('nothing to undo'));
    mirror.redo('c1');
    mirror.edit('c1', addUser('b1'), 'add b1');
    expect(mirror.history('c1')).toEqual({ labels: ['add a1', 'add b1'], cursor: 2 });
    expect(() => mirror.redo('c1')).toThrow(new MirrorError('nothing to redo'));
    const names = userNames(mirror.draft('c1')?.policy as Policy);
    expect(names).toContain('a1');
    expect(names).toContain('b1');
    expect(names).not.toContain('a2');
  });

  it('undoes a removal with its inverse (the removed item comes back whole)', () => {
    mirror.saveSnapshot('c1', 1, BASE);
    const victim = BASE.users.find((u) => u.groups.length > 0) as Policy['users'][number];
    mirror.edit('c1', { operations: [{ op: 'remove', kind: 'user', key: victim.name }] }, 'remove');
    expect(userNames(mirror.draft('c1')?.policy as Policy)).not.toContain(victim.name);
    mirror.undo('c1');
    expect(policiesEqual(mirror.draft('c1')?.policy as Policy, BASE)).toBe(true);
  });

  it('changes nothing when an edit does not apply, and refuses edits without a draft', () => {
    expect(() => mirror.edit('c1', addUser('x'), 'x')).toThrow(/has no draft yet: pull it first/);
    mirror.saveSnapshot('c1', 1, BASE);
    const existing = BASE.users[0]?.name as string;
    expect(() => mirror.edit('c1', addUser(existing), 'dup')).toThrow(ChangeSetError);
    expect(mirror.history('c1')).toEqual({ labels: [], cursor: 0 });
    expect(() => mirror.draft('nope')).toThrow(/no connection with id "nope"/);
  });

  it('keeps the draft across a close and a reopen of the file', () => {
    mirror.saveSnapshot('c1', 1, BASE);
    mirror.edit('c1', addUser('zoe'), 'add zoe');
    mirror.close();
    mirror = Mirror.open(file);
    expect(userNames(mirror.draft('c1')?.policy as Policy)).toContain('zoe');
    expect(mirror.undo('c1').cursor).toBe(0);
  });

  it('removes a connection with its snapshot, draft and log', () => {
    mirror.saveSnapshot('c1', 1, BASE);
    mirror.edit('c1', addUser('zoe'), 'add zoe');
    mirror.removeConnection('c1');
    const count = (table: string) =>
      mirror.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    expect([count('snapshots'), count('drafts'), count('draft_operations')]).toEqual([0, 0, 0]);
  });
});
