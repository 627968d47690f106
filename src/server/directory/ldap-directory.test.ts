// Against a real OpenLDAP slapd (test/helpers/slapd.ts), started once for this file with TLS.
import { createServer, type Server, type Socket } from 'node:net';
import { Attribute, Change, Client, ExtensibleFilter, FilterParser, AndFilter } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../../test/helpers/cli-async';
import {
  ADMIN_DN,
  ADMIN_PASSWORD,
  FIXTURE_USERS,
  GROUPS_BASE,
  PEOPLE_BASE,
  READER_DN,
  READER_PASSWORD,
  fixtureGroupDn,
  fixtureUserDn,
  startSlapd,
  type Slapd,
} from '../../../test/helpers/slapd';
import { ldapDirectoryConfigSchema, type LdapDirectoryConfigInput } from './ldap-config';
import {
  AD_IN_CHAIN_RULE,
  LdapDirectory,
  LdapError,
  inChainGroupsFilter,
  normalizeLogin,
  principalKey,
  type LdapPrincipal,
} from './ldap-directory';

let slapd: Slapd;

beforeAll(async () => {
  slapd = await startSlapd({ tls: true });
});

afterAll(async () => {
  await slapd?.stop();
});

function directory(
  overrides: Partial<LdapDirectoryConfigInput> = {},
  options: { clock?: () => number } = {},
): LdapDirectory {
  const config = ldapDirectoryConfigSchema.parse({
    name: 'corp',
    preset: 'openldap',
    url: slapd.url,
    bindDn: READER_DN,
    bindPassword: READER_PASSWORD,
    userBase: PEOPLE_BASE,
    groupBase: GROUPS_BASE,
    ...overrides,
  });
  return new LdapDirectory(config, options);
}

/** The LdapError a promise rejects with (fails the test when it resolves or throws another). */
async function ldapError(promise: Promise<unknown>): Promise<LdapError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LdapError);
  return error as LdapError;
}

const names = (principals: { name: string }[]) => principals.map((p) => p.name);

describe('LdapDirectory against slapd: connection and sign-in', () => {
  it('tests the connection: service bind and both bases', async () => {
    await expect(directory().testConnection()).resolves.toEqual({
      url: slapd.url,
      security: 'none',
    });
    const wrongBind = await ldapError(
      directory({ bindPassword: 'not-the-reader-secret' }).testConnection(),
    );
    expect(wrongBind.code).toBe('config');
    expect(wrongBind.message).toContain(READER_DN);
    expect(wrongBind.message).not.toContain('not-the-reader-secret');
    const missingBase = await ldapError(
      directory({ groupBase: 'ou=nowhere,dc=example,dc=com' }).testConnection(),
    );
    expect(missingBase.code).toBe('config');
    expect(missingBase.message).toContain(
      'groupBase "ou=nowhere,dc=example,dc=com" does not exist',
    );
  });

  it('signs a user in with the right password and returns their groups', async () => {
    const { user, groups } = await directory().signIn('user010', 'pw-user010');
    expect(user).toEqual({
      kind: 'user',
      directory: 'corp',
      name: 'user010',
      dn: fixtureUserDn('user010'),
      displayName: 'User 010',
      email: 'user010@example.com',
    });
    expect(names(groups)).toEqual(['backend', 'company', 'databases', 'engineering', 'team-10']);
  });

  it('refuses to guess when the user filter matches more than one entry', async () => {
    const loose = directory({ userFilter: '(|(uid=%s)(objectClass=inetOrgPerson))' });
    const error = await ldapError(loose.signIn('user001', 'pw-user001'));
    expect(error.code).toBe('config');
    expect(error.message).toMatch(/matches more than one entry for "user001"/);
  });

  it('refuses a wrong password and an unknown user with the same error', async () => {
    const wrong = await ldapError(directory().signIn('user010', 'pw-user011'));
    const unknown = await ldapError(directory().signIn('nobody', 'pw-user010'));
    for (const error of [wrong, unknown]) {
      expect(error.code).toBe('invalid-credentials');
      expect(error.message).toBe('invalid user name or password');
    }
  });

  it('refuses an empty password locally, though this server accepts it as an anonymous bind', async () => {
    // The hazard is real on this server: a DN with an empty password "succeeds".
    const raw = new Client({ url: slapd.url });
    await expect(raw.bind(fixtureUserDn('user010'), '')).resolves.toBeUndefined();
    await raw.unbind();
    const refused = await ldapError(directory().signIn('user010', ''));
    expect(refused.code).toBe('invalid-credentials');
    // Refused before any network: a directory that cannot be reached says the same.
    const offline = directory({ url: `ldap://127.0.0.1:${await closedPort()}` });
    expect((await ldapError(offline.signIn('user010', ''))).code).toBe('invalid-credentials');
  });

  it('signs in users with non-ASCII names and passwords', async () => {
    const zoe = await directory().signIn('zoe', 'pw-zoë-ü');
    expect(zoe.user.displayName).toBe('Zoë Ångström');
    expect(names(zoe.groups)).toEqual([
      'backend',
      'company',
      'databases',
      'engineering',
      'Ünïcode Group',
    ]);
    const jurgen = await directory().signIn('jürgen', 'pw-jürgen');
    expect(jurgen.user).toMatchObject({ name: 'jürgen', displayName: 'Jürgen Müller 日本' });
    expect(names(jurgen.groups)).toEqual(['Ünïcode Group']);
  });

  it('never puts the password of a failed sign-in or the bind password in an error', async () => {
    const secret = 'bind-secret-that-must-not-leak';
    const down = directory({ url: `ldap://127.0.0.1:${await closedPort()}`, bindPassword: secret });
    const error = await ldapError(down.signIn('user010', 'user-secret-too'));
    expect(error.code).toBe('unreachable');
    expect(`${error.message} ${String(error.stack)}`).not.toMatch(/bind-secret|user-secret/);
  });
});

