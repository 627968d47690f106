// What the principal picker offers: users and groups, from the directory or the offline cache.
export interface PrincipalOption {
  kind: 'user' | 'group';
  name: string;
  displayName?: string;
}

/** Searches the directory (LDAP included); rejects when it cannot be reached. */
export type PrincipalSearch = (query: string, signal: AbortSignal) => Promise<PrincipalOption[]>;
