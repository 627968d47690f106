// The shapes of lint findings (see src/core/lint.ts for the rule table).

export type LintSeverity = 'error' | 'warning' | 'info';

/** What a finding is about. `path` points into the policy, e.g. `permissions[3]` or `users[0]`. */
export interface LintItem {
  kind: 'task' | 'permission' | 'user' | 'group' | 'feed' | 'feedGroup' | 'policy';
  name?: string;
  /** Position in policy.permissions (permission items only). */
  index?: number;
  path?: string;
}

export interface LintFinding {
  /** Stable kebab-case rule id (see LINT_RULES). */
  id: string;
  severity: LintSeverity;
  /** A plain sentence: what, the hazard, and how to fix it. */
  message: string;
  items: LintItem[];
}
