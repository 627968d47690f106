// Change sets: the unit a desktop draft pushes to an instance (v1 POST `changes`) and what
// merge works on. An ordered list of operations, each on one item named by kind + key.
// Membership lists and task attributes are sets, changed by { added, removed } so that
// concurrent edits merge. The format lives in change-set-schema.ts; see docs/change-sets.md.
import { BUILT_IN_TASK_NAMES, POLICY_FORMAT } from './catalog';
import {
  parseChangeSet,
  type AddOperation,
  type ChangeSet,
  type ItemKind,
  type Operation,
  type PermissionItem,
  type RemoveOperation,
  type SetChange,
  type UpdateOperation,
  type ValueChange,
} from './change-set-schema';
import type { Permission, Policy, PolicyFeed, PolicyTask } from './model';
import { PolicyError, parsePolicy, type Problem } from './parse';

export * from './change-set-schema';

// Names rarely hold either character: two scans beat two regular-expression replaces, and a
// diff keys every grant of both policies (100,000 at L).
const escapeKeyPart = (s: string): string =>
  s.includes('%') || s.includes('|') ? s.replace(/%/g, '%25').replace(/\|/g, '%7C') : s;

/** A grant's identity without its effect: principal, task and scope. */
export function grantIdentity(p: PermissionItem): string {
  const who =
    p.user !== undefined
      ? `user:${escapeKeyPart(p.user)}`
      : `group:${escapeKeyPart(p.group ?? '')}`;
  const scope =
    p.feed !== undefined
      ? `feed:${escapeKeyPart(p.feed)}`
      : p.feedGroup !== undefined
        ? `feedGroup:${escapeKeyPart(p.feedGroup)}`
        : 'global';
  return `${who}|${escapeKeyPart(p.task)}|${scope}`;
}

/** The stable key of a permission: `group:Developers|Promote Packages|feed:Production|deny`. */
export function permissionKey(p: PermissionItem): string {
  return `${grantIdentity(p)}|${p.deny === true ? 'deny' : 'allow'}`;
}

/** The permission a permissionKey names (the inverse of permissionKey). */
export function parsePermissionKey(key: string): Permission {
  const parts = key.split('|').map((p) => p.replace(/%(7C|25)/g, (m) => (m === '%7C' ? '|' : '%')));
  const [who = '', task = '', scope = '', effect = ''] = parts;
  const colon = (s: string) => [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 1)] as const;
  const [pk, pn] = colon(who);
  const [sk, sn] = colon(scope);
  return {
    ...(pk === 'user' ? { user: pn } : { group: pn }),
    task,
    ...(sk === 'feed' && { feed: sn }),
    ...(sk === 'feedGroup' && { feedGroup: sn }),
    deny: effect === 'deny',
  };
}

/** "group Developers · Promote Packages · feed Production (restriction)". */
export function describePermission(p: PermissionItem): string {
  const who = p.user !== undefined ? `user ${p.user}` : `group ${p.group ?? '?'}`;
  const scope =
    p.feed !== undefined
      ? `feed ${p.feed}`
      : p.feedGroup !== undefined
        ? `feed group ${p.feedGroup}`
        : 'global';
  return `${who} · ${p.task} · ${scope} (${p.deny === true ? 'restriction' : 'permission'})`;
}

/** A normalized permission with its properties in canonical order. */
export function normalizePermission(p: PermissionItem): Permission {
  return {
    ...(p.user !== undefined && { user: p.user }),
    ...(p.group !== undefined && { group: p.group }),
    task: p.task,
    ...(p.feed !== undefined && { feed: p.feed }),
    ...(p.feedGroup !== undefined && { feedGroup: p.feedGroup }),
    deny: p.deny ?? false,
  };
}

/** An operation that does not fit the policy it is applied to. */
export class ChangeSetError extends Error {
  readonly operationIndex: number;
  constructor(operationIndex: number, operation: Operation, message: string) {
    const key = operation.op === 'add' ? itemKey(operation) : operation.key;
    super(`operations[${operationIndex}] (${operation.op} ${operation.kind} "${key}"): ${message}`);
    this.name = 'ChangeSetError';
    this.operationIndex = operationIndex;
  }
}

/** The key of an add operation's item. */
export function itemKey(op: AddOperation): string {
  return op.kind === 'permission' ? permissionKey(op.item) : op.item.name;
}

interface UserState {
  name: string;
  displayName?: string;
  email?: string;
}

/** The policy while operations apply: memberships as edges, so both sides stay in step. */
interface State {
  users: Map<string, UserState>;
  groups: Set<string>;
  feedGroups: Set<string>;
  feeds: Map<string, PolicyFeed>;
  tasks: Map<string, PolicyTask>;
  /** In policy order; a removed permission leaves a hole (null). */
  permissions: (Permission | null)[];
  /** permissionKey → positions in `permissions`. */
  permissionAt: Map<string, number[]>;
  /** user → groups it is a direct member of. */
  members: Map<string, Set<string>>;
  /** parent group → groups nested inside it. */
  nests: Map<string, Set<string>>;
}

