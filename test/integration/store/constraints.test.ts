import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/core/index';
import { writePolicy, type Db } from '../../../src/server/store/index';
import { tempStore, type TempStore } from '../../helpers/store';

let store: TempStore;
let db: Db;
const id = (sql: string, ...params: unknown[]) =>
  (db.prepare(sql).get(...params) as { id: number }).id;

beforeEach(() => {
  store = tempStore();
  db = store.open();
  writePolicy(
    db,
    parsePolicy({
      users: [{ name: 'alice', groups: ['devs'] }],
      groups: [{ name: 'devs' }, { name: 'qa' }],
      feedGroups: [{ name: 'internal' }],
      feeds: [{ name: 'Production', feedGroup: 'internal' }],
    }),
  );
});
afterEach(() => store.cleanup());

const principal = (kind: string, name: string) =>
  id('SELECT id FROM principals WHERE kind = ? AND name = ?', kind, name);
const task = () => id("SELECT id FROM tasks WHERE name = 'Publish Packages'");
const insertPermission = (values: Record<string, number | null>) =>
  db
    .prepare(
      `INSERT INTO permissions (directory_id, user_id, group_id, task_id, feed_id, feed_group_id, deny)
       VALUES (@directory, @user, @group, @task, @feed, @feedGroup, 0)`,
    )
    .run({
      directory: 1,
      user: null,
      group: null,
      task: task(),
      feed: null,
      feedGroup: null,
      ...values,
    });

describe('store constraints', () => {
  it('accepts a grant to exactly one principal at one scope', () => {
    expect(() => insertPermission({ user: principal('user', 'alice') })).not.toThrow();
    expect(() =>
      insertPermission({ group: principal('group', 'devs'), feed: id('SELECT id FROM feeds') }),
    ).not.toThrow();
  });

  it('rejects a permission with both a user and a group, or with neither', () => {
    expect(() =>
      insertPermission({ user: principal('user', 'alice'), group: principal('group', 'devs') }),
    ).toThrow(/CHECK constraint failed: one_principal/);
    expect(() => insertPermission({})).toThrow(/CHECK constraint failed: one_principal/);
  });

  it('rejects a permission with both a feed and a feed group', () => {
    expect(() =>
      insertPermission({
        user: principal('user', 'alice'),
        feed: id('SELECT id FROM feeds'),
        feedGroup: id('SELECT id FROM feed_groups'),
      }),
    ).toThrow(/CHECK constraint failed: one_scope/);
  });

  it('rejects a group in the user column, a user in the group column, and unknown ids', () => {
    expect(() => insertPermission({ user: principal('group', 'devs') })).toThrow(
      /FOREIGN KEY constraint failed/,
    );
    expect(() => insertPermission({ group: principal('user', 'alice') })).toThrow(
      /FOREIGN KEY constraint failed/,
    );
    expect(() => insertPermission({ user: principal('user', 'alice'), feed: 999 })).toThrow(
      /FOREIGN KEY constraint failed/,
    );
  });

  it('rejects a grant or a membership across directories', () => {
    db.prepare("INSERT INTO directories (name, kind) VALUES ('corp', 'ldap')").run();
    expect(() => insertPermission({ directory: 2, user: principal('user', 'alice') })).toThrow(
      /FOREIGN KEY constraint failed/,
    );
    expect(() =>
      db
        .prepare('INSERT INTO memberships (directory_id, group_id, member_id) VALUES (2, ?, ?)')
        .run(principal('group', 'qa'), principal('user', 'alice')),
    ).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('rejects a membership whose container is a user', () => {
    expect(() =>
      db
        .prepare('INSERT INTO memberships (directory_id, group_id, member_id) VALUES (1, ?, ?)')
        .run(principal('user', 'alice'), principal('group', 'devs')),
    ).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('allows at most one active directory', () => {
    expect(() =>
      db.prepare("INSERT INTO directories (name, kind, active) VALUES ('corp', 'ldap', 1)").run(),
    ).toThrow(/UNIQUE constraint failed/);
  });

  it('rejects an unknown feed access type and a half-stored password', () => {
    expect(() =>
      db.prepare("INSERT INTO feeds (name, access) VALUES ('x', 'secret')").run(),
    ).toThrow(/CHECK constraint failed/);
    expect(() =>
      db
        .prepare('UPDATE users SET password_hash = ? WHERE principal_id = ?')
        .run(Buffer.alloc(64), principal('user', 'alice')),
    ).toThrow(/CHECK constraint failed: password_complete/);
  });

  it('keeps API keys consistent with their type', () => {
    let fill = 0;
    const insertKey = (type: string, feed: number | null, user: number | null) =>
      db
        .prepare('INSERT INTO api_keys (type, key_hash, feed_id, user_id) VALUES (?, ?, ?, ?)')
        .run(type, Buffer.alloc(32, ++fill), feed, user);
    const feed = id('SELECT id FROM feeds');
    expect(() => insertKey('personal', null, null)).toThrow(/personal_has_user/);
    expect(() => insertKey('feed', null, null)).toThrow(/feed_scope/);
    expect(() => insertKey('system', feed, null)).toThrow(/feed_scope/);
    expect(() => insertKey('feed', feed, null)).not.toThrow();
    expect(() => insertKey('personal', null, principal('user', 'alice'))).not.toThrow();
    expect(() =>
      db.prepare("INSERT INTO api_keys (type, key_hash) VALUES ('system', 'plain text key')").run(),
    ).toThrow(/cannot store TEXT value in BLOB column/);
  });
});
