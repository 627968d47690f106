// What the `directories` commands share: --source/--api-key, --name, the LDAP settings as
// options (add and edit), and a look-up that names an unknown directory (exit 1).
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  LDAP_PRESET_NAMES,
  MEMBERSHIP_MODES,
  SIGN_IN_FORMS,
} from '../../server/directory/ldap-config';
import type { DirectoryInfo, RemoteClient } from '../../workspace/remote-client';
import { CliError, EXIT, fsReason } from '../io';
import { remote } from '../policy/remote';

export { withSource, EXIT_HELP } from '../apikeys/common';

/** The environment variable that carries a bind password (not visible in the process list). */
export const BIND_PASSWORD_ENV = 'FEEDGATE_BIND_PASSWORD';

export function withName(command: Command, what: string): Command {
  return command.requiredOption('--name <name>', what);
}

/** The LDAP settings as options: every one optional (a preset fills the rest on `add`). */
export function withSettings(command: Command): Command {
  return (
    command
      .addOption(new Option('--preset <preset>', 'settings preset').choices(LDAP_PRESET_NAMES))
      .option('--url <url>', 'ldap:// or ldaps:// URL of the server (scheme, host, port)')
      .option('--start-tls', 'upgrade an ldap:// connection with StartTLS')
      .option('--no-start-tls', 'do not use StartTLS')
      // The positive option first: then neither given leaves the setting out (not `true`).
      .option('--verify-certificate', "verify the server's certificate (the default)")
      .option('--no-verify-certificate', "do not verify the server's certificate (tests only)")
      .option('--ca-certificate <file>', 'PEM file of CA certificates to trust for this server')
      .option('--bind-dn <dn>', 'DN of the service account that searches the directory')
      .option(
        '--bind-password <password>',
        `its password (prefer the ${BIND_PASSWORD_ENV} environment variable)`,
      )
      .option('--user-base <dn>', 'where users are searched')
      .option('--group-base <dn>', 'where groups are searched')
      .option('--user-filter <filter>', 'user filter with %s, e.g. (&(objectClass=person)(uid=%s))')
      .option('--group-filter <filter>', 'group filter with %s')
      .option('--login-attribute <name>', 'attribute users sign in with (uid, sAMAccountName)')
      .option('--display-name-attribute <name>', 'display name attribute')
      .option('--email-attribute <name>', 'email attribute')
      .option('--group-name-attribute <name>', 'attribute that names a group (cn)')
      .option('--member-attribute <name>', "attribute listing a group's members (member)")
      .addOption(
        new Option('--membership <mode>', 'group membership mode').choices(MEMBERSHIP_MODES),
      )
      .option('--max-depth <n>', 'levels of nesting walked in recursive mode')
      .addOption(
        new Option('--sign-in-form <form>', 'how sign-in names are read').choices(SIGN_IN_FORMS),
      )
      .option(
        '--sign-in-domains <list>',
        'comma-separated domains accepted in windows sign-in forms',
      )
      .option('--connect-timeout <ms>', 'connect and TLS handshake timeout in milliseconds')
      .option('--operation-timeout <ms>', 'timeout of each LDAP operation in milliseconds')
      .option('--cache-ttl <seconds>', "how long a user's groups are reused (0: never)")
  );
}

export interface SettingsOptions {
  preset?: string;
  url?: string;
  startTls?: boolean;
  verifyCertificate?: boolean;
  caCertificate?: string;
  bindDn?: string;
  bindPassword?: string;
  userBase?: string;
  groupBase?: string;
  userFilter?: string;
  groupFilter?: string;
  loginAttribute?: string;
  displayNameAttribute?: string;
  emailAttribute?: string;
  groupNameAttribute?: string;
  memberAttribute?: string;
  membership?: string;
  maxDepth?: string;
  signInForm?: string;
  signInDomains?: string;
  connectTimeout?: string;
  operationTimeout?: string;
  cacheTtl?: string;
}

function wholeNumber(text: string, option: string): number {
  if (!/^\d{1,9}$/.test(text.trim()))
    throw new CliError(`${option} must be a whole number, not "${text}"`);
  return Number(text.trim());
}

/**
 * The settings the options give, in the API's shape (only those given). The bind password
 * comes from --bind-password, else from FEEDGATE_BIND_PASSWORD when --bind-dn is given.
 */
export function settingsFrom(options: SettingsOptions): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  const copy = {
    preset: options.preset,
    url: options.url,
    startTls: options.startTls,
    verifyCertificate: options.verifyCertificate,
    bindDn: options.bindDn,
    userBase: options.userBase,
    groupBase: options.groupBase,
    userFilter: options.userFilter,
    groupFilter: options.groupFilter,
    signInForm: options.signInForm,
  };
  for (const [key, value] of Object.entries(copy)) if (value !== undefined) settings[key] = value;
  const password = options.bindPassword ?? process.env[BIND_PASSWORD_ENV];
  if (options.bindPassword !== undefined && options.bindPassword === '')
    throw new CliError('--bind-password must not be empty');
  if (
    password !== undefined &&
    password !== '' &&
    (options.bindPassword !== undefined || options.bindDn !== undefined)
  )
    settings.bindPassword = password;
  if (options.caCertificate !== undefined) {
    try {
      settings.caCertificate = readFileSync(options.caCertificate, 'utf8');
    } catch (error) {
      throw new CliError(
        `--ca-certificate: cannot read ${options.caCertificate}: ${fsReason(error)}`,
      );
    }
  }
  const attributes = {
    loginName: options.loginAttribute,
    displayName: options.displayNameAttribute,
    email: options.emailAttribute,
    groupName: options.groupNameAttribute,
    member: options.memberAttribute,
  };
  const givenAttributes = Object.entries(attributes).filter(([, v]) => v !== undefined);
  if (givenAttributes.length > 0) settings.attributes = Object.fromEntries(givenAttributes);
  if (options.membership !== undefined || options.maxDepth !== undefined)
    settings.membership = {
      ...(options.membership !== undefined && { mode: options.membership }),
      ...(options.maxDepth !== undefined && {
        maxDepth: wholeNumber(options.maxDepth, '--max-depth'),
      }),
    };
  if (options.signInDomains !== undefined)
    settings.signInDomains = options.signInDomains
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d !== '');
  if (options.connectTimeout !== undefined || options.operationTimeout !== undefined)
    settings.timeouts = {
      ...(options.connectTimeout !== undefined && {
        connectMs: wholeNumber(options.connectTimeout, '--connect-timeout'),
      }),
      ...(options.operationTimeout !== undefined && {
        operationMs: wholeNumber(options.operationTimeout, '--operation-timeout'),
      }),
    };
  if (options.cacheTtl !== undefined)
    settings.cacheTtlSeconds = wholeNumber(options.cacheTtl, '--cache-ttl');
  return settings;
}

/** The directory named `name` on the instance; exit 1 naming the ones there are. */
export async function findDirectory(client: RemoteClient, name: string): Promise<DirectoryInfo> {
  const directories = await remote(() => client.listDirectories());
  const found = directories.find((d) => d.name === name);
  if (found) return found;
  throw new CliError(
    `no directory named "${name}" on ${client.url} (there are: ${directories.map((d) => d.name).join(', ')})`,
    EXIT.FAILED,
  );
}
