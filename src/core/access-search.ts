// The Access screen's two searches, over the engine's bulk questions (queries.ts):
// "who can …" (an attribute or task at a feed or feed group → the users and groups allowed,
// each with the deciding grant) and "what can … do" (a user or group at a feed → every
// attribute allowed or denied, with the grant that decided). A group answers for what
// membership of that group alone gives: a probe member is added to a copy of the policy.
// Pure and I/O-free.
import { ATTRIBUTES, isAttribute } from './catalog';
import { compile, type CompiledPolicy } from './compile';
import type { Grant, Policy } from './model';
import { explainUser, isKnownUser, policyUsers, whoHas, type AttributeDecision } from './queries';

export type PrincipalKind = 'user' | 'group';

/** An attribute, or a task (allowed when every one of its attributes is). */
export type AccessSubject = { attribute: string } | { task: string };
/** A feed, or a feed group (each of its feeds is asked). */
export type AccessScope = { feed: string } | { feedGroup: string };

export interface WhoCanRow {
  kind: PrincipalKind;
  name: string;
  /** The scope's feeds on which the subject is allowed (all of them for a feed). */
  feeds: string[];
  /** The grants that decided, distinct, in the order met (the first decided the first check). */
  decidedBy: Grant[];
}

export interface WhoCanAnswer {
  /** Why the question has no answer (unknown task, feed or feed group); then no rows. */
  errors: string[];
  /** The feeds asked: the feed, or the feed group's feeds. */
  feeds: string[];
  rows: WhoCanRow[];
}

// A probe is a made-up member of exactly one group. The control character keeps it from
// colliding with any real user name.
const PROBE_PREFIX = '\u0001probe:';
export const groupProbe = (group: string): string => `${PROBE_PREFIX}${group}`;

/** The policy with one probe member per group: what each group alone gives is a user question. */
export function withGroupProbes(policy: Policy): Policy {
  return {
    ...policy,
    users: [
      ...policy.users,
      ...policy.groups.map((g) => ({ name: groupProbe(g.name), groups: [g.name] })),
    ],
    groups: policy.groups.map((g) => ({ ...g, users: [...g.users, groupProbe(g.name)] })),
  };
}

function subjectAttributes(policy: Policy, subject: AccessSubject): string[] | string {
  if ('attribute' in subject) {
    return isAttribute(subject.attribute)
      ? [subject.attribute]
      : `unknown attribute "${subject.attribute}"`;
  }
  const task = policy.tasks.find((t) => t.name === subject.task);
  if (!task) return `unknown task "${subject.task}"`;
  if (task.attributes.length === 0) return `task "${subject.task}" has no attributes`;
  return task.attributes;
}

function scopeFeeds(policy: Policy, scope: AccessScope): string[] | string {
  if ('feed' in scope) {
    return policy.feeds.some((f) => f.name === scope.feed)
      ? [scope.feed]
      : `unknown feed "${scope.feed}"`;
  }
  if (!policy.feedGroups.some((g) => g.name === scope.feedGroup))
    return `unknown feed group "${scope.feedGroup}"`;
  return policy.feeds.filter((f) => f.feedGroup === scope.feedGroup).map((f) => f.name);
}

const grantKey = (g: Grant) =>
  `${g.index}|${g.implicit ?? ''}|${g.user ?? ''}|${g.group ?? ''}|${g.task}|${g.feed ?? ''}`;

/**
 * Who is allowed `subject` at `scope`: users (every declared user and Anonymous) and groups
 * (through their probes), each with the feeds of the scope where allowed and the deciding
 * grants. Users first, then groups, each in policy order.
 */
export function whoCan(policy: Policy, subject: AccessSubject, scope: AccessScope): WhoCanAnswer {
  const attributes = subjectAttributes(policy, subject);
  const feeds = scopeFeeds(policy, scope);
  const errors = [attributes, feeds].filter((v): v is string => typeof v === 'string');
  if (errors.length > 0 || typeof attributes === 'string' || typeof feeds === 'string')
    return { errors, feeds: [], rows: [] };

  const probed = withGroupProbes(policy);
  const compiled = compile(probed);
  const rows = new Map<string, WhoCanRow>();
  for (const feed of feeds) {
    // Allowed at this feed = holds every attribute; the grants that decided each one.
    let holders: Map<string, Grant[]> | null = null;
    for (const attribute of attributes) {
      const next = new Map<string, Grant[]>();
      for (const holder of whoHas(probed, attribute, feed, compiled)) {
        const before: Grant[] | undefined = holders === null ? [] : holders.get(holder.user);
        if (before !== undefined) next.set(holder.user, [...before, holder.decidedBy]);
      }
      holders = next;
    }
    for (const [user, grants] of holders ?? []) {
      const group = user.startsWith(PROBE_PREFIX) ? user.slice(PROBE_PREFIX.length) : null;
      const key = group === null ? `user:${user}` : `group:${group}`;
      let row = rows.get(key);
      if (!row) {
        row =
          group === null
            ? { kind: 'user', name: user, feeds: [], decidedBy: [] }
            : { kind: 'group', name: group, feeds: [], decidedBy: [] };
        rows.set(key, row);
      }
      row.feeds.push(feed);
      const seen = new Set(row.decidedBy.map(grantKey));
      for (const g of grants) {
        if (seen.has(grantKey(g))) continue;
        row.decidedBy.push(g);
        seen.add(grantKey(g));
      }
    }
  }
  // Users first, then groups, each in policy order (Anonymous after the declared users).
  const position = new Map<string, number>([
    ...policyUsers(policy).map((u, i): [string, number] => [`user:${u}`, i]),
    ...policy.groups.map((g, i): [string, number] => [
      `group:${g.name}`,
      policy.users.length + 1 + i,
    ]),
  ]);
  const ordered = [...rows.entries()]
    .sort(([a], [b]) => (position.get(a) ?? 0) - (position.get(b) ?? 0))
    .map(([, row]) => row);
  return { errors: [], feeds, rows: ordered };
}

export interface WhatCanAnswer {
  errors: string[];
  /** Every attribute in catalog order; system-only ones decided at system scope. */
  decisions: AttributeDecision[];
}

/** What `principal` may do at `feed`: every attribute with the grant that decided it. */
export function whatCan(
  policy: Policy,
  principal: { kind: PrincipalKind; name: string },
  feed: string,
  compiled?: CompiledPolicy,
): WhatCanAnswer {
  const errors: string[] = [];
  if (!policy.feeds.some((f) => f.name === feed)) errors.push(`unknown feed "${feed}"`);
  if (principal.kind === 'group' && !policy.groups.some((g) => g.name === principal.name))
    errors.push(`unknown group "${principal.name}"`);
  if (principal.kind === 'user' && !isKnownUser(policy, principal.name))
    errors.push(`unknown user "${principal.name}"`);
  if (errors.length > 0) return { errors, decisions: [] };
  if (principal.kind === 'user')
    return { errors, decisions: explainUser(policy, principal.name, feed, undefined, compiled) };
  const probed = withGroupProbes(policy);
  return { errors, decisions: explainUser(probed, groupProbe(principal.name), feed) };
}

/** The attributes a "who can" search offers: the feed-scoped ones (the scope is a feed). */
export const FEED_ATTRIBUTES: readonly string[] = ATTRIBUTES.filter((a) => a.feedScoped).map(
  (a) => a.id,
);
