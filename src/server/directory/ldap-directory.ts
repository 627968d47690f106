// One LDAP directory (OpenLDAP or Active Directory) through ldapts: sign-in by bind, user
// lookup, group membership in three modes, and principal search for pickers. Every call opens
// its own connection with bounded connect, TLS and operation timeouts, and every failure is an
// `LdapError` with a code. A failure is final: nothing here falls back to another directory.
import {
  InvalidCredentialsError,
  NoSuchObjectError,
  type Client,
  type Entry,
  type SearchOptions,
} from 'ldapts';
import type { LdapDirectoryConfig } from './ldap-config';
import { anyValueFilter, fillFilter } from './ldap-escape';
import {
  directGroupsFilter,
  groupSearchFilter,
  hasControlCharacters,
  inChainGroupsFilter,
  normalizeLogin,
  userSearchFilter,
} from './ldap-filters';
import { LdapError, withSession } from './ldap-session';

export { LdapError, type LdapErrorCode } from './ldap-session';
export {
  AD_IN_CHAIN_RULE,
  directGroupsFilter,
  groupSearchFilter,
  inChainGroupsFilter,
  normalizeLogin,
  userSearchFilter,
} from './ldap-filters';

export interface LdapUser {
  kind: 'user';
  /** The directory the principal belongs to: `bob` here is not `bob` of another directory. */
  directory: string;
  name: string;
  dn: string;
  displayName?: string;
  email?: string;
}

export interface LdapGroup {
  kind: 'group';
  directory: string;
  name: string;
  dn: string;
}

export type LdapPrincipal = LdapUser | LdapGroup;

/** A principal's identity across directories. */
export function principalKey(principal: Pick<LdapPrincipal, 'directory' | 'kind' | 'name'>) {
  return JSON.stringify([principal.directory, principal.kind, principal.name]);
}

