import { describe, expect, it } from 'vitest';
import { LDAP_PRESETS, ldapDirectoryConfigSchema, redactLdapConfig } from './ldap-config';

const minimal = {
  name: 'corp',
  url: 'ldap://ldap.example.com:389',
  userBase: 'ou=people,dc=example,dc=com',
  groupBase: 'ou=groups,dc=example,dc=com',
};

function problems(input: unknown): string[] {
  const result = ldapDirectoryConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('ldapDirectoryConfigSchema', () => {
  it('fills every setting left out from the preset, OpenLDAP when none is named', () => {
    const config = ldapDirectoryConfigSchema.parse(minimal);
    expect(config).toMatchObject({
      preset: 'openldap',
      startTls: false,
      verifyCertificate: true,
      userFilter: LDAP_PRESETS.openldap.userFilter,
      attributes: LDAP_PRESETS.openldap.attributes,
      membership: { mode: 'recursive', maxDepth: 10 },
      signInForm: 'plain',
      timeouts: { connectMs: 5000, operationMs: 5000 },
      cacheTtlSeconds: 300,
    });
  });

  it('takes the Active Directory preset and keeps what the caller set over it', () => {
    const config = ldapDirectoryConfigSchema.parse({
      ...minimal,
      preset: 'active-directory',
      attributes: { email: 'userPrincipalName' },
      membership: { maxDepth: 4 },
      timeouts: { connectMs: 1000 },
    });
    expect(config.attributes).toEqual({
      ...LDAP_PRESETS['active-directory'].attributes,
      email: 'userPrincipalName',
    });
    expect(config.membership).toEqual({ mode: 'ad-in-chain', maxDepth: 4 });
    expect(config.signInForm).toBe('windows');
    expect(config.timeouts).toEqual({ connectMs: 1000, operationMs: 5000 });
  });

  it('turns certificate verification off only when told so explicitly', () => {
    expect(ldapDirectoryConfigSchema.parse(minimal).verifyCertificate).toBe(true);
    expect(
      ldapDirectoryConfigSchema.parse({ ...minimal, verifyCertificate: false }).verifyCertificate,
    ).toBe(false);
    expect(problems({ ...minimal, verifyCertificate: 'no' })).toHaveLength(1);
  });

  it.each([
    ['http://ldap.example.com', 'url: must start with ldap:// or ldaps://'],
    ['ldap://user:pw@ldap.example.com', 'url: must not hold credentials (use bindDn)'],
    ['ldap://ldap.example.com/dc=example', 'url: must be scheme, host and port only'],
    ['not a url', 'url: must be a URL such as ldaps://ldap.example.com'],
  ])('refuses the URL %s', (url, problem) => {
    expect(problems({ ...minimal, url })).toEqual([problem]);
  });

  it('refuses filters without %s or with unbalanced parentheses', () => {
    expect(problems({ ...minimal, userFilter: '(uid=bob)' })).toEqual([
      'userFilter: must contain %s (where the escaped value goes)',
    ]);
    expect(problems({ ...minimal, groupFilter: '(&(cn=%s)' })).toEqual([
      'groupFilter: must be one LDAP filter in balanced parentheses, e.g. (uid=%s)',
    ]);
    expect(problems({ ...minimal, userFilter: '(uid=\\29%s)' })).toEqual([]);
  });

  it('refuses StartTLS over ldaps://, a bind DN without password, and out-of-bound numbers', () => {
    expect(problems({ ...minimal, url: 'ldaps://ldap.example.com', startTls: true })).toEqual([
      'startTls: startTls applies to ldap:// URLs only (ldaps:// is TLS from the start)',
    ]);
    expect(problems({ ...minimal, bindDn: 'cn=reader' })[0]).toMatch(
      /^bindPassword: bindDn and bindPassword/,
    );
    expect(problems({ ...minimal, bindDn: 'cn=reader', bindPassword: '' })[0]).toMatch(
      /^bindPassword: /,
    );
    expect(problems({ ...minimal, timeouts: { connectMs: 0 } })[0]).toMatch(
      /^timeouts.connectMs: /,
    );
    expect(problems({ ...minimal, timeouts: { operationMs: 600_000 } })[0]).toMatch(
      /^timeouts.operationMs: /,
    );
    expect(problems({ ...minimal, membership: { maxDepth: 0 } })[0]).toMatch(
      /^membership.maxDepth: /,
    );
    expect(problems({ ...minimal, preset: 'novell' })[0]).toMatch(/^preset: /);
  });

  it('refuses a CA certificate that is not PEM', () => {
    expect(problems({ ...minimal, caCertificate: 'MIIB...' })[0]).toMatch(
      /^caCertificate: must be one or more PEM/,
    );
  });

  it('never echoes the bind password in its errors', () => {
    const secret = 'hunter2-very-secret';
    const result = ldapDirectoryConfigSchema.safeParse({
      ...minimal,
      url: 'ftp://x',
      bindPassword: secret,
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain(secret);
  });
});

describe('redactLdapConfig', () => {
  it('drops the bind password and says whether there is one', () => {
    const config = ldapDirectoryConfigSchema.parse({
      ...minimal,
      bindDn: 'cn=reader',
      bindPassword: 's3cret',
    });
    const shown = redactLdapConfig(config);
    expect(shown).not.toHaveProperty('bindPassword');
    expect(shown.hasBindPassword).toBe(true);
    expect(JSON.stringify(shown)).not.toContain('s3cret');
    expect(redactLdapConfig(ldapDirectoryConfigSchema.parse(minimal)).hasBindPassword).toBe(false);
  });
});
