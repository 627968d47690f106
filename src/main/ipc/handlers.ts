// The AppApi handlers that need only the engine: app information and the policy questions
// the renderer's playground asks (run here rather than in the renderer so a large policy
// never blocks the UI thread). Workspace channels join this table as they are built.
import {
  accessDiff,
  ATTRIBUTES,
  diffPolicies,
  explainUser,
  indexPolicy,
  lintPolicy,
  parsePolicy,
  PolicyError,
  queryErrors,
  resolve,
  type Policy,
  type Problem,
  type Query,
} from '../../core/index';
import { APP_NAME, APP_VERSION } from '../../shared/app-info';
import { ACCESS_HANDLERS } from './access-handlers';
import { DIRECTORY_HANDLERS } from './directory-handlers';
import { KEYS_HANDLERS } from './keys-handlers';
import { LAUNCH_HANDLERS } from './launch-handlers';
import { PRINCIPALS_HANDLERS } from './principals-handlers';
import type { AppApiHandlers } from './registry';
import { WORKSPACE_HANDLERS } from './workspace-handlers';

type Parsed = { valid: true; policy: Policy } | { valid: false; problems: Problem[] };

/** A policy text, or its problems (an invalid policy is an answer, not an error). */
function parseText(text: string): Parsed {
  try {
    return { valid: true, policy: parsePolicy(text) };
  } catch (error) {
    if (error instanceof PolicyError) return { valid: false, problems: error.problems };
    throw error;
  }
}

/** Optional fields are left out rather than set to undefined. */
function queryOf(user: string, attribute: string, feed?: string, owner?: string): Query {
  return {
    user,
    attribute,
    ...(feed !== undefined && { feed }),
    ...(owner !== undefined && { owner }),
  };
}

export const APP_API_HANDLERS: AppApiHandlers = {
  'app:info': (_args, context) => ({ name: APP_NAME, version: APP_VERSION, host: context.host }),

  'policy:check': ({ policyText, query }) => {
    const parsed = parseText(policyText);
    if (!parsed.valid) return parsed;
    const { user, attribute, feed, owner } = query;
    return { valid: true, decision: resolve(parsed.policy, queryOf(user, attribute, feed, owner)) };
  },

  'policy:explain': ({ policyText, user, feed, owner }) => {
    const parsed = parseText(policyText);
    if (!parsed.valid) return parsed;
    // An unknown user or feed is the question's problem: say so instead of throwing.
    const anyAttribute = ATTRIBUTES[0]?.id ?? '';
    const errors = queryErrors(
      indexPolicy(parsed.policy),
      queryOf(user, anyAttribute, feed, owner),
    );
    if (errors.length > 0) return { valid: true, errors, decisions: [] };
    return { valid: true, errors: [], decisions: explainUser(parsed.policy, user, feed, owner) };
  },

  'policy:lint': ({ policyText }) => {
    const parsed = parseText(policyText);
    if (!parsed.valid) return parsed;
    return { valid: true, findings: lintPolicy(parsed.policy) };
  },

  'policy:diff': ({ oldText, newText }) => {
    const before = parseText(oldText);
    if (!before.valid) return { ...before, side: 'old' };
    const after = parseText(newText);
    if (!after.valid) return { ...after, side: 'new' };
    const { summary, entries, directory } = diffPolicies(before.policy, after.policy);
    return {
      valid: true,
      summary,
      entries,
      ...(directory !== undefined && { directory }),
      access: accessDiff(before.policy, after.policy),
    };
  },

  ...WORKSPACE_HANDLERS,
  ...PRINCIPALS_HANDLERS,
  ...ACCESS_HANDLERS,
  ...DIRECTORY_HANDLERS,
  ...LAUNCH_HANDLERS,
  ...KEYS_HANDLERS,
};
