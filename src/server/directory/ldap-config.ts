// The configuration of one LDAP directory (OpenLDAP or Active Directory), as stored by the
// instance and edited through the v1 API. A preset fills every setting the caller leaves out,
// so `{ name, preset, url, userBase, groupBase }` is a complete configuration. The bind
// password is write-only: anything handed back to a caller goes through `redactLdapConfig`.
import { z } from 'zod';

export const LDAP_PRESET_NAMES = ['openldap', 'active-directory'] as const;
export type LdapPresetName = (typeof LDAP_PRESET_NAMES)[number];

export const MEMBERSHIP_MODES = ['direct', 'recursive', 'ad-in-chain'] as const;
export type MembershipMode = (typeof MEMBERSHIP_MODES)[number];

/** Bounds keep a misconfiguration from turning into a hang (timeouts) or a stale cache. */
export const LDAP_LIMITS = {
  timeoutMs: { min: 100, max: 60_000, default: 5_000 },
  maxDepth: { min: 1, max: 50, default: 10 },
  cacheTtlSeconds: { min: 0, max: 86_400, default: 300 },
} as const;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** A search filter template: one LDAP filter in parentheses that holds `%s` at least once. */
const filterTemplate = text(1024)
  .refine((f) => f.includes('%s'), 'must contain %s (where the escaped value goes)')
  .refine(
    (f) => f.startsWith('(') && f.endsWith(')') && balancedParentheses(f),
    'must be one LDAP filter in balanced parentheses, e.g. (uid=%s)',
  );

function balancedParentheses(filter: string): boolean {
  let depth = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** An attribute description (RFC 4512): a name or an OID, with options such as `;binary`. */
const attributeName = z
  .string()
  .trim()
  .regex(/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)(;[A-Za-z0-9-]+)*$/, 'must be an attribute name');

const ldapUrl = text(2048).superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a URL such as ldaps://ldap.example.com' });
    return;
  }
  if (url.protocol !== 'ldap:' && url.protocol !== 'ldaps:')
    ctx.addIssue({ code: 'custom', message: 'must start with ldap:// or ldaps://' });
  else if (url.hostname === '') ctx.addIssue({ code: 'custom', message: 'must name a host' });
  else if (url.username !== '' || url.password !== '')
    ctx.addIssue({ code: 'custom', message: 'must not hold credentials (use bindDn)' });
  else if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '')
    ctx.addIssue({ code: 'custom', message: 'must be scheme, host and port only' });
});

const pemCertificates = z
  .string()
  .trim()
  .max(200_000)
  .regex(
    /^(-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*)+$/,
    'must be one or more PEM certificates (-----BEGIN CERTIFICATE----- ...)',
  );

const bounded = (limits: { min: number; max: number; default: number }) =>
  z.number().int().min(limits.min).max(limits.max).default(limits.default);

const timeoutMs = bounded(LDAP_LIMITS.timeoutMs);

const attributesSchema = z.strictObject({
  /** The attribute a user signs in with (uid, sAMAccountName). */
  loginName: attributeName,
  displayName: attributeName,
  email: attributeName,
  /** The attribute that names a group (cn). */
  groupName: attributeName,
  /**
   * On a group: the DNs of its members, users and groups (member, uniqueMember). Membership is
   * read from groups, never from a user's memberOf, so no memberOf overlay is needed and group
   * names come back in the same search.
   */
  member: attributeName,
});

/**
 * How the sign-in name is read: `plain` takes it as typed; `windows` also accepts
 * `user@domain` and `DOMAIN\user` and keeps `user` (Active Directory's sAMAccountName).
 */
export const SIGN_IN_FORMS = ['plain', 'windows'] as const;

