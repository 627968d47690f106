import { afterEach, describe, expect, it } from 'vitest';
import { canonicalPolicy, parsePolicy, policiesEqual, type Policy } from '../../../src/core/index';
import { PolicyError } from '../../../src/core/index';
import {
  auditAfter,
  appendAudit,
  policyRevision,
  readPolicy,
  readSnapshot,
  writePolicy,
  type Db,
} from '../../../src/server/store/index';
import { SIZES, generatePolicy, mutatePolicy } from '../../bench/generate';
import { tempStore, type TempStore } from '../../helpers/store';

let store: TempStore;
afterEach(() => store.cleanup());

const promote = parsePolicy({
  users: [
    { name: 'alice', displayName: 'Alice A.', email: 'alice@example.org', groups: ['Developers'] },
    { name: 'bob', groups: ['Testers'] },
  ],
  groups: [{ name: 'Developers' }, { name: 'Testers', groups: ['Developers'] }],
  feedGroups: [{ name: 'internal' }],
  feeds: [
    { name: 'Production', feedType: 'nuget', feedGroup: 'internal' },
    { name: 'Staging', access: 'public' },
  ],
  tasks: [
    {
      name: 'Unlister',
      description: 'unlist only',
      attributes: ['Feeds_ViewFeed', 'Feeds_UnlistPackage'],
    },
  ],
  permissions: [
    { group: 'Developers', task: 'Promote Packages' },
    { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
    { user: 'bob', task: 'Unlister', feedGroup: 'internal' },
    { group: 'Everyone', task: 'View & Download Packages', feed: 'Staging' },
    { user: 'Anonymous', task: 'View & Download Packages', feed: 'Staging', deny: true },
  ],
});

function open(): Db {
  store = tempStore();
  return store.open();
}

describe('policy store', () => {
  it('writes a policy and reads the same policy back, with the revision bumped', () => {
    const db = open();
    expect(policyRevision(db)).toBe(0);
    expect(writePolicy(db, promote)).toBe(1);
    const read = readPolicy(db);
    expect(canonicalPolicy(read)).toEqual(canonicalPolicy(promote));
    expect(read.directory).toBe('Built-in');
    expect(read.users.find((u) => u.name === 'alice')).toMatchObject({
      displayName: 'Alice A.',
      email: 'alice@example.org',
    });
    expect(readSnapshot(db)).toEqual({ policy: read, revision: 1 });
    expect(writePolicy(db, read)).toBe(2);
  });

  it('round-trips a generated M-size policy, and a mutation of it', () => {
    const db = open();
    const policy = generatePolicy(SIZES.M);
    writePolicy(db, policy);
    expect(policiesEqual(readPolicy(db), policy)).toBe(true);
    const mutated = mutatePolicy(policy, 0.1);
    writePolicy(db, mutated);
    expect(policiesEqual(readPolicy(db), mutated)).toBe(true);
    expect(policyRevision(db)).toBe(2);
  });

  it('keeps the ids of unchanged items and grants, and removes what the policy dropped', () => {
    const db = open();
    writePolicy(db, promote);
    const ids = (sql: string) => db.prepare(sql).all() as { id: number; name: string }[];
    const permissionIds = () => ids('SELECT id FROM permissions ORDER BY id').map((r) => r.id);
    const before = { grants: permissionIds(), users: ids('SELECT id, name FROM principals') };
    const smaller = parsePolicy({
      ...promote,
      users: promote.users.filter((u) => u.name !== 'bob'),
      groups: promote.groups.map((g) => ({ ...g, users: g.users.filter((u) => u !== 'bob') })),
      feedGroups: [],
      feeds: promote.feeds.map(({ feedGroup: _, ...f }) => f),
      tasks: promote.tasks.filter((t) => t.name !== 'Unlister'),
      permissions: promote.permissions.filter((p) => p.user !== 'bob'),
    });
    writePolicy(db, smaller);
    expect(policiesEqual(readPolicy(db), smaller)).toBe(true);
    expect(permissionIds()).toEqual(before.grants.filter((_, i) => i !== 2));
    const alice = (rows: { id: number; name: string }[]) => rows.find((r) => r.name === 'alice');
    expect(alice(ids('SELECT id, name FROM principals'))).toEqual(alice(before.users));
    expect(ids("SELECT id, name FROM principals WHERE name = 'bob'")).toEqual([]);
    expect(ids("SELECT id, name FROM tasks WHERE name = 'Unlister'")).toEqual([]);
    expect(ids('SELECT id, name FROM feed_groups')).toEqual([]);
  });

  it('refuses an invalid policy with the core problems, and changes nothing', () => {
    const db = open();
    writePolicy(db, promote);
    const bad = { ...promote, permissions: [{ user: 'nobody', task: 'Administer', deny: false }] };
    expect(() => writePolicy(db, bad as Policy)).toThrow(PolicyError);
    expect(() => writePolicy(db, bad as Policy)).toThrow(/unknown user "nobody"/);
    expect(policiesEqual(readPolicy(db), promote)).toBe(true);
    expect(policyRevision(db)).toBe(1);
  });

  it('refuses an unknown directory', () => {
    const db = open();
    expect(() => writePolicy(db, { ...promote, directory: 'corp' })).toThrow(
      /unknown directory "corp"/,
    );
    expect(() => readPolicy(db, 'corp')).toThrow(/unknown directory "corp"/);
  });

  it('keeps directories apart, and all-or-nothing: a feed used by another directory is not removed', () => {
    const db = open();
    writePolicy(db, promote);
    db.prepare("INSERT INTO directories (name, kind) VALUES ('corp', 'ldap')").run();
    const corp = parsePolicy({
      directory: 'corp',
      users: [{ name: 'carol' }],
      feeds: promote.feeds,
      feedGroups: promote.feedGroups,
      tasks: promote.tasks,
      permissions: [{ user: 'carol', task: 'Manage Feed', feed: 'Production' }],
    });
    writePolicy(db, corp);
    expect(policiesEqual(readPolicy(db, 'corp'), corp)).toBe(true);
    expect(policiesEqual(readPolicy(db), promote)).toBe(true); // the active (built-in) one
    const withoutProduction = parsePolicy({
      ...promote,
      feeds: promote.feeds.filter((f) => f.name !== 'Production'),
      permissions: promote.permissions.filter((p) => p.feed !== 'Production'),
    });
    expect(() => writePolicy(db, withoutProduction)).toThrow(
      'cannot remove feed "Production": grants of directory "corp" still use it',
    );
    expect(policiesEqual(readPolicy(db), promote)).toBe(true);
    expect(policyRevision(db)).toBe(2);
  });

  it('keeps a user password across policy writes', () => {
    const db = open();
    writePolicy(db, promote);
    db.prepare(
      `UPDATE users SET password_hash = x'00', password_salt = x'01', password_params = '{}'`,
    ).run();
    writePolicy(
      db,
      parsePolicy({
        ...promote,
        users: promote.users.map((u) => ({ ...u, email: 'new@example.org' })),
      }),
    );
    const rows = db.prepare('SELECT email, password_hash AS hash FROM users').all();
    expect(rows).toEqual([
      { email: 'new@example.org', hash: Buffer.from([0]) },
      { email: 'new@example.org', hash: Buffer.from([0]) },
    ]);
  });

  it('records audit entries with JSON detail', () => {
    const db = open();
    const id = appendAudit(db, {
      actor: 'Built-in/Admin',
      keyId: 7,
      action: 'policy.write',
      detail: { revision: 1 },
    });
    expect(auditAfter(db)).toEqual([
      {
        id,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        actor: 'Built-in/Admin',
        keyId: 7,
        action: 'policy.write',
        detail: { revision: 1 },
      },
    ]);
    expect(auditAfter(db, id)).toEqual([]);
  });
});
