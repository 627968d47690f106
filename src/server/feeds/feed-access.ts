// Who may do what on a feed, decided per request. Users (signed in, or through a personal key)
// and anonymous callers are decided by the compiled engine of the current policy revision
// (the policy cache; an LDAP user with the groups the directory gave at sign-in), with the
// package's uploader as its owner. Feed keys are no principal:
// they are limited to their feed or feed group and to their package permissions. System keys
// need full control, or `packages` among their APIs.
import { ANONYMOUS } from '../../core/index';
import type { Caller } from '../auth/authenticate';
import type { PackagePermission } from '../auth/api-keys';
import type { PolicyCache } from '../policy-cache';
import type { Db } from '../store/database';
import type { StoreVersion } from '../store/sql/instance';
import { apiKeyById } from '../store/sql/api-keys';

/** The feed-scoped attributes a package operation demands (ids of src/core/catalog.ts). */
export const FEED_ATTRIBUTES = {
  view: 'Feeds_ViewFeed',
  download: 'Feeds_DownloadPackage',
  add: 'Feeds_AddPackage',
  overwrite: 'Feeds_OverwritePackage',
  delete: 'Feeds_DeletePackage',
  unlist: 'Feeds_UnlistPackage',
  pull: 'Feeds_PullPackage',
  acceptPromotion: 'Feeds_AcceptPackagePromotions',
} as const;
export type FeedAttribute = (typeof FEED_ATTRIBUTES)[keyof typeof FEED_ATTRIBUTES];

/** The system API a non-full-control system key needs for package operations. */
export const PACKAGES_SYSTEM_API = 'packages';

/**
 * What a feed key's package permissions allow. Overwriting is deleting then adding, so it
 * needs both (a key with only one of them cannot overwrite by proxy).
 */
const KEY_PERMISSIONS: Record<FeedAttribute, readonly PackagePermission[]> = {
  Feeds_ViewFeed: ['view'],
  Feeds_DownloadPackage: ['view'],
  Feeds_AddPackage: ['add'],
  Feeds_PullPackage: ['add'],
  Feeds_OverwritePackage: ['add', 'delete'],
  Feeds_DeletePackage: ['delete'],
  Feeds_UnlistPackage: ['delete'],
  Feeds_AcceptPackagePromotions: ['promote'],
};

export interface FeedTarget {
  name: string;
  feedGroup: string | null;
}

/** A package's uploader, as the engine's owner. */
export interface Owner {
  user: string | null;
  directory: string | null;
}

/** The principal the engine decides for: the caller's user in the active directory, else Anonymous. */
export function engineUser(caller: Caller | null, directory: string): string {
  if (caller === null || caller.user === undefined || caller.directory !== directory)
    return ANONYMOUS;
  return caller.user;
}

/** What decides a package operation (FeedAccess; the benchmark's harness wraps or replaces it). */
export interface FeedDecider {
  allowed(
    caller: Caller | null,
    attribute: FeedAttribute,
    feed: FeedTarget,
    owner?: Owner,
    /** The store's version as the request read it when it began (PolicyCache.current). */
    known?: StoreVersion,
  ): boolean;
}

export class FeedAccess implements FeedDecider {
  constructor(
    private readonly db: Db,
    private readonly policies: PolicyCache,
  ) {}

  /** Whether `caller` (null: anonymous) may perform `attribute` on `feed`, for a package of `owner`. */
  allowed(
    caller: Caller | null,
    attribute: FeedAttribute,
    feed: FeedTarget,
    owner?: Owner,
    known?: StoreVersion,
  ): boolean {
    switch (caller?.kind) {
      case 'system':
        return caller.fullControl || this.keyApis(caller).includes(PACKAGES_SYSTEM_API);
      case 'feed':
        return this.feedKeyAllows(caller, attribute, feed);
      default: {
        const current = this.policies.current(known);
        const user = engineUser(caller, current.directory);
        // Only an uploader of the active directory can be this user; another directory's `bob` is not.
        const ownerName =
          owner?.user !== null && owner?.directory === current.directory ? owner.user : undefined;
        if (caller?.groups !== undefined && user !== ANONYMOUS) {
          // An LDAP user: decided with the groups the directory gave at sign-in (as authorize.ts).
          const { subject, compiled } = this.policies.forMember(user, caller.groups);
          const owns = ownerName === user ? subject : ownerName;
          return compiled.isAllowed(subject, attribute, feed.name, owns);
        }
        return current.compiled.isAllowed(user, attribute, feed.name, ownerName);
      }
    }
  }

  private keyApis(caller: Caller): string[] {
    const row = caller.keyId === null ? undefined : apiKeyById(this.db, caller.keyId);
    return row?.systemApis ? (JSON.parse(row.systemApis) as string[]) : [];
  }

  private feedKeyAllows(caller: Caller, attribute: FeedAttribute, feed: FeedTarget): boolean {
    const row = caller.keyId === null ? undefined : apiKeyById(this.db, caller.keyId);
    if (!row) return false;
    const inScope =
      (row.feed !== null && row.feed === feed.name) ||
      (row.feedGroup !== null && row.feedGroup === feed.feedGroup);
    if (!inScope) return false;
    const granted = row.packagePermissions ? (JSON.parse(row.packagePermissions) as string[]) : [];
    return KEY_PERMISSIONS[attribute].every((p) => granted.includes(p));
  }
}
