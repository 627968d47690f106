// The Access screen's two searches, over the engine's bulk questions (queries.ts):
// "who can …" (an attribute or task at a feed or feed group → the users and groups allowed,
// each with the deciding grant) and "what can … do" (a user or group at a feed → every
// attribute allowed or denied, with the grant that decided). A group answers for what
// membership of that group alone gives: a probe member is added to a copy of the policy.
// Pure and I/O-free.
import { isAttribute } from './catalog';
import { compile, type CompiledPolicy } from './compile';
import type { Grant, Policy } from './model';
import { explainUser, isKnownUser, policyUsers, type AttributeDecision } from './queries';

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

/** The attributes a subject asks about, or why it cannot be asked. */
export function subjectAttributes(policy: Policy, subject: AccessSubject): string[] | string {
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

/** A policy ready for many questions: compiled once, with a probe member per group. */
export interface PreparedAccess {
  policy: Policy;
  probed: Policy;
  compiled: CompiledPolicy;
}

export function prepareAccess(policy: Policy): PreparedAccess {
  const probed = withGroupProbes(policy);
  return { policy, probed, compiled: compile(probed) };
}

const prepared = (source: Policy | PreparedAccess): PreparedAccess =>
  'compiled' in source ? source : prepareAccess(source);

/**
 * Who is allowed `subject` at `scope`: users (every declared user and Anonymous, as whoHas
 * asks) and groups (through their probes), each with the feeds of the scope where allowed
 * and the deciding grants. Users first, then groups, each in policy order. A task's
 * attributes are checked in turn and a principal's feed is given up at the first denial, so a
 * large policy costs a check per principal and feed, not per attribute.
 */
export function whoCan(
  source: Policy | PreparedAccess,
  subject: AccessSubject,
  scope: AccessScope,
): WhoCanAnswer {
  const policy = 'compiled' in source ? source.policy : source;
  const attributes = subjectAttributes(policy, subject);
  const feeds = scopeFeeds(policy, scope);
  const errors = [attributes, feeds].filter((v): v is string => typeof v === 'string');
  if (errors.length > 0 || typeof attributes === 'string' || typeof feeds === 'string')
    return { errors, feeds: [], rows: [] };

  const { compiled } = prepared(source);
  const principals = [
    ...policyUsers(policy).map((name) => ({ kind: 'user' as const, name, user: name })),
    ...policy.groups.map((g) => ({
      kind: 'group' as const,
      name: g.name,
      user: groupProbe(g.name),
    })),
  ];
  const rows: WhoCanRow[] = [];
  for (const principal of principals) {
    const row: WhoCanRow = { kind: principal.kind, name: principal.name, feeds: [], decidedBy: [] };
    const seen = new Set<string>();
    for (const feed of feeds) {
      const decided: Grant[] = [];
      for (const attribute of attributes) {
        const verdict = compiled.check({ user: principal.user, attribute, feed });
        if (verdict.errors.length > 0) throw new Error(verdict.errors.join('; '));
        if (!verdict.allowed || !verdict.decidedBy) break;
        decided.push(verdict.decidedBy);
      }
      if (decided.length < attributes.length) continue;
      row.feeds.push(feed);
      for (const g of decided) {
        if (seen.has(grantKey(g))) continue;
        seen.add(grantKey(g));
        row.decidedBy.push(g);
      }
    }
    if (row.feeds.length > 0) rows.push(row);
  }
  return { errors: [], feeds, rows };
}

export interface WhatCanAnswer {
  errors: string[];
  /** Every attribute in catalog order; system-only ones decided at system scope. */
  decisions: AttributeDecision[];
}

/** What `principal` may do at `feed`: every attribute with the grant that decided it. */
export function whatCan(
  source: Policy | PreparedAccess,
  principal: { kind: PrincipalKind; name: string },
  feed: string,
): WhatCanAnswer {
  const policy = 'compiled' in source ? source.policy : source;
  const errors: string[] = [];
  if (!policy.feeds.some((f) => f.name === feed)) errors.push(`unknown feed "${feed}"`);
  if (principal.kind === 'group' && !policy.groups.some((g) => g.name === principal.name))
    errors.push(`unknown group "${principal.name}"`);
  if (principal.kind === 'user' && !isKnownUser(policy, principal.name))
    errors.push(`unknown user "${principal.name}"`);
  if (errors.length > 0) return { errors, decisions: [] };
  // Probes change nothing for real users: one compiled policy answers both kinds.
  const { probed, compiled } = prepared(source);
  const user = principal.kind === 'user' ? principal.name : groupProbe(principal.name);
  return { errors, decisions: explainUser(probed, user, feed, undefined, compiled) };
}
