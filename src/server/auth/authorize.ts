// What a caller may do. The security API (and feedgate's v1 API) needs a system key with full
// control, or a personal key or signed-in user holding Admin_ConfigureProGet, as the core
// engine decides it on the stored policy of the active directory (an LDAP user with the groups
// the directory gave at sign-in). Feed keys never qualify.
import { PROXY_ALL } from '../../core/index';
import type { PolicyCache } from '../policy-cache';
import type { StoreVersion } from '../store/sql/instance';
import type { Caller } from './authenticate';

export const ADMIN_ATTRIBUTE = PROXY_ALL; // Admin_ConfigureProGet

/** `known`: the store's version as the request read it when it began (PolicyCache.current). */
export function isAdministrator(
  caller: Caller,
  policies: PolicyCache,
  known?: StoreVersion,
): boolean {
  switch (caller.kind) {
    case 'system':
      return caller.fullControl;
    case 'feed':
      return false;
    case 'personal':
    case 'user': {
      const current = policies.current(known);
      // Only the active directory's principals are decided; another directory's user holds nothing.
      if (caller.user === undefined || caller.directory !== current.directory) return false;
      if (caller.groups !== undefined) {
        const { subject, compiled } = policies.forMember(caller.user, caller.groups);
        return compiled.isAllowed(subject, ADMIN_ATTRIBUTE);
      }
      return current.compiled.isAllowed(caller.user, ADMIN_ATTRIBUTE);
    }
  }
}