describe('LdapDirectory against slapd: filter injection', () => {
  it.each([
    ['*', ['*']],
    [')(uid=*', [')(uid=*']],
    ['back\\slash', ['back\\slash']],
    ['smith, john', ['smith, john']],
    ['user0*', []],
    ['*)(uid=user001', []],
    ['user001)(|(uid=*', []],
    ['user001\0', []],
    ['user001\\', []],
    ['\\2a', []],
  ])('findUser(%j) finds exactly %j', async (login, expected) => {
    const user = await directory().findUser(login);
    expect(user === undefined ? [] : [user.name]).toEqual(expected);
  });

  it('signs in only the user literally named "*", with that user’s password', async () => {
    await expect(directory().signIn('*', 'pw-star')).resolves.toMatchObject({
      user: { name: '*' },
    });
    expect((await ldapError(directory().signIn('*', 'pw-user001'))).code).toBe(
      'invalid-credentials',
    );
  });

  it.each([
    [')(uid=*', 'pw-paren'],
    ['back\\slash', 'pw-backslash'],
    ['smith, john', 'pw-smith'],
  ])('signs in %j, whose DN needs escaping, and finds their group', async (login, password) => {
    const { user, groups } = await directory().signIn(login, password);
    expect(user.name).toBe(login);
    expect(names(groups)).toEqual(['injected']);
  });

  it('treats a search term as literal text', async () => {
    const star = await directory().searchPrincipals('*', { pageSize: 100 });
    expect(names(star.principals).sort()).toEqual([')(uid=*', '*']);
    const paren = await directory().searchPrincipals(')(uid=*', { pageSize: 100 });
    expect(names(paren.principals)).toEqual([')(uid=*']);
    const slash = await directory().searchPrincipals('\\', { pageSize: 100 });
    expect(names(slash.principals)).toEqual(['back\\slash']);
    // slapd would end the value at NUL and match every "user": refused before searching.
    const nul = await ldapError(directory().searchPrincipals('user\0'));
    expect(nul.code).toBe('invalid-request');
  });
});

describe('LdapDirectory against slapd: principal search and paging', () => {
  it('pages through users without gaps or repeats', async () => {
    const seen: string[] = [];
    const pages: boolean[] = [];
    for (let page = 0; page < 3; page++) {
      const result = await directory().searchPrincipals('user0', {
        kind: 'user',
        page,
        pageSize: 20,
      });
      expect(result.principals).toHaveLength(20);
      expect(result.principals.every((p) => p.kind === 'user')).toBe(true);
      seen.push(...names(result.principals));
      pages.push(result.hasMore);
    }
    expect(pages).toEqual([true, true, false]);
    expect(new Set(seen).size).toBe(60);
    expect(seen.every((n) => /^user0\d\d$/.test(n))).toBe(true);
  });

  it('lists users then groups, every principal once, across pages', async () => {
    const seen: LdapPrincipal[] = [];
    for (let page = 0; ; page++) {
      const result = await directory().searchPrincipals('', { page, pageSize: 25 });
      seen.push(...result.principals);
      if (!result.hasMore) break;
    }
    const users = seen.filter((p) => p.kind === 'user');
    const groups = seen.filter((p) => p.kind === 'group');
    expect(users).toHaveLength(FIXTURE_USERS.length);
    expect(groups.length).toBeGreaterThanOrEqual(38);
    expect(seen.findIndex((p) => p.kind === 'group')).toBe(users.length);
    expect(new Set(seen.map(principalKey)).size).toBe(seen.length);
  });

  it('finds by display name and e-mail, and groups by name', async () => {
    expect(names((await directory().searchPrincipals('Ångström')).principals)).toEqual(['zoe']);
    expect(names((await directory().searchPrincipals('loner@')).principals)).toEqual(['loner']);
    const teams = await directory().searchPrincipals('team-', { kind: 'group', pageSize: 100 });
    expect(teams.principals).toHaveLength(30);
    expect(teams.principals.every((p) => p.kind === 'group' && p.directory === 'corp')).toBe(true);
  });

  it('refuses page sizes and pages out of bounds', async () => {
    for (const options of [{ pageSize: 0 }, { pageSize: 101 }, { page: -1 }, { page: 1000 }])
      expect((await ldapError(directory().searchPrincipals('', options))).code).toBe(
        'invalid-request',
      );
  });
});

