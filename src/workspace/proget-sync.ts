// Sync with a server that offers only the ProGet-compatible APIs (no feedgate v1): the policy
// read from the security and feed management lists, and a draft pushed as ordered per-item
// calls. Such a server has no revision and no atomic change set: the "revision" is a
// fingerprint of the policy's canonical form, each call stands alone, and a re-read after the
// push reports exactly what did not apply (which then stays in the draft).
import { createHash } from 'node:crypto';
import {
  canonicalPolicy,
  diffPolicies,
  permissionKey,
  parsePolicy,
  type Operation,
  type Policy,
} from '../core/index';
import { RemoteError, type RemoteClient, type SecurityPermission } from './remote-client';

export interface ProGetStep {
  /** What the call was for, e.g. `add user alice`. */
  label: string;
  ok: boolean;
  message?: string;
}

/** A revision for a server without one: 48 bits of the canonical policy's SHA-256. */
export function policyFingerprint(policy: Policy): number {
  const { directory: _directory, ...rest } = canonicalPolicy(policy);
  const hex = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
  return Number.parseInt(hex.slice(0, 12), 16);
}

/** The policy as the server's lists describe it, in `directory` (the lists do not name it). */
export async function readProGetPolicy(client: RemoteClient, directory: string): Promise<Policy> {
  const [users, groups, tasks, permissions, feeds, feedGroups] = await Promise.all([
    client.listUsers(),
    client.listGroups(),
    client.listTasks(),
    client.listPermissions(),
    client.listFeeds(),
    client.listFeedGroups(),
  ]);
  return parsePolicy({
    format: 'feedgate-policy/1',
    directory,
    users: users.map((u) => ({
      name: u.name,
      ...(u.displayName !== undefined && { displayName: u.displayName }),
      ...(u.email !== undefined && { email: u.email }),
    })),
    groups: groups.map((g) => ({ name: g.name, users: g.users })),
    feedGroups: feedGroups.map((g) => ({ name: g.name })),
    feeds: feeds.map((f) => ({
      name: f.name,
      feedType: f.feedType,
      access: f.access,
      ...(f.feedGroup !== undefined && { feedGroup: f.feedGroup }),
    })),
    tasks: tasks.map((t) => ({
      name: t.name,
      description: t.description ?? '',
      attributes: t.attributes,
    })),
    permissions: permissions.map(({ id: _id, ...grant }) => grant),
  });
}

/** The label of an operation for the step list. */
function labelOf(op: Operation): string {
  const key = op.op === 'add' ? ('name' in op.item ? op.item.name : 'grant') : op.key;
  return `${op.op} ${op.kind} ${key}`;
}

/**
 * Sends the draft's changes against `base` as ordered ProGet API calls (adds, updates, then
 * removals, in the canonical diff's order). A failed call is recorded and the rest go on;
 * what is not supported by these APIs (feed updates, nested groups) is recorded as refused.
 */
export async function pushProGet(
  client: RemoteClient,
  base: Policy,
  draft: Policy,
): Promise<ProGetStep[]> {
  const operations = diffPolicies(base, draft).changeSet.operations;
  const steps: ProGetStep[] = [];
  let grants: SecurityPermission[] | undefined;
  for (const op of operations) {
    const label = labelOf(op);
    try {
      const unsupported = await applyOne(client, op, draft, async () => {
        grants ??= await client.listPermissions();
        return grants;
      });
      steps.push(
        unsupported === null ? { label, ok: true } : { label, ok: false, message: unsupported },
      );
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      steps.push({ label, ok: false, message: error.message });
      // A server that is gone will refuse every other call too.
      if (error.kind === 'network' || error.kind === 'timeout') break;
    }
  }
  return steps;
}

/** Runs one operation; answers null when done, or why the ProGet APIs cannot do it. */
async function applyOne(
  client: RemoteClient,
  op: Operation,
  draft: Policy,
  listGrants: () => Promise<SecurityPermission[]>,
): Promise<string | null> {
  const user = (name: string) => draft.users.find((u) => u.name === name);
  const group = (name: string) => draft.groups.find((g) => g.name === name);
  const task = (name: string) => draft.tasks.find((t) => t.name === name);
  if (op.op === 'add') {
    switch (op.kind) {
      case 'task':
        await client.addTask({
          name: op.item.name,
          description: op.item.description ?? '',
          attributes: op.item.attributes,
        });
        return null;
      case 'feedGroup':
        await client.createFeedGroup(op.item.name);
        return null;
      case 'feed':
        await client.createFeed({
          name: op.item.name,
          ...(op.item.feedType !== undefined && { feedType: op.item.feedType }),
          ...(op.item.access !== undefined && { access: op.item.access }),
          ...(op.item.feedGroup !== undefined && { feedGroup: op.item.feedGroup }),
        });
        return null;
      case 'group':
        await client.addGroup({ name: op.item.name, users: op.item.users ?? [] });
        return (op.item.groups ?? []).length > 0
          ? 'nested groups cannot be set through the ProGet API'
          : null;
      case 'user': {
        const { name, displayName, email } = op.item;
        await client.addUser({
          name,
          ...(displayName !== undefined && { displayName }),
          ...(email !== undefined && { email }),
        });
        for (const groupName of op.item.groups ?? []) {
          const target = group(groupName);
          if (target !== undefined)
            await client.updateGroup({ name: groupName, users: target.users });
        }
        return null;
      }
      case 'permission':
        await client.addPermission({ ...op.item, deny: op.item.deny ?? false });
        return null;
    }
  }
  if (op.op === 'update') {
    switch (op.kind) {
      case 'user': {
        const target = user(op.key);
        if (target === undefined) return 'the user is not in the draft';
        await client.updateUser({
          name: target.name,
          ...(target.displayName !== undefined && { displayName: target.displayName }),
          ...(target.email !== undefined && { email: target.email }),
        });
        for (const groupName of [
          ...(op.changes.groups?.added ?? []),
          ...(op.changes.groups?.removed ?? []),
        ]) {
          const changed = group(groupName);
          if (changed !== undefined)
            await client.updateGroup({ name: groupName, users: changed.users });
        }
        return null;
      }
      case 'group': {
        const target = group(op.key);
        if (target === undefined) return 'the group is not in the draft';
        await client.updateGroup({ name: target.name, users: target.users });
        return op.changes.groups !== undefined
          ? 'nested groups cannot be set through the ProGet API'
          : null;
      }
      case 'task': {
        const target = task(op.key);
        if (target === undefined) return 'the task is not in the draft';
        await client.addTask({
          name: target.name,
          description: target.description,
          attributes: target.attributes,
        });
        return null;
      }
      case 'feed':
        return 'a feed cannot be changed through the ProGet API (only created or deleted)';
    }
  }
  if (op.op === 'remove') {
    switch (op.kind) {
      case 'permission': {
        const found = (await listGrants()).find((g) => permissionKey(g) === op.key);
        if (found === undefined) return 'no such grant on the server';
        await client.deletePermission(found.id);
        return null;
      }
      case 'user':
        await client.deleteUser(op.key);
        return null;
      case 'group':
        await client.deleteGroup(op.key);
        return null;
      case 'task':
        await client.deleteTask(op.key);
        return null;
      case 'feed':
        await client.deleteFeed(op.key);
        return null;
      case 'feedGroup':
        await client.deleteFeedGroup(op.key);
        return null;
    }
  }
  return 'not supported by the ProGet API';
}