function pushPermission(state: State, p: Permission): void {
  const key = permissionKey(p);
  state.permissionAt.set(key, [...(state.permissionAt.get(key) ?? []), state.permissions.length]);
  state.permissions.push(p);
}

function addEdge(edges: Map<string, Set<string>>, from: string, to: string): void {
  let set = edges.get(from);
  if (!set) edges.set(from, (set = new Set()));
  set.add(to);
}

function stateOf(policy: Policy): State {
  const state: State = {
    users: new Map(
      policy.users.map((u) => [
        u.name,
        {
          name: u.name,
          ...(u.displayName !== undefined && { displayName: u.displayName }),
          ...(u.email !== undefined && { email: u.email }),
        },
      ]),
    ),
    groups: new Set(policy.groups.map((g) => g.name)),
    feedGroups: new Set(policy.feedGroups.map((fg) => fg.name)),
    feeds: new Map(policy.feeds.map((f) => [f.name, { ...f }])),
    tasks: new Map(policy.tasks.map((t) => [t.name, { ...t, attributes: [...t.attributes] }])),
    permissions: [],
    permissionAt: new Map(),
    members: new Map(),
    nests: new Map(),
  };
  for (const p of policy.permissions) pushPermission(state, normalizePermission(p));
  for (const u of policy.users) for (const g of u.groups) addEdge(state.members, u.name, g);
  for (const g of policy.groups) {
    for (const u of g.users) addEdge(state.members, u, g.name);
    for (const c of g.groups) addEdge(state.nests, g.name, c);
  }
  return state;
}

const show = (v: unknown): string => (v === null ? '(none)' : JSON.stringify(v));

function checkFrom(
  field: string,
  current: unknown,
  change: ValueChange<unknown> | undefined,
): string | null {
  if (change === undefined || change.from === current) return null;
  return `${field} is ${show(current)}, but the change expects ${show(change.from)}`;
}

function applySet(list: string[], change: SetChange | undefined): string[] {
  if (!change) return list;
  const removed = new Set(change.removed ?? []);
  const out = list.filter((v) => !removed.has(v));
  for (const v of change.added ?? []) if (!out.includes(v)) out.push(v);
  return out;
}

function exists(state: State, kind: ItemKind, key: string): boolean {
  switch (kind) {
    case 'user':
      return state.users.has(key);
    case 'group':
      return state.groups.has(key);
    case 'feedGroup':
      return state.feedGroups.has(key);
    case 'feed':
      return state.feeds.has(key);
    case 'task':
      return state.tasks.has(key);
    case 'permission':
      return state.permissionAt.has(key);
  }
}

function applyAdd(state: State, op: AddOperation): void {
  switch (op.kind) {
    case 'user': {
      const { groups, ...user } = op.item;
      state.users.set(user.name, user);
      for (const g of groups ?? []) addEdge(state.members, user.name, g);
      return;
    }
    case 'group':
      state.groups.add(op.item.name);
      for (const u of op.item.users ?? []) addEdge(state.members, u, op.item.name);
      for (const c of op.item.groups ?? []) addEdge(state.nests, op.item.name, c);
      return;
    case 'feedGroup':
      state.feedGroups.add(op.item.name);
      return;
    case 'feed': {
      const { name: feedName, feedType, feedGroup, access } = op.item;
      state.feeds.set(feedName, {
        name: feedName,
        feedType: feedType ?? 'universal',
        ...(feedGroup !== undefined && { feedGroup }),
        access: access ?? 'private',
      });
      return;
    }
    case 'task':
      state.tasks.set(op.item.name, {
        name: op.item.name,
        description: op.item.description ?? '',
        attributes: [...new Set(op.item.attributes)],
      });
      return;
    case 'permission':
      pushPermission(state, normalizePermission(op.item));
  }
}

function applyRemove(state: State, op: RemoveOperation): void {
  switch (op.kind) {
    case 'user':
      state.users.delete(op.key);
      state.members.delete(op.key);
      return;
    case 'group':
      state.groups.delete(op.key);
      for (const set of state.members.values()) set.delete(op.key);
      state.nests.delete(op.key);
      for (const set of state.nests.values()) set.delete(op.key);
      return;
    case 'feedGroup':
      state.feedGroups.delete(op.key);
      return;
    case 'feed':
      state.feeds.delete(op.key);
      return;
    case 'task':
      state.tasks.delete(op.key);
      return;
    case 'permission':
      for (const i of state.permissionAt.get(op.key) ?? []) state.permissions[i] = null;
      state.permissionAt.delete(op.key);
  }
}

