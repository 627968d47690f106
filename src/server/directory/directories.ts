// The instance's directories as routes and sign-in use them: LDAP configurations read from
// the store with their bind password unsealed only in memory, one LdapDirectory client per
// configuration version (so its membership cache lives across requests), edits validated by
// the config schema, and the LDAP side of the lockout guard.
import { z } from 'zod';
import { PROXY_ALL, compile, indexPolicy, resolve, type Policy } from '../../core/index';
import type { Db } from '../store/database';
import {
  directoryByName,
  insertLdapDirectory,
  ldapDirectoryById,
  listDirectories,
  removeLdapDirectory,
  setSealedBindPassword,
  updateLdapDirectory,
  type DirectoryRow,
  type LdapDirectoryRow,
} from '../store/sql/directories';
import {
  ldapDirectoryConfigSchema,
  redactLdapConfig,
  type LdapDirectoryConfig,
  type RedactedLdapConfig,
} from './ldap-config';
import { LdapDirectory } from './ldap-directory';
import { SECRET_KEY_FILE, SealedSecretError, seal, secretKey, unseal } from './sealed-secret';

export interface DirectoryView {
  name: string;
  type: DirectoryRow['kind'];
  active: boolean;
  /** LDAP directories: the configuration without its bind password. */
  config?: RedactedLdapConfig;
  /** false for an LDAP directory added without settings (no config to show or use). */
  configured?: false;
  /** Why it is not configured. */
  problem?: string;
}

/** Bad input about one field: routes answer it with 400. */
export class DirectoryInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryInputError';
  }
}

/** An LDAP directory row whose stored settings are not a valid configuration (never edited). */
export class DirectoryNotConfiguredError extends Error {
  constructor(name: string, problem: string) {
    super(`LDAP directory "${name}" is not configured (${problem}): set its settings with PUT`);
    this.name = 'DirectoryNotConfiguredError';
  }
}

/** Stands for a stored bind password that does not unseal (another data dir's key). */
const UNSEALABLE = Symbol('unsealable bind password');

const sealContext = (id: number) => `directory:${id}:bind-password`;

