// The LDAP search filters of a directory and the login names a sign-in form stands for.
// Every value is escaped (ldap-escape.ts) before it enters a filter.
import type { LdapDirectoryConfig } from './ldap-config';
import { anyValueFilter, escapeFilterValue, isControlCharacter } from './ldap-escape';

/** The matching rule by which Active Directory walks nested groups on the server. */
export const AD_IN_CHAIN_RULE = '1.2.840.113556.1.4.1941';

/** The object-class part of a filter template (`%s` = any value). */
function groupsFilter(config: LdapDirectoryConfig): string {
  return anyValueFilter(config.groupFilter);
}

/** The filter for groups that list any of `memberDns` as a direct member. */
export function directGroupsFilter(config: LdapDirectoryConfig, memberDns: string[]): string {
  const clauses = memberDns.map((dn) => `(${config.attributes.member}=${escapeFilterValue(dn)})`);
  const members = clauses.length === 1 ? clauses[0] : `(|${clauses.join('')})`;
  return `(&${groupsFilter(config)}${members})`;
}

/** Active Directory: every group that holds `userDn` at any depth, in one search. */
export function inChainGroupsFilter(config: LdapDirectoryConfig, userDn: string): string {
  const member = `${config.attributes.member}:${AD_IN_CHAIN_RULE}:=${escapeFilterValue(userDn)}`;
  return `(&${groupsFilter(config)}(${member}))`;
}

export function userSearchFilter(config: LdapDirectoryConfig, term: string): string {
  const base = anyValueFilter(config.userFilter);
  if (term === '') return base;
  const value = `*${escapeFilterValue(term)}*`;
  const { loginName, displayName, email } = config.attributes;
  return `(&${base}(|(${loginName}=${value})(${displayName}=${value})(${email}=${value})))`;
}

export function groupSearchFilter(config: LdapDirectoryConfig, term: string): string {
  const base = groupsFilter(config);
  if (term === '') return base;
  return `(&${base}(${config.attributes.groupName}=*${escapeFilterValue(term)}*))`;
}

/**
 * The login name a sign-in form stands for, or undefined when it names another domain.
 * `windows`: `DOMAIN\user` and `user@domain` become `user`.
 */
export function normalizeLogin(config: LdapDirectoryConfig, login: string): string | undefined {
  const typed = login.trim();
  if (typed === '' || hasControlCharacters(typed)) return undefined;
  if (config.signInForm === 'plain') return typed;
  let domain: string | undefined;
  let name = typed;
  const backslash = typed.indexOf('\\');
  const at = typed.lastIndexOf('@');
  if (backslash > 0) [domain, name] = [typed.slice(0, backslash), typed.slice(backslash + 1)];
  else if (at > 0) [domain, name] = [typed.slice(at + 1), typed.slice(0, at)];
  if (name === '') return undefined;
  const accepted = config.signInDomains.map((d) => d.toLowerCase());
  if (domain !== undefined && accepted.length > 0 && !accepted.includes(domain.toLowerCase()))
    return undefined;
  return name;
}

/**
 * No name holds a control character, and slapd ends an assertion value at NUL (so `user\0`
 * in a substring search would match every `user`): such input is refused before any search.
 */
export function hasControlCharacters(value: string): boolean {
  return [...value].some(isControlCharacter);
}
