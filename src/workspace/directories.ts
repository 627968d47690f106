// The user directories of a connected instance (docs/ldap.md): list them, add or edit an LDAP
// directory, test it (bind, a user and their groups, a sign-in), switch the active directory
// with the instance's lockout check, remove one. A bind password is an argument only: answers
// say whether one is configured, never what it is. An LDAP failure is an answer naming what
// went wrong and what to do next, not an error.
import type { Connections } from './connections';
import { RemoteError, type DirectoryInfo, type DirectoryTestResult } from './remote-client';

export const LDAP_PRESETS = ['openldap', 'active-directory'] as const;
export const MEMBERSHIP_MODES = ['direct', 'recursive', 'ad-in-chain'] as const;
export const LDAP_ATTRIBUTES = [
  'loginName',
  'displayName',
  'email',
  'groupName',
  'member',
] as const;

export type LdapAttribute = (typeof LDAP_ATTRIBUTES)[number];

/** The LDAP settings the desktop edits; the instance's preset fills what is left out. */
export interface LdapSettings {
  preset?: (typeof LDAP_PRESETS)[number];
  url: string;
  startTls?: boolean;
  verifyCertificate?: boolean;
  caCertificate?: string;
  bindDn?: string;
  userBase: string;
  groupBase: string;
  userFilter?: string;
  groupFilter?: string;
  attributes?: Partial<Record<LdapAttribute, string>>;
  membershipMode?: (typeof MEMBERSHIP_MODES)[number];
}

export interface DirectorySummary {
  name: string;
  type: 'builtin' | 'ldap';
  active: boolean;
  /** false for an LDAP directory added without settings. */
  configured: boolean;
  hasBindPassword: boolean;
  settings?: LdapSettings;
}

/** What went wrong in a test, each with its own next step. */
export type DirectoryFailure =
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'bad-bind'
  | 'config'
  | 'user-not-found'
  | 'wrong-password'
  | 'server';

export interface FoundUser {
  name: string;
  dn?: string;
  displayName?: string;
  email?: string;
  groups: string[];
}

export type DirectoryTestOutcome =
  | { ok: true; security: string; user?: FoundUser; signedIn: boolean }
  | { ok: false; failure: DirectoryFailure; message: string; next: string; user?: FoundUser };

export type SwitchOutcome =
  | { status: 'switched'; name: string; changed: boolean; revision: number }
  | { status: 'refused-lockout'; name: string; reason: string };

