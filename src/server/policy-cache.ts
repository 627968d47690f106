// The active directory's policy, read from the store and compiled once per revision. Every
// policy write bumps the revision (also writes by another process on the same database), and
// switching the active directory changes its id, so a check of both per use is enough to
// never decide on a stale policy. The check is one statement (storeVersion), which a request
// may have read already: see current().
import {
  compile,
  indexPolicy,
  type CompiledPolicy,
  type Policy,
  type PolicyIndex,
} from '../core/index';
import { PROBE_USER, withMember } from './directory/directories';
import type { Db } from './store/database';
import { readSnapshot } from './store/policy-read';
import { activeDirectory } from './store/sql/directories';
import { storeVersion, type StoreVersion } from './store/sql/instance';

/** Compiled policies kept per revision for distinct (user, groups) of LDAP sign-ins. */
const MAX_MEMBER_POLICIES = 256;

export interface CachedPolicy {
  revision: number;
  directoryId: number;
  directory: string;
  /** The active directory's kind: no SQL per request to know that LDAP need not be asked. */
  directoryKind: 'builtin' | 'ldap' | undefined;
  policy: Policy;
  index: PolicyIndex;
  compiled: CompiledPolicy;
  /** What routes derive from this revision (e.g. a serialized list), built once: see derive(). */
  derived: Map<string, unknown>;
}

const isVersionOf = (cached: CachedPolicy, version: StoreVersion): boolean =>
  cached.revision === version.revision && cached.directoryId === (version.activeDirectoryId ?? -1);

export class PolicyCache {
  private cached: CachedPolicy | undefined;
  private stored:
    { revision: number; directoryId: number; values: Map<string, unknown> } | undefined;

  constructor(private readonly db: Db) {}

  /**
   * The policy as of now, or as of `known`: the version a request read when it began (see
   * app.ts), which saves a statement per request when nothing changed since. A request is then
   * decided on the policy of its start; when `known` no longer matches what is kept (this
   * process saw a newer revision), the store is asked again.
   */
  current(known?: StoreVersion): CachedPolicy {
    const cached = this.cached;
    if (known !== undefined && cached !== undefined && isVersionOf(cached, known)) return cached;
    const version = storeVersion(this.db);
    if (cached !== undefined && isVersionOf(cached, version)) return cached;
    const snapshot = readSnapshot(this.db);
    const active = activeDirectory(this.db);
    const fresh: CachedPolicy = {
      revision: snapshot.revision,
      directoryId: active?.id ?? -1,
      directory: snapshot.policy.directory,
      directoryKind: active?.kind,
      policy: snapshot.policy,
      index: indexPolicy(snapshot.policy),
      compiled: compile(snapshot.policy),
      derived: new Map(),
    };
    this.cached = fresh;
    return fresh;
  }

  /**
   * The compiled policy deciding for `user` as a member of `groups` (an LDAP user's groups from
   * the directory at sign-in), on top of what the stored policy says of them. A user that no
   * grant names and the policy does not declare is decided as a member of those groups only,
   * so every such user with the same groups shares one compiled policy.
   */
  forMember(
    user: string,
    groups: readonly string[],
  ): { subject: string; compiled: CompiledPolicy } {
    const { policy } = this.current();
    const named = this.derive('named-users', () => {
      const names = new Set(policy.users.map((u) => u.name));
      for (const p of policy.permissions) if (p.user !== undefined) names.add(p.user);
      return names;
    });
    // Only groups the policy declares can change a decision (LDAP names compare without case):
    // users whose groups differ only in others share one compiled policy.
    const declared = this.derive(
      'declared-groups',
      () => new Map(policy.groups.map((g) => [g.name.toLowerCase(), g.name])),
    );
    const relevant = [...new Set(groups.flatMap((g) => declared.get(g.toLowerCase()) ?? []))];
    const subject = named.has(user) ? user : PROBE_USER;
    const members = this.derive('members', () => new Map<string, CompiledPolicy>());
    const key = JSON.stringify([subject, relevant.sort()]);
    let compiled = members.get(key);
    if (compiled === undefined) {
      if (members.size >= MAX_MEMBER_POLICIES)
        members.delete(members.keys().next().value as string);
      compiled = compile(withMember(policy, subject, relevant));
      members.set(key, compiled);
    }
    return { subject, compiled };
  }

  /**
   * A value computed from the current revision's stored policy, kept until the revision or the
   * active directory changes. `build` may read the store: a write that lands in between only
   * caches newer data under an older revision, which the next call throws away.
   */
  derive<T>(name: string, build: () => T): T {
    const { derived } = this.current();
    if (!derived.has(name)) derived.set(name, build());
    return derived.get(name) as T;
  }

  /**
   * Like derive(), for a value built from the store alone (e.g. a serialized list): kept per
   * revision and active directory without compiling the policy, which a large policy's list
   * right after a write should not wait for. `build` reads after the version check, so a write
   * in between only caches newer data under the older version, dropped at the next call.
   */
  fromStore<T>(name: string, build: () => T): T {
    const { revision, activeDirectoryId } = storeVersion(this.db);
    const directoryId = activeDirectoryId ?? -1;
    if (this.stored?.revision !== revision || this.stored.directoryId !== directoryId)
      this.stored = { revision, directoryId, values: new Map() };
    const { values } = this.stored;
    if (!values.has(name)) values.set(name, build());
    return values.get(name) as T;
  }
}
