// Policy file parsing: text (JSON or YAML) or an object in, a validated, normalized
// Policy out. Every problem is collected with its path; nothing stops at the first.
import type { z } from 'zod';
import {
  BUILT_IN_DIRECTORY,
  BUILT_IN_TASKS,
  POLICY_FORMAT,
  VIRTUAL_GROUPS,
  VIRTUAL_USERS,
  attributeInfo,
  isAttribute,
} from './catalog';
import type { Permission, Policy, PolicyFeed, PolicyGroup, PolicyTask, PolicyUser } from './model';
import { policyShellSchema, sectionSchemas, type PolicyFile } from './policy-schema';
import { PolicyError, formatPath, readPolicyText, suggest, type Problem } from './policy-text';

export { PolicyError, formatPath, readPolicyText, suggest, type Problem } from './policy-text';

function zodProblems(error: z.ZodError, prefix: readonly PropertyKey[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        problems.push({ path: formatPath([...path, key]), message: 'unknown key' });
    } else if (issue.code === 'invalid_value' && path.length === 1 && path[0] === 'format') {
      problems.push({ path: 'format', message: `must be "${POLICY_FORMAT}"` });
    } else {
      problems.push({ path: formatPath(path), message: issue.message });
    }
  }
  return problems;
}

/** Parses and validates a policy file. Throws PolicyError listing every problem with its path. */
export function parsePolicy(input: string | unknown): Policy {
  const raw = typeof input === 'string' ? readPolicyText(input) : input;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PolicyError([{ path: '(root)', message: 'expected an object (a policy file)' }]);
  }
  const shell = policyShellSchema.safeParse(raw);
  const problems: Problem[] = shell.success ? [] : zodProblems(shell.error);
  const source = raw as Record<string, unknown>;
  const file: PolicyFile = {};
  if (shell.success) {
    if (shell.data.format !== undefined) file.format = shell.data.format;
    if (shell.data.directory !== undefined) file.directory = shell.data.directory;
  }
  const knownNames: Partial<Record<keyof typeof sectionSchemas, Set<string>>> = {};
  for (const section of Object.keys(sectionSchemas) as (keyof typeof sectionSchemas)[]) {
    const items = source[section];
    if (!Array.isArray(items)) continue;
    const valid: unknown[] = [];
    const names = new Set<string>();
    items.forEach((item, i) => {
      const result = sectionSchemas[section].safeParse(item);
      if (result.success) valid.push(result.data);
      else problems.push(...zodProblems(result.error, [section, i]));
      // Keep the names of malformed items so references to them are not reported twice.
      const itemName = (item as { name?: unknown } | null)?.name;
      if (typeof itemName === 'string') names.add(itemName.trim());
    });
    knownNames[section] = names;
    (file as Record<string, unknown>)[section] = valid;
  }
  const policy = normalize(file, problems, knownNames);
  if (problems.length > 0) throw new PolicyError(problems);
  return policy;
}

function checkUnique(
  items: readonly { name: string }[],
  section: string,
  problems: Problem[],
): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.name);
    if (first !== undefined)
      problems.push({
        path: `${section}[${i}].name`,
        message: `duplicate name "${item.name}" (also ${section}[${first}])`,
      });
    else seen.set(item.name, i);
  });
}

// Membership lists can hold tens of thousands of names: deduplicate through a Set, not a scan.
const seenIn = new WeakMap<string[], Set<string>>();
function pushUnique(list: string[], value: string): void {
  let seen = seenIn.get(list);
  if (!seen) seenIn.set(list, (seen = new Set(list)));
  if (seen.has(value)) return;
  seen.add(value);
  list.push(value);
}

type KnownNames = Partial<Record<keyof typeof sectionSchemas, Set<string>>>;

