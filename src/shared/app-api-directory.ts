// The AppApi channels of a connection's user directories and of the recovery plan. Spread
// into APP_API (app-api.ts). A bind password is an argument of `directories:save` only:
// results say whether one is configured (`hasBindPassword`), never what it is.
import { z } from 'zod';

const id = z.string().trim().min(1, 'must not be empty').max(100);
const directoryName = z.string().trim().min(1, 'must not be empty').max(256);
const setting = z.string().trim().max(1024);
const requiredSetting = setting.min(1, 'must not be empty');
const preset = z.enum(['openldap', 'active-directory']);
const membershipMode = z.enum(['direct', 'recursive', 'ad-in-chain']);
const attributeNames = z.object({
  loginName: setting.optional(),
  displayName: setting.optional(),
  email: setting.optional(),
  groupName: setting.optional(),
  member: setting.optional(),
});

/** LDAP settings as the desktop edits them; the instance checks them and fills in its preset. */
const ldapSettings = z.object({
  preset: preset.optional(),
  url: requiredSetting,
  startTls: z.boolean().optional(),
  verifyCertificate: z.boolean().optional(),
  caCertificate: z
    .string()
    .max(64 * 1024)
    .optional(),
  bindDn: setting.optional(),
  userBase: requiredSetting,
  groupBase: requiredSetting,
  userFilter: setting.optional(),
  groupFilter: setting.optional(),
  attributes: attributeNames.optional(),
  membershipMode: membershipMode.optional(),
});

const directorySchema = z.object({
  name: z.string(),
  type: z.enum(['builtin', 'ldap']),
  active: z.boolean(),
  configured: z.boolean(),
  hasBindPassword: z.boolean(),
  settings: ldapSettings.optional(),
});

const foundUser = z.object({
  name: z.string(),
  dn: z.string().optional(),
  displayName: z.string().optional(),
  email: z.string().optional(),
  groups: z.array(z.string()),
});

export const DIRECTORY_CHANNELS = {
  /** The instance's directories; which one is active; LDAP settings without a password. */
  'directories:list': {
    args: z.strictObject({ id }),
    result: z.object({ directories: z.array(directorySchema) }),
  },
  /** Adds LDAP directory `name`, or edits it; a bind password not given is kept. */
  'directories:save': {
    args: z.strictObject({
      id,
      name: directoryName,
      settings: ldapSettings.strict(),
      bindPassword: z.string().min(1, 'must not be empty').max(1024).optional(),
    }),
    result: z.object({ directory: directorySchema }),
  },
  /** Binds with the stored settings; with `signInAs`, finds the user and their groups, signs in. */
  'directories:test': {
    args: z.strictObject({
      id,
      name: directoryName,
      signInAs: z
        .strictObject({
          user: directoryName,
          password: z.string().min(1, 'must not be empty').max(1024),
        })
        .optional(),
    }),
    result: z.discriminatedUnion('ok', [
      z.object({
        ok: z.literal(true),
        security: z.string(),
        user: foundUser.optional(),
        signedIn: z.boolean(),
      }),
      z.object({
        ok: z.literal(false),
        failure: z.enum([
          'unreachable',
          'timeout',
          'tls',
          'bad-bind',
          'config',
          'user-not-found',
          'wrong-password',
          'server',
        ]),
        message: z.string(),
        /** What to do next. */
        next: z.string(),
        user: foundUser.optional(),
      }),
    ]),
  },
  /** Makes `name` active; refused (with the server's reason) if no admin would be left. */
  'directories:switch': {
    args: z.strictObject({ id, name: directoryName, allowLockout: z.boolean().optional() }),
    result: z.discriminatedUnion('status', [
      z.object({
        status: z.literal('switched'),
        name: z.string(),
        changed: z.boolean(),
        revision: z.number().int(),
      }),
      z.object({ status: z.literal('refused-lockout'), name: z.string(), reason: z.string() }),
    ]),
  },
  /** Removes an inactive LDAP directory with its principals and grants. */
  'directories:remove': {
    args: z.strictObject({ id, name: directoryName }),
    result: z.object({ name: z.string() }),
  },
  /** What recovery will do for a connection, before doing anything (`recovery:reset` does it). */
  'recovery:plan': {
    args: z.strictObject({ id }),
    result: z.object({
      kind: z.enum(['embedded', 'remote']),
      connectionName: z.string(),
      host: z.string(),
      command: z.string(),
      fillIn: z.string().optional(),
      steps: z.array(z.string()),
      effects: z.array(z.string()),
    }),
  },
} as const;