/** Applies an update; returns why it does not fit, or null. */
function applyUpdate(state: State, op: UpdateOperation): string | null {
  switch (op.kind) {
    case 'user': {
      const user = state.users.get(op.key) as UserState;
      const c = op.changes;
      const bad =
        checkFrom('displayName', user.displayName ?? null, c.displayName) ??
        checkFrom('email', user.email ?? null, c.email);
      if (bad) return bad;
      if (c.displayName) setOptional(user, 'displayName', c.displayName.to);
      if (c.email) setOptional(user, 'email', c.email.to);
      const groups = applySet([...(state.members.get(op.key) ?? [])], c.groups);
      state.members.set(op.key, new Set(groups));
      return null;
    }
    case 'group': {
      const c = op.changes;
      for (const u of c.users?.added ?? []) addEdge(state.members, u, op.key);
      for (const u of c.users?.removed ?? []) state.members.get(u)?.delete(op.key);
      state.nests.set(op.key, new Set(applySet([...(state.nests.get(op.key) ?? [])], c.groups)));
      return null;
    }
    case 'feed': {
      const feed = state.feeds.get(op.key) as PolicyFeed;
      const c = op.changes;
      const bad =
        checkFrom('feedType', feed.feedType, c.feedType) ??
        checkFrom('feedGroup', feed.feedGroup ?? null, c.feedGroup) ??
        checkFrom('access', feed.access, c.access);
      if (bad) return bad;
      if (c.feedType) feed.feedType = c.feedType.to;
      if (c.access) feed.access = c.access.to;
      if (c.feedGroup) setOptional(feed, 'feedGroup', c.feedGroup.to);
      return null;
    }
    case 'task': {
      const task = state.tasks.get(op.key) as PolicyTask;
      const bad = checkFrom('description', task.description, op.changes.description);
      if (bad) return bad;
      if (op.changes.description) task.description = op.changes.description.to;
      task.attributes = applySet(task.attributes, op.changes.attributes);
      return null;
    }
  }
}

function setOptional<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | null,
): void {
  if (value === null) delete target[key];
  else target[key] = value;
}

/** The state as a policy file; membership edges go on the side whose principal exists. */
function fileOf(state: State, directory: string): Record<string, unknown> {
  const groupUsers = new Map<string, string[]>();
  for (const [user, groups] of state.members) {
    if (state.users.has(user)) continue;
    for (const g of groups) groupUsers.set(g, [...(groupUsers.get(g) ?? []), user]);
  }
  const problems: Problem[] = [];
  for (const [g, users] of groupUsers) {
    if (!state.groups.has(g))
      problems.push({
        path: 'groups',
        message: `unknown users ${users.join(', ')} in unknown group "${g}"`,
      });
  }
  if (problems.length > 0)
    throw new PolicyError(problems, 'the change set leaves an invalid policy');
  return {
    format: POLICY_FORMAT,
    directory,
    users: [...state.users.values()].map((u) => ({
      ...u,
      groups: [...(state.members.get(u.name) ?? [])],
    })),
    groups: [...state.groups].map((g) => ({
      name: g,
      users: groupUsers.get(g) ?? [],
      groups: [...(state.nests.get(g) ?? [])],
    })),
    feedGroups: [...state.feedGroups].map((fg) => ({ name: fg })),
    feeds: [...state.feeds.values()],
    tasks: [...state.tasks.values()],
    permissions: state.permissions.filter((p) => p !== null),
  };
}

/**
 * Applies a change set to a copy of the policy and re-validates the result through
 * parsePolicy. Throws ChangeSetError naming the operation that does not fit, and
 * PolicyError (with paths in the resulting policy) when the outcome is invalid.
 */
export function applyChangeSet(policy: Policy, changeSet: ChangeSet): Policy {
  const set = parseChangeSet(changeSet);
  if (set.directory !== undefined && set.directory !== policy.directory) {
    throw new Error(
      `the change set concerns directory "${set.directory}", the policy directory "${policy.directory}"`,
    );
  }
  const state = stateOf(policy);
  set.operations.forEach((op, i) => {
    const key = op.op === 'add' ? itemKey(op) : op.key;
    const present = exists(state, op.kind, key);
    if (op.op === 'add') {
      if (present) throw new ChangeSetError(i, op, `${op.kind} already exists`);
      applyAdd(state, op);
    } else if (!present) {
      throw new ChangeSetError(i, op, `no such ${op.kind}`);
    } else if (op.op === 'remove') {
      if (op.kind === 'task' && BUILT_IN_TASK_NAMES.has(op.key))
        throw new ChangeSetError(
          i,
          op,
          'a built-in task cannot be removed (change its attributes instead)',
        );
      applyRemove(state, op);
    } else {
      const misfit = applyUpdate(state, op);
      if (misfit !== null) throw new ChangeSetError(i, op, misfit);
    }
  });
  try {
    return parsePolicy(fileOf(state, policy.directory));
  } catch (error) {
    if (error instanceof PolicyError)
      throw new PolicyError(error.problems, 'the change set leaves an invalid policy');
    throw error;
  }
}
