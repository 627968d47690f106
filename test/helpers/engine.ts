// Shared test helpers for the policy engine.
//
// Decisions: every decision is taken by the reference resolver and the compiled
// evaluator, which must agree on the outcome, the deciding grant and the query errors.
import { expect } from 'vitest';
import {
  PolicyError,
  compile,
  parsePolicy,
  resolve,
  type Decision,
  type Grant,
  type Policy,
  type Problem,
  type Query,
} from '../../src/core/index';

/** The reference decision, after asserting the compiled evaluator agrees with it. */
export function decide(policy: Policy, query: Query): Decision {
  const reference = resolve(policy, query);
  const fast = compile(policy).check(query);
  expect({ allowed: fast.allowed, decidedBy: fast.decidedBy, errors: [...fast.errors] }).toEqual({
    allowed: reference.allowed,
    decidedBy: reference.decidedBy,
    errors: reference.errors,
  });
  return reference;
}

export function expectAllowed(policy: Policy, query: Query, decidedBy: Grant): Decision {
  const d = decide(policy, query);
  expect(d.allowed).toBe(true);
  expect(d.decidedBy).toEqual(decidedBy);
  expect(d.errors).toEqual([]);
  return d;
}

export function expectDenied(policy: Policy, query: Query, decidedBy: Grant | null): Decision {
  const d = decide(policy, query);
  expect(d.allowed).toBe(false);
  expect(d.decidedBy).toEqual(decidedBy);
  expect(d.errors).toEqual([]);
  return d;
}

export const FEED_SCOPABLE = [
  'Admin_ManageFeed',
  'Admin_ManageConnectors',
  'Feeds_ViewFeed',
  'Feeds_DownloadPackage',
  'Feeds_AddPackage',
  'Feeds_DeletePackage',
  'Feeds_OverwritePackage',
  'Feeds_PullPackage',
  'Feeds_UnlistPackage',
  'Feeds_AcceptPackagePromotions',
];
export const SYSTEM_ONLY = [
  'Admin_ConfigureProGet',
  'Admin_ViewScheduledTasks',
  'Admin_ManageScheduledTasks',
  'Licenses_Manage',
  'Credentials_Manage',
  'Credentials_ViewPasswords',
  'Vulnerabilities_Assess',
  'Projects_View',
  'Projects_Manage',
  'Projects_UploadSbom',
  'Projects_ResolveIssue',
];

/** One user `u` in group `G`, feeds A and B (A in feed group FG), custom tasks, the given grants. */
export function policyWith(permissions: object[], tasks: object[] = []): Policy {
  return parsePolicy({
    users: [{ name: 'u', groups: ['G'] }, { name: 'other' }],
    groups: [{ name: 'G' }],
    feedGroups: [{ name: 'FG' }],
    feeds: [{ name: 'A', feedGroup: 'FG' }, { name: 'B' }],
    tasks,
    permissions,
  });
}

/** The PolicyError parsePolicy throws for `input` (fails the test if it does not throw). */
export function errorOf(input: unknown): PolicyError {
  try {
    parsePolicy(input);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return e as PolicyError;
  }
  throw new Error('expected parsePolicy to throw');
}
export const problemsOf = (input: unknown): Problem[] => errorOf(input).problems;
export const one = (path: string, message: string): Problem[] => [{ path, message }];