/** The config schema's first problem as `field: message`. */
function parseConfig(input: unknown): LdapDirectoryConfig {
  const result = ldapDirectoryConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys')
    throw new DirectoryInputError(
      issue.keys.map((k) => `unknown field "${[field, k].filter(Boolean).join('.')}"`).join('; '),
    );
  if (field === '') throw new DirectoryInputError(issue.message);
  const given = issue.path.reduce<unknown>(
    (value, step) =>
      value !== null && typeof value === 'object'
        ? (value as Record<PropertyKey, unknown>)[step]
        : undefined,
    input,
  );
  throw new DirectoryInputError(
    issue.code === 'invalid_type' && given === undefined
      ? `${field} is required`
      : `${field}: ${issue.message}`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export class Directories {
  private readonly clients = new Map<number, { version: string; client: LdapDirectory }>();

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
  ) {}

  list(): DirectoryView[] {
    return listDirectories(this.db).map((row) => this.view(row));
  }

  view(row: DirectoryRow): DirectoryView {
    const view: DirectoryView = { name: row.name, type: row.kind, active: row.active === 1 };
    if (row.kind !== 'ldap') return view;
    try {
      view.config = redactLdapConfig(this.config(this.ldapRow(row.id)));
    } catch (error) {
      if (!(error instanceof DirectoryNotConfiguredError)) throw error;
      view.configured = false;
      view.problem = error.message;
    }
    return view;
  }

  find(name: string): DirectoryRow | undefined {
    return directoryByName(this.db, name);
  }

  /** The LDAP client of directory `row` (one per configuration version). */
  client(row: DirectoryRow): LdapDirectory {
    const stored = this.ldapRow(row.id);
    // The stored row itself is the version: two edits within one millisecond still differ.
    const version = JSON.stringify([
      stored.name,
      stored.settings,
      stored.bindPasswordSealed?.toString('base64') ?? null,
    ]);
    const cached = this.clients.get(row.id);
    if (cached?.version === version) return cached.client;
    const client = new LdapDirectory(this.config(stored));
    this.clients.set(row.id, { version, client });
    return client;
  }

  /** The client of LDAP directory `row`, or undefined when it has no valid settings. */
  configuredClient(row: DirectoryRow): LdapDirectory | undefined {
    try {
      return this.client(row);
    } catch (error) {
      if (error instanceof DirectoryNotConfiguredError) return undefined;
      throw error;
    }
  }

  /** Adds an inactive LDAP directory from an API body (preset defaults filled). */
  add(body: unknown): DirectoryView {
    const config = parseConfig(body);
    if (this.find(config.name))
      throw new DirectoryInputError(`name: a directory named "${config.name}" exists`);
    const id = insertLdapDirectory(this.db, {
      name: config.name,
      settings: this.settings(config),
      bindPasswordSealed: null,
    });
    this.storePassword(id, config.bindPassword);
    return this.view(this.ldapRow(id));
  }

  /**
   * The configuration LDAP directory `row` would have after an edit: `replace` takes the body as the whole configuration (PUT),
   * otherwise it is merged into the stored one (PATCH: nested `attributes`, `membership` and
   * `timeouts` merged too; `null` clears an optional setting). The stored bind password is
   * kept unless the body gives a new one, or clears `bindDn` (anonymous searches).
   */
  planEdit(row: DirectoryRow, body: unknown, replace: boolean): LdapDirectoryConfig {
    if (row.kind !== 'ldap')
      throw new DirectoryInputError(
        `name: "${row.name}" is the built-in directory: it has no settings`,
      );
    if (!isRecord(body)) throw new DirectoryInputError('the body must be a JSON object');
    if (body.name !== undefined && body.name !== row.name)
      throw new DirectoryInputError(
        'name: a directory cannot be renamed (keys and the audit trail name it)',
      );
    // The stored settings as they are, even when they are incomplete or the password does not
    // unseal: an edit is how either gets repaired.
    const stored = this.storedInput(this.ldapRow(row.id)) as Partial<LdapDirectoryConfig>;
    if ((stored.bindPassword as unknown) === UNSEALABLE) delete stored.bindPassword;
    const merged: Record<string, unknown> = replace ? { ...body } : { ...stored, ...body };
    if (!replace)
      for (const key of ['attributes', 'membership', 'timeouts'] as const)
        if (isRecord(body[key])) merged[key] = { ...stored[key], ...body[key] };
    for (const [key, value] of Object.entries(merged)) if (value === null) delete merged[key];
    merged.name = row.name;
    if (merged.bindPassword === undefined && merged.bindDn !== undefined)
      merged.bindPassword = stored.bindPassword;
    return parseConfig(merged);
  }

  /** Stores what planEdit made of an edit. */
  saveEdit(row: DirectoryRow, config: LdapDirectoryConfig): DirectoryView {
    updateLdapDirectory(this.db, row.id, {
      name: row.name,
      settings: this.settings(config),
      bindPasswordSealed: null,
    });
    this.storePassword(row.id, config.bindPassword);
    return this.view(this.ldapRow(row.id));
  }

  /** Deletes LDAP directory `row`, which is not active (the caller checked). */
  remove(row: DirectoryRow): void {
    removeLdapDirectory(this.db, row.id);
    this.clients.delete(row.id);
  }

  /**
   * The LDAP side of the lockout rule: who could administer the instance with `client`'s
   * directory active under `policy` (its stored policy). A user of its policy counts when the policy allows them Admin_ConfigureProGet
   * globally and the directory knows them; a group counts when a user whose only group it is
   * would be allowed, and LDAP shows it holds at least one user. The first found is enough.
   */
  async ldapAdministrators(client: LdapDirectory, policy: Policy): Promise<string[]> {
    const compiled = compile(policy);
    for (const user of policy.users)
      if (compiled.isAllowed(user.name, PROXY_ALL) && (await client.findUser(user.name)))
        return [`user ${user.name}`];
    for (const group of administeringGroups(policy))
      if (await client.hasMemberUser(group)) return [`group ${group}`];
    return [];
  }

  private ldapRow(id: number): LdapDirectoryRow {
    const row = ldapDirectoryById(this.db, id);
    if (!row) throw new Error(`directory ${id} is not an LDAP directory`);
    return row;
  }

  private config(row: LdapDirectoryRow): LdapDirectoryConfig {
    const input = this.storedInput(row);
    if (input.bindPassword === UNSEALABLE)
      throw new DirectoryNotConfiguredError(
        row.name,
        `bindPassword: it does not open with ${SECRET_KEY_FILE} of this data dir; set it again`,
      );
    const parsed = ldapDirectoryConfigSchema.safeParse(input);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new DirectoryNotConfiguredError(row.name, `${issue.path.join('.')}: ${issue.message}`);
  }

  /** The stored settings with the name and the unsealed bind password (UNSEALABLE if it fails). */
  private storedInput(row: LdapDirectoryRow): Record<string, unknown> {
    const input: Record<string, unknown> = {
      ...(JSON.parse(row.settings) as Record<string, unknown>),
      name: row.name,
    };
    if (row.bindPasswordSealed === null) return input;
    try {
      input.bindPassword = unseal(
        secretKey(this.dataDir),
        row.bindPasswordSealed,
        sealContext(row.id),
      );
    } catch (error) {
      if (!(error instanceof SealedSecretError)) throw error;
      input.bindPassword = UNSEALABLE;
    }
    return input;
  }

  /** The settings column: the whole configuration but its name and bind password. */
  private settings(config: LdapDirectoryConfig): string {
    const { name: _name, bindPassword: _secret, ...settings } = config;
    return JSON.stringify(settings);
  }

  private storePassword(id: number, password: string | undefined): void {
    const sealed =
      password === undefined ? null : seal(secretKey(this.dataDir), password, sealContext(id));
    setSealedBindPassword(this.db, id, sealed);
  }
}

/** A name no user can have (NUL), for asking what a member of some groups only would be allowed. */
export const PROBE_USER = '\u0000feedgate-probe';

/**
 * `policy` with user `user` declared as a direct member of `groups` (those the policy declares,
 * matched without case; the rest are dropped), replacing any declaration of that user, with the groups' member lists
 * kept consistent. The engine then decides for `user` as for any declared user.
 */
export function withMember(policy: Policy, user: string, groups: readonly string[]): Policy {
  // LDAP compares names without case: `Admins` in LDAP is the policy's `admins`.
  const declared = new Map(policy.groups.map((g) => [g.name.toLowerCase(), g.name]));
  const own = new Set(groups.flatMap((g) => declared.get(g.toLowerCase()) ?? []));
  const stored = policy.users.find((u) => u.name === user);
  for (const g of stored?.groups ?? []) own.add(g);
  return {
    ...policy,
    users: [
      ...policy.users.filter((u) => u.name !== user),
      { ...stored, name: user, groups: [...own] },
    ],
    groups: policy.groups.map((g) =>
      own.has(g.name) && !g.users.includes(user) ? { ...g, users: [...g.users, user] } : g,
    ),
  };
}

/**
 * Groups of the policy whose members are allowed Admin_ConfigureProGet at system scope (a user
 * in that group only, restrictions included, as the engine decides). Only groups granted a
 * global permission meeting it are asked.
 */
export function administeringGroups(policy: Policy): string[] {
  const { taskMeets } = indexPolicy(policy);
  const candidates = new Set(
    policy.permissions
      .filter(
        (p) =>
          p.group !== undefined &&
          !p.deny &&
          p.feed === undefined &&
          p.feedGroup === undefined &&
          taskMeets.get(p.task)?.has(PROXY_ALL) === true,
      )
      .map((p) => p.group as string),
  );
  return [...candidates].filter(
    (group) =>
      resolve(withMember(policy, PROBE_USER, [group]), { user: PROBE_USER, attribute: PROXY_ALL })
        .allowed,
  );
}