const baseSchema = z.strictObject({
  name: text(256),
  preset: z.enum(LDAP_PRESET_NAMES),
  url: ldapUrl,
  startTls: z.boolean().default(false),
  /** Certificate checks stay on unless this is explicitly `false`. */
  verifyCertificate: z.boolean().default(true),
  /** Extra trusted CA certificates (PEM) for a private CA or a self-signed server. */
  caCertificate: pemCertificates.optional(),
  /** Absent with no password: searches run anonymously (allowed by many OpenLDAP servers). */
  bindDn: text(1024).optional(),
  bindPassword: z.string().min(1, 'must not be empty').max(1024).optional(),
  userBase: text(1024),
  groupBase: text(1024),
  /** `%s` is the escaped login name (sign-in, lookup) or `*` (listing for pickers). */
  userFilter: filterTemplate,
  /** `%s` is the escaped group name or `*`. */
  groupFilter: filterTemplate,
  attributes: attributesSchema,
  membership: z.strictObject({
    mode: z.enum(MEMBERSHIP_MODES),
    /** Levels of nesting walked in `recursive` mode; deeper groups are not reached. */
    maxDepth: bounded(LDAP_LIMITS.maxDepth),
  }),
  signInForm: z.enum(SIGN_IN_FORMS),
  /**
   * Domains accepted in the `windows` sign-in forms (NetBIOS `CORP` or DNS `corp.example.com`,
   * compared without case). Empty: any domain is accepted and dropped.
   */
  signInDomains: z.array(text(256)).max(50).default([]),
  timeouts: z.strictObject({ connectMs: timeoutMs, operationMs: timeoutMs }).default({
    connectMs: LDAP_LIMITS.timeoutMs.default,
    operationMs: LDAP_LIMITS.timeoutMs.default,
  }),
  /** How long a user's resolved groups are reused; 0 resolves them at every sign-in. */
  cacheTtlSeconds: bounded(LDAP_LIMITS.cacheTtlSeconds),
});

type PresetDefaults = Pick<
  z.input<typeof baseSchema>,
  'userFilter' | 'groupFilter' | 'attributes' | 'membership' | 'signInForm'
>;

export const LDAP_PRESETS: Readonly<Record<LdapPresetName, Readonly<PresetDefaults>>> = {
  openldap: {
    userFilter: '(&(objectClass=inetOrgPerson)(uid=%s))',
    groupFilter: '(&(objectClass=groupOfNames)(cn=%s))',
    attributes: {
      loginName: 'uid',
      displayName: 'cn',
      email: 'mail',
      groupName: 'cn',
      member: 'member',
    },
    membership: { mode: 'recursive' },
    signInForm: 'plain',
  },
  'active-directory': {
    userFilter: '(&(objectCategory=person)(objectClass=user)(sAMAccountName=%s))',
    groupFilter: '(&(objectClass=group)(cn=%s))',
    attributes: {
      loginName: 'sAMAccountName',
      displayName: 'displayName',
      email: 'mail',
      groupName: 'cn',
      member: 'member',
    },
    membership: { mode: 'ad-in-chain' },
    signInForm: 'windows',
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Fills what the input leaves out from its preset (`openldap` when none is named). */
function withPresetDefaults(input: unknown): unknown {
  if (!isRecord(input)) return input;
  const presetName = input.preset ?? 'openldap';
  if (typeof presetName !== 'string' || !(presetName in LDAP_PRESETS)) return input;
  const preset = LDAP_PRESETS[presetName as LdapPresetName];
  const merged: Record<string, unknown> = { ...preset, ...input, preset: presetName };
  for (const key of ['attributes', 'membership'] as const)
    if (isRecord(input[key])) merged[key] = { ...preset[key], ...input[key] };
  return merged;
}

export const ldapDirectoryConfigSchema = z.preprocess(
  withPresetDefaults,
  baseSchema
    .refine((c) => !(c.startTls && c.url.startsWith('ldaps:')), {
      message: 'startTls applies to ldap:// URLs only (ldaps:// is TLS from the start)',
      path: ['startTls'],
    })
    .refine((c) => (c.bindDn === undefined) === (c.bindPassword === undefined), {
      message: 'bindDn and bindPassword go together (both, or neither for anonymous searches)',
      path: ['bindPassword'],
    }),
);

export type LdapDirectoryConfig = z.output<typeof baseSchema>;
/** What a caller may send: everything a preset fills is optional in practice. */
export type LdapDirectoryConfigInput = Partial<z.input<typeof baseSchema>> &
  Pick<z.input<typeof baseSchema>, 'name' | 'url' | 'userBase' | 'groupBase'>;

/** A configuration as shown to callers: the bind password is gone, only its presence is told. */
export type RedactedLdapConfig = Omit<LdapDirectoryConfig, 'bindPassword'> & {
  hasBindPassword: boolean;
};

export function redactLdapConfig(config: LdapDirectoryConfig): RedactedLdapConfig {
  const { bindPassword, ...rest } = config;
  return { ...rest, hasBindPassword: bindPassword !== undefined };
}