export interface PrincipalPage {
  principals: LdapPrincipal[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

export interface SearchPrincipalsOptions {
  kind?: 'user' | 'group' | 'both';
  /** 0-based. */
  page?: number;
  pageSize?: number;
}

export const SEARCH_LIMITS = { maxPageSize: 100, defaultPageSize: 25, maxResults: 1000 } as const;

const RECURSIVE_BATCH = 50;
const MAX_CACHED_USERS = 10_000;
/** Member entries read at most to tell whether a group holds a user (hasMemberUser). */
const MEMBER_PROBES = 500;

function firstValue(entry: Entry, attribute: string): string | undefined {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : first;
}

export class LdapDirectory {
  private readonly cache = new Map<string, { groups: LdapGroup[]; expires: number }>();
  private readonly clock: () => number;

  constructor(
    readonly config: LdapDirectoryConfig,
    options: { clock?: () => number } = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  get name(): string {
    return this.config.name;
  }

  /** Connects, binds with the service account and reads both search bases. */
  async testConnection(): Promise<{ url: string; security: 'ldaps' | 'starttls' | 'none' }> {
    await withSession(this.config, async (session) => {
      await session.bindService();
      for (const [setting, base] of [
        ['userBase', this.config.userBase],
        ['groupBase', this.config.groupBase],
      ] as const)
        await this.search(session.client, base, { scope: 'base', attributes: ['1.1'] }, setting);
    });
    const security = this.config.url.startsWith('ldaps:')
      ? 'ldaps'
      : this.config.startTls
        ? 'starttls'
        : 'none';
    return { url: this.config.url, security };
  }

  /**
   * Signs `login` in by binding as their entry with `password`; returns the user and their
   * groups. An unknown user and a wrong password give the same 'invalid-credentials' error.
   */
  async signIn(login: string, password: string): Promise<{ user: LdapUser; groups: LdapGroup[] }> {
    // A simple bind with a DN and no password is an unauthenticated bind that many servers
    // answer with success: it must never reach the server as a sign-in.
    if (password === '') throw new LdapError('invalid-credentials', 'an empty password is refused');
    const name = normalizeLogin(this.config, login);
    if (name === undefined) throw this.invalidCredentials();
    // The service connection looks the user up and resolves their groups; the user's own
    // bind runs on a second connection, so the first keeps the service account's rights.
    return withSession(
      this.config,
      async (service) => {
        await service.bindService();
        const user = await this.lookUpUser(service.client, name);
        if (user === undefined) throw this.invalidCredentials();
        await withSession(
          this.config,
          async ({ client }) => {
            try {
              await client.bind(user.dn, password);
            } catch (error) {
              if (error instanceof InvalidCredentialsError) throw this.invalidCredentials();
              throw error;
            }
          },
          password,
        );
        return { user, groups: await this.cachedGroups(user, service.client) };
      },
      password,
    );
  }

  /** The user a sign-in name stands for, or undefined when there is none. */
  async findUser(login: string): Promise<LdapUser | undefined> {
    const name = normalizeLogin(this.config, login);
    if (name === undefined) return undefined;
    return withSession(this.config, async (session) => {
      await session.bindService();
      return this.lookUpUser(session.client, name);
    });
  }

  /** The groups of `user` by the configured membership mode, from the cache while fresh. */
  async groupsOf(user: LdapUser): Promise<LdapGroup[]> {
    return this.cachedGroups(user);
  }

  /** Drops the cached groups of `user` and resolves them again. */
  async refresh(user: LdapUser): Promise<LdapGroup[]> {
    this.checkOwn(user);
    this.cache.delete(user.dn.toLowerCase());
    return this.groupsOf(user);
  }

  /**
   * Whether the group named `groupName` holds at least one user, directly or through nested
   * groups (walked to maxDepth, at most MEMBER_PROBES member entries read). The lockout guard
   * asks this: a group that would give Administer but has no user locks everyone out all the
   * same.
   */
  async hasMemberUser(groupName: string): Promise<boolean> {
    if (hasControlCharacters(groupName)) return false;
    return withSession(this.config, async ({ client, bindService }) => {
      await bindService();
      const groups = await this.search(
        client,
        this.config.groupBase,
        { filter: fillFilter(this.config.groupFilter, groupName), attributes: ['1.1'] },
        'groupBase',
      );
      const seen = new Set(groups.map((g) => g.dn.toLowerCase()));
      let frontier = groups.map((g) => g.dn);
      let probes = 0;
      for (let depth = 0; depth <= this.config.membership.maxDepth; depth++) {
        const next: string[] = [];
        for (const groupDn of frontier)
          for (const memberDn of await this.membersOf(client, groupDn)) {
            if (seen.has(memberDn.toLowerCase())) continue;
            seen.add(memberDn.toLowerCase());
            if (++probes > MEMBER_PROBES) return false;
            if (await this.entryMatches(client, memberDn, this.config.userFilter)) return true;
            next.push(memberDn);
          }
        if (next.length === 0) return false;
        frontier = next;
      }
      return false;
    });
  }

  /** The member DNs listed on one group entry; none when the entry is gone. */
  private async membersOf(client: Client, groupDn: string): Promise<string[]> {
    const member = this.config.attributes.member;
    try {
      const { searchEntries } = await client.search(groupDn, {
        scope: 'base',
        attributes: [member],
      });
      const entry = searchEntries[0];
      const key = entry && Object.keys(entry).find((k) => k.toLowerCase() === member.toLowerCase());
      const values = key === undefined || entry === undefined ? [] : entry[key];
      return (Array.isArray(values) ? values : [values]).flatMap((v) =>
        v === undefined ? [] : Buffer.isBuffer(v) ? v.toString('utf8') : v,
      );
    } catch (error) {
      if (error instanceof NoSuchObjectError) return [];
      throw error;
    }
  }

  /** Whether the entry at `dn` exists and matches the filter template (any value). */
  private async entryMatches(client: Client, dn: string, template: string): Promise<boolean> {
    try {
      const { searchEntries } = await client.search(dn, {
        scope: 'base',
        filter: anyValueFilter(template),
        attributes: ['1.1'],
      });
      return searchEntries.length > 0;
    } catch (error) {
      if (error instanceof NoSuchObjectError) return false;
      throw error;
    }
  }

  /** Users and groups whose names contain `term`, a page at a time (users first). */
  async searchPrincipals(
    term: string,
    options: SearchPrincipalsOptions = {},
  ): Promise<PrincipalPage> {
    const kind = options.kind ?? 'both';
    const page = options.page ?? 0;
    const pageSize = options.pageSize ?? SEARCH_LIMITS.defaultPageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SEARCH_LIMITS.maxPageSize)
      throw new LdapError('invalid-request', `pageSize must be 1 to ${SEARCH_LIMITS.maxPageSize}`);
    if (!Number.isInteger(page) || page < 0)
      throw new LdapError('invalid-request', 'page must be a whole number from 0');
    if (hasControlCharacters(term))
      throw new LdapError('invalid-request', 'the search term must not hold control characters');
    const offset = page * pageSize;
    if (offset + pageSize > SEARCH_LIMITS.maxResults)
      throw new LdapError(
        'invalid-request',
        `only the first ${SEARCH_LIMITS.maxResults} results can be paged through; narrow the search`,
      );
    // One more than the page needs tells whether another page follows.
    const wanted = offset + pageSize + 1;
    const found = await withSession(this.config, async (session) => {
      await session.bindService();
      const principals: LdapPrincipal[] = [];
      if (kind !== 'group') {
        const { loginName, displayName, email } = this.config.attributes;
        const users = await this.search(
          session.client,
          this.config.userBase,
          {
            filter: userSearchFilter(this.config, term),
            attributes: [loginName, displayName, email],
            sizeLimit: wanted,
          },
          'userBase',
        );
        for (const entry of users) {
          const user = this.toUser(entry);
          if (user) principals.push(user);
        }
      }
      if (kind !== 'user' && principals.length < wanted) {
        const groups = await this.search(
          session.client,
          this.config.groupBase,
          {
            filter: groupSearchFilter(this.config, term),
            attributes: [this.config.attributes.groupName],
            sizeLimit: wanted - principals.length,
          },
          'groupBase',
        );
        for (const entry of groups) {
          const group = this.toGroup(entry);
          if (group) principals.push(group);
        }
      }
      return principals;
    });
    return {
      principals: found.slice(offset, offset + pageSize),
      page,
      pageSize,
      hasMore: found.length > offset + pageSize,
    };
  }

  private async lookUpUser(client: Client, name: string): Promise<LdapUser | undefined> {
    const { loginName, displayName, email } = this.config.attributes;
    const entries = await this.search(
      client,
      this.config.userBase,
      {
        filter: fillFilter(this.config.userFilter, name),
        attributes: [loginName, displayName, email],
        sizeLimit: 2,
      },
      'userBase',
    );
    if (entries.length > 1)
      throw new LdapError(
        'config',
        `directory "${this.name}": the user filter matches more than one entry for "${name}"; make it match one user`,
      );
    const entry = entries[0];
    return entry === undefined ? undefined : this.toUser(entry);
  }

  /** From the cache while fresh; else resolved on `client`, or on a connection of its own. */
  private async cachedGroups(user: LdapUser, client?: Client): Promise<LdapGroup[]> {
    this.checkOwn(user);
    const key = user.dn.toLowerCase();
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.expires > this.clock()) return cached.groups;
    const groups = client
      ? await this.resolveGroups(client, user.dn)
      : await withSession(this.config, async (session) => {
          await session.bindService();
          return this.resolveGroups(session.client, user.dn);
        });
    if (this.config.cacheTtlSeconds > 0) {
      this.cache.delete(key);
      if (this.cache.size >= MAX_CACHED_USERS)
        this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, { groups, expires: this.clock() + this.config.cacheTtlSeconds * 1000 });
    }
    return groups;
  }

