// Who is calling: an API key (header `X-ApiKey`, query `key`, or HTTP Basic with user `api`),
// or a user of the active directory (`X-ApiKey: user:password`, or HTTP Basic with the user's
// own name): the built-in directory checks its stored hash, an LDAP directory binds (never
// falling back to the built-in one; an unreachable LDAP server is 'directory unavailable'). Every failure is one opaque outcome for the client; the reason is kept for the
// server's log only (never with the key or password). Failed sign-ins are throttled per
// user and per address (throttle.ts).
import type { IncomingHttpHeaders } from 'node:http';
import type { Db } from '../store/database';
import type { StoreVersion } from '../store/sql/instance';
import { touchApiKey, type ApiKeyType } from '../store/sql/api-keys';
import type { Directories } from '../directory/directories';
import { LdapError, type LdapDirectory } from '../directory/ldap-directory';
import { activeDirectory, listDirectories } from '../store/sql/directories';
import { userCredentials } from '../store/sql/principals';
import { ApiKeyCache, LAST_USED_RESOLUTION_MS } from './api-keys';
import { hashPassword, verifyPassword, type PasswordHash } from './passwords';
import { SignInThrottle, type Throttle } from './throttle';

export type Credentials =
  { kind: 'key'; key: string } | { kind: 'password'; user: string; password: string };

export interface Caller {
  kind: ApiKeyType | 'user';
  /** The key used; null for a password sign-in. */
  keyId: number | null;
  /** System keys only. */
  fullControl: boolean;
  /** Personal keys and users: the user acted for, and their directory. */
  user?: string;
  directory?: string;
  /** For logs and the audit trail, e.g. `key 3 (system)` or `Built-in/Admin`. */
  label: string;
  /** LDAP sign-ins: the user's groups as the directory resolved them (policy.forMember). */
  groups?: string[];
}

export type AuthFailure =
  | 'missing'
  | 'unknown key'
  | 'revoked key'
  | 'expired key'
  | 'disabled user'
  | 'bad password'
  | 'throttled'
  | 'directory unavailable';