function normalize(file: PolicyFile, problems: Problem[], known: KnownNames): Policy {
  // A name declared by a malformed item (already reported) still counts as declared.
  const declared = (section: keyof typeof sectionSchemas, n: string) =>
    known[section]?.has(n) === true;
  const fileUsers = file.users ?? [];
  const fileGroups = file.groups ?? [];
  const fileFeedGroups = file.feedGroups ?? [];
  const fileFeeds = file.feeds ?? [];
  const fileTasks = file.tasks ?? [];
  const filePermissions = file.permissions ?? [];

  checkUnique(fileUsers, 'users', problems);
  checkUnique(fileGroups, 'groups', problems);
  checkUnique(fileFeedGroups, 'feedGroups', problems);
  checkUnique(fileFeeds, 'feeds', problems);
  checkUnique(fileTasks, 'tasks', problems);

  fileUsers.forEach((u, i) => {
    if (VIRTUAL_USERS.has(u.name) || VIRTUAL_GROUPS.has(u.name))
      problems.push({
        path: `users[${i}].name`,
        message: `"${u.name}" is a virtual principal and cannot be declared`,
      });
  });
  fileGroups.forEach((g, i) => {
    if (VIRTUAL_USERS.has(g.name) || VIRTUAL_GROUPS.has(g.name))
      problems.push({
        path: `groups[${i}].name`,
        message: `"${g.name}" is a virtual principal and cannot be declared`,
      });
  });

  const users = new Map<string, PolicyUser>();
  for (const u of fileUsers) {
    if (users.has(u.name)) continue;
    const user: PolicyUser = { name: u.name, groups: [] };
    if (u.displayName !== undefined) user.displayName = u.displayName;
    if (u.email !== undefined) user.email = u.email;
    users.set(u.name, user);
  }
  const groups = new Map<string, PolicyGroup>();
  for (const g of fileGroups)
    if (!groups.has(g.name)) groups.set(g.name, { name: g.name, users: [], groups: [] });
  const feedGroupNames = new Set(fileFeedGroups.map((fg) => fg.name));

  const virtualMemberMessage = (n: string) =>
    `"${n}" is a virtual principal: its membership is implicit and cannot be listed`;

  fileUsers.forEach((u, i) => {
    const user = users.get(u.name);
    (u.groups ?? []).forEach((gname, j) => {
      const group = groups.get(gname);
      if (VIRTUAL_GROUPS.has(gname))
        problems.push({ path: `users[${i}].groups[${j}]`, message: virtualMemberMessage(gname) });
      else if (!group && !declared('groups', gname))
        problems.push({ path: `users[${i}].groups[${j}]`, message: `unknown group "${gname}"` });
      else if (user && group) {
        pushUnique(user.groups, gname);
        pushUnique(group.users, u.name);
      }
    });
  });
  fileGroups.forEach((g, i) => {
    const group = groups.get(g.name);
    (g.users ?? []).forEach((uname, j) => {
      const user = users.get(uname);
      if (VIRTUAL_USERS.has(uname))
        problems.push({ path: `groups[${i}].users[${j}]`, message: virtualMemberMessage(uname) });
      else if (!user && !declared('users', uname))
        problems.push({ path: `groups[${i}].users[${j}]`, message: `unknown user "${uname}"` });
      else if (group && user) {
        pushUnique(group.users, uname);
        pushUnique(user.groups, g.name);
      }
    });
    (g.groups ?? []).forEach((child, j) => {
      if (VIRTUAL_GROUPS.has(child))
        problems.push({ path: `groups[${i}].groups[${j}]`, message: virtualMemberMessage(child) });
      else if (!groups.has(child) && !declared('groups', child))
        problems.push({ path: `groups[${i}].groups[${j}]`, message: `unknown group "${child}"` });
      else if (group) pushUnique(group.groups, child);
    });
  });

  const feeds: PolicyFeed[] = [];
  fileFeeds.forEach((f, i) => {
    if (
      f.feedGroup !== undefined &&
      !feedGroupNames.has(f.feedGroup) &&
      !declared('feedGroups', f.feedGroup)
    )
      problems.push({
        path: `feeds[${i}].feedGroup`,
        message: `unknown feed group "${f.feedGroup}"`,
      });
    const feed: PolicyFeed = {
      name: f.name,
      feedType: f.feedType ?? 'universal',
      access: f.access ?? 'private',
    };
    if (f.feedGroup !== undefined) feed.feedGroup = f.feedGroup;
    feeds.push(feed);
  });
  const feedNames = new Set(fileFeeds.map((f) => f.name));

  const tasks = new Map<string, PolicyTask>();
  for (const t of BUILT_IN_TASKS)
    tasks.set(t.name, { name: t.name, description: t.description, attributes: [...t.attributes] });
  fileTasks.forEach((t, i) => {
    const attributes: string[] = [];
    t.attributes.forEach((a, j) => {
      if (!isAttribute(a))
        problems.push({
          path: `tasks[${i}].attributes[${j}]`,
          message: `unknown attribute "${a}"${suggest(a)}`,
        });
      else pushUnique(attributes, a);
    });
    tasks.set(t.name, { name: t.name, description: t.description ?? '', attributes });
  });

  const permissions: Permission[] = [];
  filePermissions.forEach((p, i) => {
    const at = `permissions[${i}]`;
    if (p.user !== undefined && p.group !== undefined)
      problems.push({ path: at, message: 'user and group cannot both be set' });
    else if (p.user === undefined && p.group === undefined)
      problems.push({ path: at, message: 'one of user or group is required' });
    if (p.feed !== undefined && p.feedGroup !== undefined)
      problems.push({ path: at, message: 'feed and feedGroup cannot both be set' });
    if (
      p.user !== undefined &&
      !users.has(p.user) &&
      !VIRTUAL_USERS.has(p.user) &&
      !declared('users', p.user)
    )
      problems.push({
        path: `${at}.user`,
        message: VIRTUAL_GROUPS.has(p.user)
          ? `"${p.user}" is a group, not a user`
          : `unknown user "${p.user}"`,
      });
    if (
      p.group !== undefined &&
      !groups.has(p.group) &&
      !VIRTUAL_GROUPS.has(p.group) &&
      !declared('groups', p.group)
    )
      problems.push({
        path: `${at}.group`,
        message: VIRTUAL_USERS.has(p.group)
          ? `"${p.group}" is a user, not a group`
          : `unknown group "${p.group}"`,
      });
    if (p.feed !== undefined && !feedNames.has(p.feed) && !declared('feeds', p.feed))
      problems.push({ path: `${at}.feed`, message: `unknown feed "${p.feed}"` });
    if (
      p.feedGroup !== undefined &&
      !feedGroupNames.has(p.feedGroup) &&
      !declared('feedGroups', p.feedGroup)
    )
      problems.push({ path: `${at}.feedGroup`, message: `unknown feed group "${p.feedGroup}"` });
    const task = tasks.get(p.task);
    if (!task && declared('tasks', p.task)) return;
    if (!task)
      problems.push({
        path: `${at}.task`,
        message: `unknown task "${p.task}"${suggest(p.task, tasks.keys())}`,
      });
    else if (p.feed !== undefined || p.feedGroup !== undefined) {
      const systemOnly = task.attributes.filter((a) => !attributeInfo(a)?.feedScoped);
      if (systemOnly.length > 0) {
        const scope = p.feed !== undefined ? `feed "${p.feed}"` : `feed group "${p.feedGroup}"`;
        problems.push({
          path: `${at}.task`,
          message: `task "${p.task}" is not feed-scopable (it has system attributes ${systemOnly.join(', ')}) and cannot be granted at ${scope}`,
        });
      }
    }
    const permission: Permission = { task: p.task, deny: p.deny ?? false };
    if (p.user !== undefined) permission.user = p.user;
    if (p.group !== undefined) permission.group = p.group;
    if (p.feed !== undefined) permission.feed = p.feed;
    if (p.feedGroup !== undefined) permission.feedGroup = p.feedGroup;
    permissions.push(permission);
  });

  return {
    format: POLICY_FORMAT,
    directory: file.directory ?? BUILT_IN_DIRECTORY,
    users: [...users.values()],
    groups: [...groups.values()],
    feedGroups: fileFeedGroups.map((fg) => ({ name: fg.name })),
    feeds,
    tasks: [...tasks.values()],
    permissions,
  };
}
