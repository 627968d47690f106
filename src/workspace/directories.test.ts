// The directories of a real embedded instance (the built CLI, over HTTP) against the real
// slapd fixture: an LDAP directory added and edited (its bind password never comes back),
// each kind of test failure told apart, the switch refused for a lockout and then forced,
// and the recovery that brings back the built-in directory with a new Admin password.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers/cli';
import { filesContaining } from '../../test/helpers/keyring';
import {
  GROUPS_BASE,
  PEOPLE_BASE,
  READER_DN,
  READER_PASSWORD,
  startSlapd,
  type Slapd,
} from '../../test/helpers/slapd';
import { Connections, freePort } from './connections';
import {
  listDirectories,
  removeDirectory,
  saveDirectory,
  switchDirectory,
  testDirectory,
  type LdapSettings,
} from './directories';
import { Mirror } from './mirror';
import { recoverLockout, recoveryPlan } from './recovery';
import { RemoteClient, RemoteError } from './remote-client';

const CLI_BUNDLE = path.join(ROOT, 'dist/cli/feedgate.cjs');

let dir: string;
let mirror: Mirror;
let connections: Connections;
let slapd: Slapd;
let id: string;
let adminPassword: string;
let instanceUrl: string;

beforeAll(async () => {
  slapd = await startSlapd({ tls: true });
  dir = mkdtempSync(path.join(tmpdir(), 'feedgate-directories-'));
  mirror = Mirror.open(path.join(dir, 'workspace.db'));
  connections = new Connections({ mirror, cliBundle: CLI_BUNDLE, appDataDir: dir });
  const added = await connections.addEmbedded({
    name: 'Lab',
    dataDir: path.join(dir, 'lab'),
    autostart: false,
    keyStorage: 'memory',
  });
  id = added.connection.id;
  adminPassword = added.adminPassword as string;
  instanceUrl = added.connection.url;
}, 60_000);

