// The policy model: what a parsed, validated policy file holds. Parsing normalizes it
// (memberships merged on both sides, tasks = built-ins overridden by the file's tasks).
import type { FeedAccess, FeedType } from './catalog';

export interface PolicyUser {
  name: string;
  displayName?: string;
  email?: string;
  /** Direct groups of this user (union of users[].groups and groups[].users). */
  groups: string[];
}

export interface PolicyGroup {
  name: string;
  /** Direct member users (union of groups[].users and users[].groups). */
  users: string[];
  /** Groups nested inside this group: their members are members of this group too. */
  groups: string[];
}

export interface PolicyFeedGroup {
  name: string;
}

export interface PolicyFeed {
  name: string;
  feedType: FeedType;
  feedGroup?: string;
  access: FeedAccess;
}

export interface PolicyTask {
  name: string;
  description: string;
  attributes: string[];
}

/** A grant as written: ProGet calls deny=false a permission and deny=true a restriction. */
export interface Permission {
  user?: string;
  group?: string;
  task: string;
  feed?: string;
  feedGroup?: string;
  deny: boolean;
}

export interface Policy {
  format: 'feedgate-policy/1';
  directory: string;
  users: PolicyUser[];
  groups: PolicyGroup[];
  feedGroups: PolicyFeedGroup[];
  feeds: PolicyFeed[];
  /** Effective tasks: the built-in tasks, replaced or extended by the file's tasks. */
  tasks: PolicyTask[];
  permissions: Permission[];
}

/** A question put to the engine. `feed` absent = system scope. */
export interface Query {
  user: string;
  attribute: string;
  feed?: string;
  /** The user who uploaded the package concerned (community feeds let owners manage their own). */
  owner?: string;
}

export type ImplicitSource = 'public' | 'community' | 'community-owner' | 'organization';

/** A grant as the engine sees it: an explicit permission (by index) or an implicit one from a feed's access type. */
export interface Grant {
  /** Position in policy.permissions; -1 for an implicit grant. */
  index: number;
  user?: string;
  group?: string;
  task: string;
  feed?: string;
  feedGroup?: string;
  deny: boolean;
  /** Present on implicit grants: which feed access rule produced it. */
  implicit?: ImplicitSource;
}

export interface TraceEntry {
  grant: Grant;
  decided: boolean;
  /** Why this grant applies and, unless it decided, why it lost. */
  reason: string;
}

/** A decision is a value: the outcome, the grant that decided, every applicable grant in order, and query errors. */
export interface Decision {
  allowed: boolean;
  decidedBy: Grant | null;
  trace: TraceEntry[];
  errors: string[];
}

/** The fast evaluator's answer: the same outcome and deciding grant as the reference, without the trace. */
export interface Verdict {
  readonly allowed: boolean;
  readonly decidedBy: Grant | null;
  readonly errors: readonly string[];
}