  private async resolveGroups(client: Client, userDn: string): Promise<LdapGroup[]> {
    const { mode } = this.config.membership;
    const groups =
      mode === 'direct'
        ? await this.groupSearch(client, directGroupsFilter(this.config, [userDn]))
        : mode === 'ad-in-chain'
          ? await this.groupSearch(client, inChainGroupsFilter(this.config, userDn))
          : await this.nestedGroups(client, userDn);
    return groups.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Level by level: the visited set ends cycles, maxDepth ends runaway nesting. */
  private async nestedGroups(client: Client, userDn: string): Promise<LdapGroup[]> {
    const found = new Map<string, LdapGroup>();
    let frontier = [userDn];
    for (let depth = 1; depth <= this.config.membership.maxDepth && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (let i = 0; i < frontier.length; i += RECURSIVE_BATCH) {
        const filter = directGroupsFilter(this.config, frontier.slice(i, i + RECURSIVE_BATCH));
        for (const group of await this.groupSearch(client, filter)) {
          const key = group.dn.toLowerCase();
          if (found.has(key)) continue;
          found.set(key, group);
          next.push(group.dn);
        }
      }
      frontier = next;
    }
    return [...found.values()];
  }

  private async groupSearch(client: Client, filter: string): Promise<LdapGroup[]> {
    const entries = await this.search(
      client,
      this.config.groupBase,
      { filter, attributes: [this.config.attributes.groupName] },
      'groupBase',
    );
    return entries.flatMap((entry) => this.toGroup(entry) ?? []);
  }

  private toUser(entry: Entry): LdapUser | undefined {
    const { loginName, displayName, email } = this.config.attributes;
    const name = firstValue(entry, loginName);
    if (name === undefined) return undefined;
    const user: LdapUser = { kind: 'user', directory: this.name, name, dn: entry.dn };
    const shown = firstValue(entry, displayName);
    const mail = firstValue(entry, email);
    if (shown !== undefined) user.displayName = shown;
    if (mail !== undefined) user.email = mail;
    return user;
  }

  private toGroup(entry: Entry): LdapGroup | undefined {
    const name = firstValue(entry, this.config.attributes.groupName);
    return name === undefined
      ? undefined
      : { kind: 'group', directory: this.name, name, dn: entry.dn };
  }

  private checkOwn(user: LdapUser): void {
    if (user.directory !== this.name)
      throw new LdapError(
        'invalid-request',
        `user "${user.name}" belongs to directory "${user.directory}", not "${this.name}"`,
      );
  }

  private invalidCredentials(): LdapError {
    return new LdapError('invalid-credentials', 'invalid user name or password');
  }

  private async search(
    client: Client,
    base: string,
    options: SearchOptions,
    setting: 'userBase' | 'groupBase',
  ): Promise<Entry[]> {
    try {
      return (await client.search(base, { scope: 'sub', ...options })).searchEntries;
    } catch (error) {
      if (error instanceof NoSuchObjectError)
        throw new LdapError(
          'config',
          `directory "${this.name}": ${setting} "${base}" does not exist`,
        );
      throw error;
    }
  }
}