describe('LdapDirectory against slapd: membership', () => {
  const groupsOf = async (login: string, overrides: Partial<LdapDirectoryConfigInput> = {}) => {
    const dir = directory(overrides);
    const user = await dir.findUser(login);
    if (!user) throw new Error(`fixture user ${login} missing`);
    return names(await dir.groupsOf(user));
  };

  it('direct: only the groups that list the user', async () => {
    expect(await groupsOf('user010', { membership: { mode: 'direct' } })).toEqual([
      'databases',
      'team-10',
    ]);
  });

  it('recursive: nested groups up to the configured depth', async () => {
    expect(await groupsOf('user010')).toEqual([
      'backend',
      'company',
      'databases',
      'engineering',
      'team-10',
    ]);
    expect(await groupsOf('user010', { membership: { mode: 'recursive', maxDepth: 2 } })).toEqual([
      'backend',
      'databases',
      'team-10',
    ]);
  });

  it('recursive: a membership cycle ends, each group once', async () => {
    expect(await groupsOf('user020')).toEqual(['cycle-a', 'cycle-b', 'team-20']);
    expect(await groupsOf('user021', { membership: { mode: 'recursive', maxDepth: 50 } })).toEqual([
      'cycle-a',
      'cycle-b',
      'team-21',
    ]);
  });

  it('a user in no group has none, in every mode slapd supports', async () => {
    expect(await groupsOf('loner')).toEqual([]);
    expect(await groupsOf('loner', { membership: { mode: 'direct' } })).toEqual([]);
  });

  it('caches groups for the TTL, and refresh reads them again', async () => {
    let now = 1_000_000;
    const dir = directory({ cacheTtlSeconds: 60 }, { clock: () => now });
    const user = await dir.findUser('user030');
    if (!user) throw new Error('fixture user user030 missing');
    expect(names(await dir.groupsOf(user))).toEqual(['team-30']);
    const admin = new Client({ url: slapd.url });
    await admin.bind(ADMIN_DN, ADMIN_PASSWORD);
    const membership = new Attribute({ type: 'member', values: [user.dn] });
    await admin.modify(
      fixtureGroupDn('backend'),
      new Change({ operation: 'add', modification: membership }),
    );
    try {
      expect(names(await dir.groupsOf(user))).toEqual(['team-30']);
      now += 59_000;
      expect(names(await dir.groupsOf(user))).toEqual(['team-30']);
      expect(names(await dir.refresh(user))).toEqual([
        'backend',
        'company',
        'engineering',
        'team-30',
      ]);
    } finally {
      await admin.modify(
        fixtureGroupDn('backend'),
        new Change({ operation: 'delete', modification: membership }),
      );
    }
    expect(names(await dir.groupsOf(user))).toHaveLength(4);
    now += 61_000;
    expect(names(await dir.groupsOf(user))).toEqual(['team-30']);
    await admin.unbind();
  });

  it('keys principals by directory: another directory’s user is not this one’s', async () => {
    const corp = directory();
    const other = directory({ name: 'other' });
    const inCorp = await corp.findUser('user001');
    const inOther = await other.findUser('user001');
    if (!inCorp || !inOther) throw new Error('fixture user user001 missing');
    expect(principalKey(inCorp)).not.toBe(principalKey(inOther));
    expect((await ldapError(other.groupsOf(inCorp))).code).toBe('invalid-request');
  });
});

