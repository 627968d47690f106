// Issue 4 point 8, the LDAP lockout story end to end: a real `feedgate server` process and a
// real slapd; an LDAP directory added and switched to (with --force) where nobody can
// administer; the built-in Admin is locked out (403); `feedgate recover reset-directory` runs on
// the data dir while the server serves; Admin signs in again, and every grant, key and the
// LDAP configuration are intact (the sealed bind password still binds).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/auth/api-keys';
import { readPolicy, writePolicy, type Db } from '../../server/store/index';
import { withStore } from '../../../test/helpers/store';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import {
  http,
  initializedDataDir,
  serverProcessDir,
  startServerProcess,
} from '../../../test/helpers/server-process';
import { addOptions } from '../../../test/helpers/directories-cli';
import { READER_DN, READER_PASSWORD, startSlapd, type Slapd } from '../../../test/helpers/slapd';

const tmp = serverProcessDir();
let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(() => slapd.stop());

/** What recovery must keep: every grant and key, and the LDAP directory row as stored. */
const keptRows = (db: Db) => ({
  permissions: db.prepare('SELECT * FROM permissions ORDER BY id').all(),
  apiKeys: db
    .prepare('SELECT * FROM api_keys ORDER BY id')
    .all()
    .map((row) => ({ ...(row as object), last_used_at: undefined })),
  ldap: db
    .prepare("SELECT * FROM directories WHERE kind = 'ldap'")
    .all()
    .map((row) => ({
      ...(row as object),
      active: undefined,
    })),
});

describe('the LDAP lockout story', { timeout: 60_000 }, () => {
  it('switched with --force to an LDAP directory without an admin, Admin locked out, recovered, everything intact', async () => {
    const { dir, key } = await initializedDataDir(tmp.dir, 'ldap-story', 'initial-admin-pw-1');
    const personalKey = withStore(
      dir,
      (db) => createApiKey(db, { type: 'personal', user: 'Admin', directory: 'Built-in' }).key,
    );
    const server = await startServerProcess(['--data-dir', dir, '--port', '0']);
    const source = ['--source', server.url, '--api-key', key];
    const admin = (headers: Record<string, string>) =>
      http(server.url, '/api/security/permissions/list', { headers });

    const added = await feedgateAsync(['directories', 'add', ...addOptions(slapd), ...source], {
      FEEDGATE_BIND_PASSWORD: READER_PASSWORD,
    });
    expect(added.status, added.stderr).toBe(0);
    // Corp's grants: a developer's view grant, and Administer to a group LDAP does not have.
    withStore(dir, (db) =>
      writePolicy(db, {
        ...readPolicy(db, 'Built-in'),
        directory: 'Corp',
        users: [{ name: 'user010', groups: [] }],
        groups: [{ name: 'ghost-admins', users: [], groups: [] }],
        permissions: [
          { user: 'user010', task: 'View & Download Packages', deny: false },
          { group: 'ghost-admins', task: 'Administer', deny: false },
        ],
      }),
    );

    const refused = await feedgateAsync(['directories', 'activate', '--name', 'Corp', ...source]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('It would lock out: Admin (directory "Built-in")');
    const forced = await feedgateAsync([
      'directories',
      'activate',
      '--name',
      'Corp',
      '--force',
      ...source,
    ]);
    expect(forced.status, forced.stderr).toBe(0);

    // Locked out: the built-in Admin (password and personal key), and every LDAP user too.
    expect((await admin({ 'X-ApiKey': 'Admin:initial-admin-pw-1' })).status).toBe(403);
    expect((await admin({ 'X-ApiKey': personalKey })).status).toBe(403);
    expect((await admin({ 'X-ApiKey': 'user010:pw-user010' })).status).toBe(403);
    const before = withStore(dir, keptRows);

    const recovered = await feedgateAsync(
      ['recover', 'reset-directory', '--data-dir', dir, '--password', 'Recovered-LDAP-Story-1'],
      { FEEDGATE_ADMIN_PASSWORD: undefined },
    );
    expect(recovered.stderr).toBe('');
    expect(recovered.status).toBe(0);
    expect(recovered.stdout).toContain('made directory "Built-in" active (was "Corp")');

    expect((await admin({ 'X-ApiKey': 'Admin:Recovered-LDAP-Story-1' })).status).toBe(200);
    expect((await admin({ 'X-ApiKey': personalKey })).status).toBe(200);
    const after = withStore(dir, keptRows);
    expect(after.apiKeys).toEqual(before.apiKeys);
    expect(after.ldap).toEqual(before.ldap);
    expect(after.permissions).toEqual(expect.arrayContaining(before.permissions as object[]));
    expect(withStore(dir, (db) => readPolicy(db, 'Corp').permissions)).toHaveLength(2);

    // The LDAP configuration works as before: the stored bind password still binds.
    const test = await feedgateAsync([
      'directories',
      'test',
      '--name',
      'Corp',
      '--user',
      'user010',
      '--password',
      'pw-user010',
      ...source,
    ]);
    expect(test.stdout).toContain('Sign-in: ok');
    expect(test.status).toBe(0);
    const shown = await feedgateAsync([
      'directories',
      'show',
      '--name',
      'Corp',
      '--json',
      ...source,
    ]);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      active: false,
      config: { url: slapd.url, bindDn: READER_DN, hasBindPassword: true },
    });
  });
});
