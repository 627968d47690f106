import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_IN_TASKS, resolve } from '../../core/index';
import { verifyPassword } from '../../server/auth/passwords';
import {
  auditAfter,
  instanceRow,
  listDirectories,
  openStore,
  readPolicy,
  userCredentials,
  type UserCredentials,
} from '../../server/store/index';
import { feedgate, tempDir } from '../../../test/helpers/cli';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let count = 0;
const newDir = () => path.join(tmp.dir, `instance-${++count}`);
const NO_ENV = { FEEDGATE_ADMIN_PASSWORD: undefined };

function inspect(dataDir: string) {
  const db = openStore(dataDir, { migrate: false });
  try {
    return {
      policy: readPolicy(db),
      instance: instanceRow(db),
      directories: listDirectories(db),
      admin: userCredentials(db, 1, 'Admin') as UserCredentials,
      audit: auditAfter(db),
    };
  } finally {
    db.close();
  }
}

const adminPasswordOk = (admin: UserCredentials, password: string) =>
  verifyPassword(password, {
    hash: admin.hash as Buffer,
    salt: admin.salt as Buffer,
    params: admin.params as string,
  });

describe('feedgate instance init', () => {
  it('creates the built-in directory, Admin in Administrators holding Administer, the built-in tasks', async () => {
    const dir = newDir();
    const password = 'flag-password-3141592653';
    const r = feedgate(
      ['instance', 'init', '--data-dir', dir, '--admin-password', password],
      NO_ENV,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Initialized a feedgate instance in ${dir}`);
    expect(r.stdout).toContain('Admin password: the one given by --admin-password (not shown).');
    expect(r.stdout).not.toContain(password);

    const { policy, instance, directories, admin, audit } = inspect(dir);
    expect(directories).toEqual([{ id: 1, name: 'Built-in', kind: 'builtin', active: 1 }]);
    expect(instance.revision).toBe(1);
    expect(instance.initializedAt).not.toBeNull();
    expect(policy.users.map((u) => u.name)).toEqual(['Admin']);
    expect(policy.groups).toEqual([{ name: 'Administrators', users: ['Admin'], groups: [] }]);
    expect(policy.permissions).toEqual([
      { group: 'Administrators', task: 'Administer', deny: false },
    ]);
    expect(policy.tasks.map((t) => t.name)).toEqual(BUILT_IN_TASKS.map((t) => t.name));
    const decision = resolve(policy, { user: 'Admin', attribute: 'Admin_ConfigureProGet' });
    expect(decision.allowed).toBe(true);
    expect(decision.decidedBy).toMatchObject({ group: 'Administrators', task: 'Administer' });
    expect(admin.enabled).toBe(1);
    expect(await adminPasswordOk(admin, password)).toBe(true);
    expect(await adminPasswordOk(admin, 'another password')).toBe(false);
    expect(audit).toMatchObject([{ action: 'instance.init', actor: 'feedgate instance init' }]);
  });

  it('stores only a hash: the password is in no file of the data dir', () => {
    const dir = newDir();
    const password = 'Needle-In-The-Database-2718281828';
    expect(
      feedgate(['instance', 'init', '-d', dir, '--admin-password', password], NO_ENV).status,
    ).toBe(0);
    const files = readdirSync(dir);
    expect(files).toContain('feedgate.db');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of files) expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    for (const file of files) {
      const bytes = readFileSync(path.join(dir, file));
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes.includes(Buffer.from(password, 'utf8')), file).toBe(false);
      expect(bytes.includes(Buffer.from(password, 'utf16le')), file).toBe(false);
    }
    // The test would see it: the user name is there in clear.
    expect(
      readFileSync(path.join(dir, 'feedgate.db')).includes(Buffer.from('Administrators')),
    ).toBe(true);
  });

  it('takes the password from FEEDGATE_ADMIN_PASSWORD, and the flag over the variable', async () => {
    const dir = newDir();
    const r = feedgate(['instance', 'init', '--data-dir', dir], {
      FEEDGATE_ADMIN_PASSWORD: 'from-the-environment-42',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('the one given by FEEDGATE_ADMIN_PASSWORD (not shown)');
    expect(r.stdout).not.toContain('from-the-environment-42');
    expect(await adminPasswordOk(inspect(dir).admin, 'from-the-environment-42')).toBe(true);

    const other = newDir();
    const both = feedgate(
      ['instance', 'init', '-d', other, '--admin-password', 'the-flag-wins-1'],
      {
        FEEDGATE_ADMIN_PASSWORD: 'from-the-environment-42',
      },
    );
    expect(both.status).toBe(0);
    expect(await adminPasswordOk(inspect(other).admin, 'the-flag-wins-1')).toBe(true);
  });

  it('generates a password when none is given and prints it once, saying so', async () => {
    const dir = newDir();
    const r = feedgate(['instance', 'init', '--data-dir', dir], NO_ENV);
    expect(r.status).toBe(0);
    const match = /^Admin password \(generated\): (\S+)$/m.exec(r.stdout);
    expect(match).not.toBeNull();
    const password = match?.[1] as string;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(r.stdout).toContain('This password will not be shown again');
    expect(r.stdout.split(password)).toHaveLength(2); // printed exactly once
    expect(await adminPasswordOk(inspect(dir).admin, password)).toBe(true);
    const again = feedgate(['instance', 'init', '--data-dir', newDir()], NO_ENV);
    expect(/generated\): (\S+)$/m.exec(again.stdout)?.[1]).not.toBe(password);
  });

  it('refuses to initialize a data dir twice (exit 2) and changes nothing', async () => {
    const dir = newDir();
    expect(
      feedgate(['instance', 'init', '-d', dir, '--admin-password', 'first-password'], NO_ENV)
        .status,
    ).toBe(0);
    const r = feedgate(
      ['instance', 'init', '-d', dir, '--admin-password', 'second-password'],
      NO_ENV,
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `feedgate: data dir "${dir}" already holds an initialized feedgate instance; nothing was changed\n`,
    );
    const { instance, admin, audit } = inspect(dir);
    expect(instance.revision).toBe(1);
    expect(audit).toHaveLength(1);
    expect(await adminPasswordOk(admin, 'first-password')).toBe(true);
  });

  it('refuses bad input with exit 2 and a clear message, creating nothing', () => {
    const dir = newDir();
    const short = feedgate(['instance', 'init', '-d', dir, '--admin-password', 'short'], NO_ENV);
    expect(short.status).toBe(2);
    expect(short.stderr).toBe(
      'feedgate: invalid Admin password: the password is too short (at least 8 characters) (from --admin-password)\n',
    );
    expect(existsSync(dir)).toBe(false);

    const empty = feedgate(['instance', 'init', '-d', dir], { FEEDGATE_ADMIN_PASSWORD: '' });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('the password is empty (from FEEDGATE_ADMIN_PASSWORD)');

    const file = tmp.file('not-a-dir', 'x');
    const notDir = feedgate(
      ['instance', 'init', '-d', file, '--admin-password', 'long-enough'],
      NO_ENV,
    );
    expect(notDir.status).toBe(2);
    expect(notDir.stderr).toBe(`feedgate: data dir "${file}" exists and is not a directory\n`);

    const missing = feedgate(['instance', 'init'], NO_ENV);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("required option '-d, --data-dir <dir>' not specified");
  });
});