export type AuthResult =
  | { ok: true; caller: Caller }
  | { ok: false; reason: AuthFailure; retryAfterMs?: number; detail?: string };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function userPassword(text: string): Credentials {
  const colon = text.indexOf(':');
  return { kind: 'password', user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The credentials of a request, in this order: X-ApiKey, Authorization Basic, `?key=`. */
export function readCredentials(
  headers: IncomingHttpHeaders,
  query: unknown,
): Credentials | undefined {
  const header = first(headers['x-apikey']);
  if (header !== undefined && header !== '')
    return header.includes(':') ? userPassword(header) : { kind: 'key', key: header };
  const authorization = first(headers.authorization);
  const basic = authorization === undefined ? null : /^Basic\s+(\S+)\s*$/i.exec(authorization);
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    if (decoded.includes(':')) {
      const credentials = userPassword(decoded);
      if (credentials.kind === 'password' && credentials.user === 'api')
        return { kind: 'key', key: credentials.password };
      return credentials;
    }
  }
  const key = (query as { key?: unknown } | null)?.key;
  if (typeof key === 'string' && key !== '') return { kind: 'key', key };
  return undefined;
}

/** A user of `directory` signed in by password (LDAP: with the groups LDAP gave). */
function signedIn(directory: string, user: string, groups?: string[]): AuthResult {
  return {
    ok: true,
    caller: {
      kind: 'user',
      keyId: null,
      fullControl: false,
      user,
      directory,
      label: `${directory}/${user}`,
      ...(groups !== undefined && { groups }),
    },
  };
}

export class Authenticator {
  private dummy: Promise<PasswordHash> | undefined;
  private readonly keys: ApiKeyCache;

  constructor(
    private readonly db: Db,
    readonly throttle: Throttle = new SignInThrottle(),
    private readonly directories?: Directories,
  ) {
    this.keys = new ApiKeyCache(db);
  }

  /** `known`: the store's version as the request read it when it began (ApiKeyCache.find). */
  async authenticate(
    credentials: Credentials | undefined,
    address: string,
    known?: StoreVersion,
  ): Promise<AuthResult> {
    if (!credentials) return { ok: false, reason: 'missing' };
    return credentials.kind === 'key'
      ? this.byKey(credentials.key, address, known)
      : this.byPassword(credentials.user, credentials.password, address);
  }

  private throttled(subjects: readonly string[], known?: StoreVersion): AuthResult | undefined {
    const wait = this.throttle.retryAfter(subjects, known?.latestSignInFailure);
    return wait > 0 ? { ok: false, reason: 'throttled', retryAfterMs: wait } : undefined;
  }

  private byKey(text: string, address: string, known?: StoreVersion): AuthResult {
    const subjects = [`address:${address}`];
    const throttled = this.throttled(subjects, known);
    if (throttled) return throttled;
    const found = this.keys.find(text, undefined, known);
    if (found.status !== 'valid') {
      this.throttle.failure(subjects);
      return { ok: false, reason: `${found.status} key` };
    }
    const key = found.key;
    if (key.type === 'personal') {
      const user = userCredentials(this.db, this.directoryId(key.directory), key.user ?? '');
      if (!user || user.enabled !== 1) return { ok: false, reason: 'disabled user' };
    }
    const time = Date.now();
    if (key.lastUsedAt === null || time - Date.parse(key.lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
      const at = new Date(time).toISOString();
      touchApiKey(this.db, key.id, at);
      this.keys.used(key.id, at);
    }
    return {
      ok: true,
      caller: {
        kind: key.type,
        keyId: key.id,
        fullControl: key.type === 'system' && key.fullControl === 1,
        ...(key.user !== null && { user: key.user }),
        ...(key.directory !== null && { directory: key.directory }),
        label: `key ${key.id} (${key.type}${key.user === null ? '' : ` for ${key.directory}/${key.user}`})`,
      },
    };
  }

  private directoryId(name: string | null): number {
    return listDirectories(this.db).find((d) => d.name === name)?.id ?? -1;
  }

  private async byPassword(name: string, password: string, address: string): Promise<AuthResult> {
    const subjects = [`address:${address}`, `user:${name.toLowerCase()}`];
    const throttled = this.throttled(subjects);
    if (throttled) return throttled;
    const active = activeDirectory(this.db);
    if (active?.kind === 'ldap' && this.directories) {
      const client = this.directories.configuredClient(active);
      if (!client)
        return { ok: false, reason: 'directory unavailable', detail: 'no LDAP settings' };
      return this.byLdap(client, name, password, subjects);
    }
    const builtin = listDirectories(this.db).find((d) => d.kind === 'builtin');
    const stored = builtin ? userCredentials(this.db, builtin.id, name) : undefined;
    const hash =
      stored && stored.hash && stored.salt && stored.params
        ? { hash: stored.hash, salt: stored.salt, params: stored.params }
        : undefined;
    // An unknown user costs the same scrypt work as a known one: timing tells nothing.
    const matches = await verifyPassword(password, hash ?? (await this.dummyHash()));
    if (!hash || !matches || stored?.enabled !== 1) {
      this.throttle.failure(subjects);
      return { ok: false, reason: hash && matches ? 'disabled user' : 'bad password' };
    }
    this.throttle.success(subjects.slice(1));
    return signedIn(builtin?.name as string, name);
  }

  private async byLdap(
    directory: LdapDirectory,
    login: string,
    password: string,
    subjects: string[],
  ): Promise<AuthResult> {
    try {
      const { user, groups } = await directory.signIn(login, password);
      this.throttle.success(subjects.slice(1));
      return signedIn(
        directory.name,
        user.name,
        groups.map((g) => g.name),
      );
    } catch (error) {
      if (!(error instanceof LdapError)) throw error;
      if (error.code === 'invalid-credentials') {
        this.throttle.failure(subjects);
        return { ok: false, reason: 'bad password' };
      }
      // The server's fault, not the caller's: nothing about the user is told, and no failure
      // is counted against them.
      return { ok: false, reason: 'directory unavailable', detail: error.message };
    }
  }

  private dummyHash(): Promise<PasswordHash> {
    this.dummy ??= hashPassword('a password that no user has');
    return this.dummy;
  }
}