const NEXT_STEP: Record<DirectoryFailure, string> = {
  unreachable:
    'Check the URL (host and port) and that the LDAP server runs and accepts connections from the instance.',
  timeout:
    'The server did not answer in time: check the host, the port and any firewall between the instance and it.',
  tls: 'Check the TLS settings: give the server’s CA certificate, or use ldaps:// or StartTLS as the server expects.',
  'bad-bind': 'Check the bind DN and type its password again, then save and test.',
  config: 'Check the user and group bases and the filters against the directory.',
  'user-not-found':
    'Check the login name, the user base and the user filter (its %s stands for the login name).',
  'wrong-password': 'Check the password; the account may also be locked or disabled in LDAP.',
  server: 'Read the message for the server’s reason.',
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function settingsOf(config: Record<string, unknown>): LdapSettings {
  const attributes = (config.attributes ?? {}) as Record<string, unknown>;
  const membership = (config.membership ?? {}) as Record<string, unknown>;
  const chosen: Partial<Record<LdapAttribute, string>> = {};
  for (const key of LDAP_ATTRIBUTES) {
    const value = text(attributes[key]);
    if (value !== undefined) chosen[key] = value;
  }
  const optional = {
    preset: text(config.preset) as LdapSettings['preset'],
    startTls: typeof config.startTls === 'boolean' ? config.startTls : undefined,
    verifyCertificate:
      typeof config.verifyCertificate === 'boolean' ? config.verifyCertificate : undefined,
    caCertificate: text(config.caCertificate),
    bindDn: text(config.bindDn),
    userFilter: text(config.userFilter),
    groupFilter: text(config.groupFilter),
    membershipMode: text(membership.mode) as LdapSettings['membershipMode'],
  };
  return {
    url: text(config.url) ?? '',
    userBase: text(config.userBase) ?? '',
    groupBase: text(config.groupBase) ?? '',
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    ...(Object.keys(chosen).length > 0 && { attributes: chosen }),
  };
}

function summaryOf(directory: DirectoryInfo): DirectorySummary {
  const config = directory.config;
  return {
    name: directory.name,
    type: directory.type,
    active: directory.active,
    configured: directory.type === 'ldap' && config !== undefined && directory.configured !== false,
    hasBindPassword: config?.hasBindPassword === true,
    ...(directory.type === 'ldap' && config !== undefined && { settings: settingsOf(config) }),
  };
}

/** The instance's configuration body; on an edit, a cleared optional setting is null. */
function configBody(settings: LdapSettings, editing: boolean): Record<string, unknown> {
  // An empty field is a setting left out (the preset's, or cleared on an edit).
  const cleared = editing ? null : undefined;
  const attributes = Object.fromEntries(
    Object.entries(settings.attributes ?? {}).filter(([, v]) => text(v) !== undefined),
  );
  const body: Record<string, unknown> = {
    url: settings.url,
    userBase: settings.userBase,
    groupBase: settings.groupBase,
    preset: settings.preset,
    startTls: settings.startTls,
    verifyCertificate: settings.verifyCertificate,
    caCertificate: text(settings.caCertificate) ?? cleared,
    bindDn: text(settings.bindDn) ?? cleared,
    userFilter: text(settings.userFilter),
    groupFilter: text(settings.groupFilter),
    ...(Object.keys(attributes).length > 0 && { attributes }),
    ...(settings.membershipMode !== undefined && {
      membership: { mode: settings.membershipMode },
    }),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

function userOf(user: NonNullable<DirectoryTestResult['user']>): FoundUser {
  return {
    name: user.name,
    ...(user.dn !== undefined && { dn: user.dn }),
    ...(text(user.displayName) !== undefined && { displayName: user.displayName }),
    ...(text(user.email) !== undefined && { email: user.email }),
    groups: user.groups ?? [],
  };
}

function failureOf(code: string, message: string): DirectoryFailure {
  switch (code) {
    case 'unreachable':
    case 'timeout':
    case 'tls':
      return code;
    case 'config':
      return /refused the bind DN/.test(message) ? 'bad-bind' : 'config';
    case 'invalid-credentials':
      return 'wrong-password';
    default:
      return 'server';
  }
}

function failed(
  failure: DirectoryFailure,
  message: string,
  user?: FoundUser,
): DirectoryTestOutcome {
  return { ok: false, failure, message, next: NEXT_STEP[failure], ...(user && { user }) };
}

/** The instance's test report as one outcome: the first step that failed, or what was found. */
export function testOutcome(
  result: DirectoryTestResult,
  signIn?: { user: string },
): DirectoryTestOutcome {
  const user = result.user?.found === true ? userOf(result.user) : undefined;
  if (result.error !== undefined)
    return failed(failureOf(result.error.code, result.error.message), result.error.message, user);
  if (result.user !== undefined && !result.user.found)
    return failed(
      'user-not-found',
      `no user "${result.user.name}" in directory "${result.directory}"`,
    );
  if (result.signIn !== undefined && !result.signIn.ok) {
    const code = result.signIn.code ?? 'server';
    const message =
      code === 'invalid-credentials'
        ? `"${signIn?.user ?? user?.name}" was found, but the password was refused`
        : (result.signIn.message ?? 'the sign-in failed');
    return failed(failureOf(code, message), message, user);
  }
  return {
    ok: true,
    security: result.connection?.security ?? 'none',
    ...(user && { user }),
    signedIn: result.signIn?.ok === true,
  };
}

export async function listDirectories(
  connections: Connections,
  id: string,
): Promise<DirectorySummary[]> {
  const client = await connections.client(id);
  return (await client.listDirectories()).map(summaryOf);
}

/** Adds LDAP directory `name`, or edits it when it exists; the bind password is kept unless given. */
export async function saveDirectory(
  connections: Connections,
  id: string,
  input: { name: string; settings: LdapSettings; bindPassword?: string },
): Promise<DirectorySummary> {
  const client = await connections.client(id);
  const existing = (await client.listDirectories()).find((d) => d.name === input.name);
  const password = input.bindPassword !== undefined && { bindPassword: input.bindPassword };
  if (existing === undefined) {
    const added = await client.addDirectory({
      name: input.name,
      ...configBody(input.settings, false),
      ...password,
    });
    return summaryOf(added);
  }
  if (existing.type === 'builtin')
    throw new RemoteError(
      'rejected',
      `"${input.name}" is the built-in directory: it has no LDAP settings`,
    );
  return summaryOf(
    await client.editDirectory(input.name, { ...configBody(input.settings, true), ...password }),
  );
}

/** Binds with the stored settings; with `signInAs`, finds the user, their groups, and signs in. */
export async function testDirectory(
  connections: Connections,
  id: string,
  name: string,
  signInAs?: { user: string; password: string },
): Promise<DirectoryTestOutcome> {
  const client = await connections.client(id);
  const result = await client.testDirectory(name, signInAs ?? {});
  return testOutcome(result, signInAs);
}

/** Makes `name` active; a switch that would lock every admin out is refused unless allowed. */
export async function switchDirectory(
  connections: Connections,
  id: string,
  name: string,
  options: { allowLockout?: boolean } = {},
): Promise<SwitchOutcome> {
  const client = await connections.client(id);
  try {
    const switched = await client.activateDirectory(name, {
      force: options.allowLockout === true,
    });
    return { status: 'switched', ...switched };
  } catch (error) {
    if (error instanceof RemoteError && error.kind === 'lockout')
      // The API's override hint is not the desktop's: its UI asks for a confirmation instead.
      return {
        status: 'refused-lockout',
        name,
        reason: error.message.replace(/\s*Send "force": true[^.]*\.$/, ''),
      };
    throw error;
  }
}

export async function removeDirectory(
  connections: Connections,
  id: string,
  name: string,
): Promise<void> {
  await (await connections.client(id)).removeDirectory(name);
}