afterAll(async () => {
  await connections?.stopAll();
  mirror?.close();
  await slapd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const corp = (extra: Partial<LdapSettings> = {}): LdapSettings => ({
  preset: 'openldap',
  url: slapd.url,
  bindDn: READER_DN,
  userBase: PEOPLE_BASE,
  groupBase: GROUPS_BASE,
  ...extra,
});

const asAdmin = (password: string) =>
  new RemoteClient({ url: instanceUrl, auth: 'password', username: 'Admin', password });

describe('directories of an embedded instance with a real slapd', { timeout: 60_000 }, () => {
  it('adds an LDAP directory, never answering its bind password, and edits it', async () => {
    expect(await listDirectories(connections, id)).toEqual([
      {
        name: 'Built-in',
        type: 'builtin',
        active: true,
        configured: false,
        hasBindPassword: false,
      },
    ]);
    const added = await saveDirectory(connections, id, {
      name: 'Corp',
      settings: corp(),
      bindPassword: READER_PASSWORD,
    });
    expect(added).toMatchObject({
      name: 'Corp',
      type: 'ldap',
      active: false,
      configured: true,
      hasBindPassword: true,
      settings: { url: slapd.url, bindDn: READER_DN, userBase: PEOPLE_BASE, preset: 'openldap' },
    });
    expect(added.settings?.attributes).toMatchObject({ loginName: 'uid', groupName: 'cn' });
    expect(JSON.stringify(await listDirectories(connections, id))).not.toContain(READER_PASSWORD);

    // An edit without a password keeps the stored one; a cleared CA certificate is cleared.
    const edited = await saveDirectory(connections, id, {
      name: 'Corp',
      settings: corp({ userFilter: '(&(objectClass=inetOrgPerson)(uid=%s))' }),
    });
    expect(edited).toMatchObject({ hasBindPassword: true, settings: { url: slapd.url } });
    expect(await testDirectory(connections, id, 'Corp')).toEqual({
      ok: true,
      security: 'none',
      signedIn: false,
    });

    await expect(
      saveDirectory(connections, id, { name: 'Corp', settings: corp({ url: 'http://x' }) }),
    ).rejects.toThrow(/url: must start with ldap:\/\/ or ldaps:\/\//);
    await expect(
      saveDirectory(connections, id, { name: 'Built-in', settings: corp() }),
    ).rejects.toThrow('"Built-in" is the built-in directory: it has no LDAP settings');
  });

  it('finds a user with their nested groups and signs them in', async () => {
    const found = await testDirectory(connections, id, 'Corp', {
      user: 'user010',
      password: 'pw-user010',
    });
    expect(found).toMatchObject({ ok: true, signedIn: true, user: { name: 'user010' } });
    if (!found.ok || !found.user) throw new Error('expected user010');
    expect([...found.user.groups].sort()).toEqual([
      'backend',
      'company',
      'databases',
      'engineering',
      'team-10',
    ]);
  });

  it('tells each failure apart, with what to do next', async () => {
    expect(
      await testDirectory(connections, id, 'Corp', { user: 'user010', password: 'wrong-pw' }),
    ).toMatchObject({
      ok: false,
      failure: 'wrong-password',
      message: '"user010" was found, but the password was refused',
      next: expect.stringContaining('Check the password'),
      user: { name: 'user010' },
    });
    expect(
      await testDirectory(connections, id, 'Corp', { user: 'nobody-here', password: 'x' }),
    ).toMatchObject({
      ok: false,
      failure: 'user-not-found',
      message: 'no user "nobody-here" in directory "Corp"',
    });

    const outcome = async (settings: LdapSettings, bindPassword?: string) => {
      await saveDirectory(connections, id, {
        name: 'Corp',
        settings,
        ...(bindPassword !== undefined && { bindPassword }),
      });
      return testDirectory(connections, id, 'Corp');
    };
    expect(await outcome(corp(), 'not-the-password')).toMatchObject({
      ok: false,
      failure: 'bad-bind',
      next: expect.stringContaining('bind DN'),
    });
    // The self-signed certificate is not trusted until it is given as the CA.
    expect(await outcome(corp({ url: slapd.ldapsUrl as string }), READER_PASSWORD)).toMatchObject({
      ok: false,
      failure: 'tls',
    });
    expect(
      await outcome(corp({ url: slapd.ldapsUrl as string, caCertificate: slapd.certificate })),
    ).toMatchObject({ ok: true, security: 'ldaps' });
    const closed = await freePort();
    expect(await outcome(corp({ url: `ldap://127.0.0.1:${closed}` }))).toMatchObject({
      ok: false,
      failure: 'unreachable',
    });
    expect(await outcome(corp({ userBase: 'ou=nowhere,dc=example,dc=com' }))).toMatchObject({
      ok: false,
      failure: 'config',
      message: expect.stringContaining('userBase'),
    });
    // Back to the working settings for the switch (the stored password still binds).
    expect(await outcome(corp())).toMatchObject({ ok: true });
  });

  it('refuses a switch that locks Admin out, forces it, and recovery brings back the built-in directory', async () => {
    const refused = await switchDirectory(connections, id, 'Corp');
    expect(refused).toMatchObject({ status: 'refused-lockout', name: 'Corp' });
    if (refused.status !== 'refused-lockout') return;
    expect(refused.reason).toMatch(/It would lock out: Admin \(directory "Built-in"\)\.$/);
    expect((await listDirectories(connections, id)).find((d) => d.active)?.name).toBe('Built-in');

    expect(await switchDirectory(connections, id, 'Corp', { allowLockout: true })).toMatchObject({
      status: 'switched',
      name: 'Corp',
      changed: true,
    });
    // The app's full-control key still administers; Admin's password binds against LDAP now.
    expect((await listDirectories(connections, id)).find((d) => d.active)?.name).toBe('Corp');
    await expect(asAdmin(adminPassword).getSnapshot()).rejects.toThrow(RemoteError);
    await expect(removeDirectory(connections, id, 'Corp')).rejects.toThrow(/active directory/);

    const recovered = await recoverLockout(connections, id);
    if (recovered.kind !== 'embedded') throw new Error('an embedded connection recovers here');
    expect((await listDirectories(connections, id)).find((d) => d.active)?.name).toBe('Built-in');
    expect((await asAdmin(recovered.adminPassword).getSnapshot()).revision).toBeGreaterThan(0);
    await expect(asAdmin(adminPassword).getSnapshot()).rejects.toMatchObject({
      kind: 'access-denied',
    });

    // Corp was kept, inactive, with its bind password; now it can go.
    expect(await testDirectory(connections, id, 'Corp')).toMatchObject({ ok: true });
    await removeDirectory(connections, id, 'Corp');
    expect((await listDirectories(connections, id)).map((d) => d.name)).toEqual(['Built-in']);
    expect(filesContaining(dir, READER_PASSWORD)).toEqual([]);
  });

  it('plans the recovery: the app runs it for an embedded instance, the admin runs it on a remote host', async () => {
    const embedded = recoveryPlan(connections, id);
    expect(embedded).toMatchObject({
      kind: 'embedded',
      command: `feedgate recover reset-directory --data-dir ${path.join(dir, 'lab')}`,
    });
    expect(embedded.fillIn).toBeUndefined();
    const remote = await connections.addRemote({
      name: 'Prod',
      url: 'https://feedgate.example.com:8624',
      apiKey: 'fgk_unused',
      keyStorage: 'memory',
    });
    const plan = recoveryPlan(connections, remote.id);
    expect(plan).toMatchObject({
      kind: 'remote',
      host: 'feedgate.example.com',
      command: 'feedgate recover reset-directory --data-dir DATA_DIR',
      fillIn: expect.stringContaining('DATA_DIR'),
    });
    expect(plan.steps[0]).toContain('feedgate.example.com');
    expect(plan.effects.join(' ')).toMatch(/No directory, grant or API key is removed/);
  });
});