describe('Active Directory (no server: slapd has no in-chain matching rule)', () => {
  const adConfig = (extra: Partial<LdapDirectoryConfigInput> = {}) =>
    ldapDirectoryConfigSchema.parse({
      name: 'ad',
      preset: 'active-directory',
      url: 'ldaps://dc.example.com',
      userBase: 'OU=Users,DC=example,DC=com',
      groupBase: 'OU=Groups,DC=example,DC=com',
      ...extra,
    });

  it('ad-in-chain asks for groups holding the user at any depth (rule 1.2.840.113556.1.4.1941)', () => {
    const config = adConfig();
    const userDn = 'CN=Smith\\, John (*),OU=Users,DC=example,DC=com';
    const filter = inChainGroupsFilter(config, userDn);
    expect(filter).toBe(
      '(&(&(objectClass=group)(cn=*))(member:1.2.840.113556.1.4.1941:=CN=Smith\\5c, John \\28\\2a\\29,OU=Users,DC=example,DC=com))',
    );
    const parsed = FilterParser.parseString(filter) as AndFilter;
    const inChain = parsed.filters[1] as ExtensibleFilter;
    expect(inChain).toBeInstanceOf(ExtensibleFilter);
    expect(inChain).toMatchObject({ matchType: 'member', rule: AD_IN_CHAIN_RULE, value: userDn });
  });

  it('normalises the Windows sign-in forms to the login name', () => {
    const config = adConfig({ signInDomains: ['CORP', 'corp.example.com'] });
    expect(normalizeLogin(config, 'CORP\\jdoe')).toBe('jdoe');
    expect(normalizeLogin(config, 'corp\\jdoe')).toBe('jdoe');
    expect(normalizeLogin(config, 'jdoe@corp.example.com')).toBe('jdoe');
    expect(normalizeLogin(config, 'jdoe')).toBe('jdoe');
    expect(normalizeLogin(config, 'OTHER\\jdoe')).toBeUndefined();
    expect(normalizeLogin(config, 'jdoe@evil.example')).toBeUndefined();
    expect(normalizeLogin(config, 'CORP\\')).toBeUndefined();
    const anyDomain = { ...config, signInDomains: [] };
    expect(normalizeLogin(anyDomain, 'OTHER\\jdoe')).toBe('jdoe');
    const plain = { ...config, signInForm: 'plain' as const };
    expect(normalizeLogin(plain, 'jdoe@corp.example.com')).toBe('jdoe@corp.example.com');
  });
});

describe('LdapDirectory: servers that are down, silent or on TLS', () => {
  let silent: Server;
  let silentPort: number;
  const held: Socket[] = [];

  beforeAll(async () => {
    // Accepts TCP and never answers: the client must give up after its timeout.
    silent = createServer((socket) => {
      held.push(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('a closed port is unreachable', async () => {
    const error = await ldapError(
      directory({ url: `ldap://127.0.0.1:${await closedPort()}` }).testConnection(),
    );
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/cannot be reached \(ECONNREFUSED\)/);
  });

  it.each([
    ['ldap://', {}, /no answer within 300 ms/],
    ['ldap://', { startTls: true }, /no answer within 300 ms/],
    ['ldaps://', {}, /no (connection|TLS handshake) within 300 ms/],
  ])('a silent server over %s %j times out', async (scheme, extra, message) => {
    const dir = directory({
      url: `${scheme}127.0.0.1:${silentPort}`,
      timeouts: { connectMs: 300, operationMs: 300 },
      ...extra,
    });
    const error = await ldapError(dir.signIn('user010', 'pw-user010'));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(message);
  });

  it('ldaps:// verifies the self-signed certificate: refused without its CA, fine with it', async () => {
    const ldaps = { url: slapd.ldapsUrl as string };
    const refused = await ldapError(directory(ldaps).testConnection());
    expect(refused.code).toBe('tls');
    expect(refused.message).toMatch(/TLS failed: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED)/);
    await expect(
      directory({ ...ldaps, caCertificate: slapd.certificate }).signIn('zoe', 'pw-zoë-ü'),
    ).resolves.toMatchObject({ user: { name: 'zoe' } });
    await expect(
      directory({ ...ldaps, verifyCertificate: false }).testConnection(),
    ).resolves.toMatchObject({ security: 'ldaps' });
  });

  it('StartTLS refused by a server without TLS is a TLS error, not a clear-text fallback', async () => {
    const plain = await startSlapd();
    try {
      const error = await ldapError(
        directory({ url: plain.url, startTls: true, verifyCertificate: false }).signIn(
          'user001',
          'pw-user001',
        ),
      );
      expect(error.code).toBe('tls');
      expect(error.message).toMatch(/refused StartTLS/);
    } finally {
      await plain.stop();
    }
  });

  it('StartTLS verifies the certificate the same way', async () => {
    const refused = await ldapError(directory({ startTls: true }).testConnection());
    expect(refused.code).toBe('tls');
    await expect(
      directory({ startTls: true, caCertificate: slapd.certificate }).signIn(
        'user001',
        'pw-user001',
      ),
    ).resolves.toMatchObject({ user: { name: 'user001' } });
    await expect(
      directory({ startTls: true, verifyCertificate: false }).testConnection(),
    ).resolves.toEqual({ url: slapd.url, security: 'starttls' });
  });
});
