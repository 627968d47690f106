// Shared helpers for the policy lint tests: a sound base policy plus sections, and
// filters over the findings.
import {
  lintPolicy,
  lintTask,
  parsePolicy,
  type LintFinding,
  type Policy,
} from '../../src/core/index';

export interface Sections {
  users?: { name: string; groups?: string[] }[];
  groups?: { name: string; users?: string[]; groups?: string[] }[];
  feedGroups?: { name: string }[];
  feeds?: { name: string; feedGroup?: string; access?: string }[];
  tasks?: { name: string; attributes: string[] }[];
  permissions?: Record<string, unknown>[];
}

/** A sound policy (Admin administers) plus the given sections; permissions start at index 1. */
export function policyOf(s: Sections = {}): Policy {
  return parsePolicy({
    format: 'feedgate-policy/1',
    users: [{ name: 'Admin', groups: ['Administrators'] }, ...(s.users ?? [])],
    groups: [{ name: 'Administrators' }, ...(s.groups ?? [])],
    feedGroups: s.feedGroups ?? [],
    feeds: s.feeds ?? [{ name: 'main' }],
    ...(s.tasks && { tasks: s.tasks }),
    permissions: [{ group: 'Administrators', task: 'Administer' }, ...(s.permissions ?? [])],
  });
}

export const only = (findings: LintFinding[], id: string) => findings.filter((f) => f.id === id);
export const of = (policy: Policy, id: string) => only(lintPolicy(policy), id);
export const taskIds = (attributes: string[]) =>
  lintTask({ name: 'T', attributes }).map((f) => `${f.severity}:${f.id}`);

export const VIEW = 'Feeds_ViewFeed';
export const DOWNLOAD = 'Feeds_DownloadPackage';
export const ADD = 'Feeds_AddPackage';
export const DELETE = 'Feeds_DeletePackage';
export const OVERWRITE = 'Feeds_OverwritePackage';
export const ACCEPT = 'Feeds_AcceptPackagePromotions';
