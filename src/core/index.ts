// The library face of the policy engine. Pure TypeScript: no I/O, no Node or Electron imports.
export * from './catalog';
export type * from './model';
export {
  parsePolicy,
  readPolicyText,
  PolicyError,
  formatPath,
  suggest,
  type Problem,
} from './parse';
export { policyFileSchema, nameSchema, type PolicyFile } from './policy-schema';
export { resolve, applicableGrants, compareGrants, queryErrors } from './resolve';
export { compile, type CompiledPolicy } from './compile';
export type { FeedMasks } from './compiled-masks';
export {
  indexPolicy,
  groupsOfUser,
  describeGrant,
  IMPLICIT_RULES,
  type ImplicitRule,
  type PolicyIndex,
} from './policy-index';
export {
  accessDiff,
  type AccessDiff,
  type AccessFlip,
  type AccessChangeGroup,
} from './access-diff';
export {
  explainUser,
  whoHas,
  policyUsers,
  isKnownUser,
  type AttributeDecision,
  type Holder,
} from './queries';
export { lintPolicy, lintTask, type LintFinding, type LintItem } from './lint';
export {
  ITEM_KINDS,
  changeSetSchema,
  operationSchema,
  parseChangeSet,
  applyChangeSet,
  permissionKey,
  parsePermissionKey,
  grantIdentity,
  describePermission,
  ChangeSetError,
  type ChangeSet,
  type Operation,
  type AddOperation,
  type RemoveOperation,
  type UpdateOperation,
  type ItemKind,
  type SetChange,
  type ValueChange,
} from './change-set';
export {
  diffPolicies,
  formatDiff,
  canonicalPolicy,
  policiesEqual,
  type PolicyDiff,
  type DiffEntry,
} from './diff';
export {
  mergeChangeSets,
  resolveConflicts,
  type MergeResult,
  type Conflict,
  type Side,
} from './merge';
