// The AppApi handlers of the workspace channels (src/shared/app-api-workspace.ts). Each one
// builds its result field by field from the workspace's answer, so nothing the contract does
// not name (a key above all) can ride along. Progress and instance status reach the
// renderer as push events through the host's event hub.
import { ChangeSetError, PolicyError, type Conflict, type LintFinding } from '../../core/index';
import { AppApiError, type ChannelName } from '../../shared/app-api';
import { InstanceProcessError, type InstanceStatus } from '../../workspace/embedded-instance';
import { KeychainUnavailableError } from '../../workspace/keychain';
import { MirrorError, type DraftRecord } from '../../workspace/mirror';
import { recoverLockout } from '../../workspace/recovery';
import { RemoteError } from '../../workspace/remote-client';
import { SourcesError } from '../../workspace/sources';
import type { MergeOutcome } from '../../workspace/sync';
import type { Workspace } from '../../workspace/workspace';
import type { AppApiEventHub } from './events';
import type { AppApiHandlers, HandlerContext } from './registry';

type WorkspaceChannel = Extract<
  ChannelName,
  | `${'connections' | 'instance' | 'sync' | 'draft'}:${string}`
  | 'policy:export'
  | 'policy:import'
  | 'recovery:reset'
>;

/** Hubs already fed by a workspace's events (once per hub, whichever call came first). */
const subscribed = new WeakMap<AppApiEventHub, Workspace>();

export function workspaceOf(context: HandlerContext): Workspace {
  const workspace = context.workspace;
  if (workspace === undefined)
    throw new AppApiError('refused', 'no workspace is open in this host');
  if (subscribed.get(context.events) !== workspace) {
    subscribed.set(context.events, workspace);
    workspace.subscribe({
      progress: (progress) => context.events.emit('sync:progress', progress),
      status: (connectionId, status) =>
        context.events.emit('instance:status', {
          connectionId,
          state: status.state,
          ...(status.message !== undefined && { message: status.message }),
        }),
    });
  }
  return workspace;
}

const draftResult = (draft: DraftRecord) => ({
  baseRevision: draft.baseRevision,
  cursor: draft.cursor,
  operations: draft.operations,
  updatedAt: draft.updatedAt,
  policyText: JSON.stringify(draft.policy),
});

const statusResult = (status: InstanceStatus) => ({
  state: status.state,
  ...(status.url !== undefined && { url: status.url }),
  ...(status.pid !== undefined && { pid: status.pid }),
  ...(status.message !== undefined && { message: status.message }),
});

const findingResult = (finding: LintFinding) => ({
  id: finding.id,
  severity: finding.severity,
  message: finding.message,
  items: finding.items.map((item) => ({ ...item })),
});

const conflictResult = (conflict: Conflict) => ({
  id: conflict.id,
  kind: conflict.kind,
  key: conflict.key,
  reason: conflict.reason,
  base: conflict.base,
  ours: conflict.ours,
  theirs: conflict.theirs,
});

const mergeResult = (outcome: MergeOutcome) => ({
  merged: outcome.merged,
  baseRevision: outcome.baseRevision,
  conflicts: outcome.conflicts.map(conflictResult),
});

function connectionResult(workspace: Workspace, id: string) {
  const c = workspace.connections.get(id);
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    url: c.url,
    ...(c.dataDir !== undefined && { dataDir: c.dataDir }),
    ...(c.port !== undefined && { port: c.port }),
    autostart: c.autostart,
    isDefault: c.isDefault,
    createdAt: c.createdAt,
    keyStorage: c.keyStorage,
  };
}

/** The workspace's errors that mean "cannot be done now", not "the back end broke". */
const REFUSALS = [
  MirrorError,
  ChangeSetError,
  PolicyError,
  KeychainUnavailableError,
  SourcesError,
  InstanceProcessError,
  RemoteError,
];

/** Each handler, with the workspace's refusals answered as `refused` (409 over HTTP). */
export function refusing<H extends Record<string, (...args: never[]) => unknown>>(handlers: H): H {
  const wrapped: Record<string, unknown> = {};
  for (const [channel, handler] of Object.entries(handlers)) {
    wrapped[channel] = async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        if (REFUSALS.some((kind) => error instanceof kind))
          throw new AppApiError('refused', (error as Error).message);
        throw error;
      }
    };
  }
  return wrapped as H;
}

export const WORKSPACE_HANDLERS: Pick<AppApiHandlers, WorkspaceChannel> = refusing({
  'connections:list': (_args, context) => {
    const workspace = workspaceOf(context);
    return {
      connections: workspace.connections.list().map((c) => connectionResult(workspace, c.id)),
    };
  },

  'connections:add-remote': async (args, context) => {
    const workspace = workspaceOf(context);
    const added = await workspace.connections.addRemote(args);
    return { connection: connectionResult(workspace, added.id) };
  },

  'connections:add-embedded': async ({ apiKey, port, ...rest }, context) => {
    const workspace = workspaceOf(context);
    const added = await workspace.connections.addEmbedded({
      ...rest,
      ...(apiKey !== undefined && { apiKey }),
      ...(port !== undefined && { port }),
    });
    return {
      connection: connectionResult(workspace, added.connection.id),
      ...(added.adminPassword !== undefined && { adminPassword: added.adminPassword }),
    };
  },

  'connections:first-launch': async ({ keyStorage }, context) => {
    const workspace = workspaceOf(context);
    // Through the embedded default, so that its status (launch:default-status) follows.
    const made = await workspace.embeddedDefault.create(keyStorage);
    if (!made.created) return { created: false };
    const adminPassword = workspace.embeddedDefault.takeAdminPassword();
    return {
      created: true,
      connection: connectionResult(workspace, made.connectionId),
      ...(adminPassword !== undefined && { adminPassword }),
    };
  },

  'connections:remove': async ({ id }, context) => {
    const workspace = workspaceOf(context);
    const connection = connectionResult(workspace, id);
    await workspace.connections.remove(id);
    return { connection };
  },

  'connections:test': async ({ id }, context) => {
    const result = await workspaceOf(context).connections.test(id);
    return result.ok
      ? { ok: true, revision: result.revision }
      : { ok: false, kind: result.kind, message: result.message };
  },

  'instance:start': async ({ id }, context) => {
    const instance = workspaceOf(context).connections.instance(id);
    await instance.start();
    return statusResult(instance.status());
  },

  'instance:stop': async ({ id }, context) => {
    const instance = workspaceOf(context).connections.instance(id);
    await instance.stop();
    return statusResult(instance.status());
  },

  'instance:status': ({ id }, context) =>
    statusResult(workspaceOf(context).connections.instance(id).status()),

  'instance:log': ({ id }, context) => ({
    lines: workspaceOf(context).connections.instance(id).log(),
  }),

  'sync:pull': async ({ id }, context) => {
    const pulled = await workspaceOf(context).sync.pull(id);
    return {
      revision: pulled.revision,
      pulledAt: pulled.pulledAt,
      baseRevision: pulled.baseRevision,
      serverMoved: pulled.serverMoved,
    };
  },

  'sync:diff': ({ id }, context) => {
    const diff = workspaceOf(context).sync.diff(id);
    return {
      baseRevision: diff.baseRevision,
      serverRevision: diff.serverRevision,
      serverMoved: diff.serverMoved,
      summary: diff.summary,
      entries: diff.entries,
      access: {
        totals: diff.access.totals,
        groups: diff.access.groups.map((group) => ({ ...group })),
      },
      lint: diff.lint.map(findingResult),
      changeSet: diff.changeSet,
    };
  },

  'sync:merge': ({ id }, context) => mergeResult(workspaceOf(context).sync.merge(id)),

  'sync:resolve': ({ id, choices }, context) =>
    mergeResult(workspaceOf(context).sync.resolve(id, choices)),

  'sync:push': async ({ id, allowLockout }, context) => {
    const result = await workspaceOf(context).sync.push(id, {
      allowLockout: allowLockout === true,
    });
    switch (result.status) {
      case 'lockout-refused':
        return { status: result.status, findings: result.findings.map(findingResult) };
      case 'server-moved':
        return { status: result.status, merge: mergeResult(result.merge) };
      case 'failed':
        return { status: result.status, kind: result.kind, message: result.message };
      default:
        return result;
    }
  },

  'draft:get': ({ id }, context) => draftResult(workspaceOf(context).sync.draft(id)),

  'draft:edit': ({ id, label, changeSet }, context) =>
    draftResult(workspaceOf(context).mirror.edit(id, changeSet, label)),

  'draft:undo': ({ id }, context) => draftResult(workspaceOf(context).mirror.undo(id)),

  'draft:redo': ({ id }, context) => draftResult(workspaceOf(context).mirror.redo(id)),

  'policy:export': ({ id, which, format }, context) => ({
    text: workspaceOf(context).sync.exportPolicy(id, which, format),
  }),

  'policy:import': ({ id, policyText }, context) =>
    draftResult(workspaceOf(context).sync.importPolicy(id, policyText)),

  'recovery:reset': async ({ id }, context) => {
    const result = await recoverLockout(workspaceOf(context).connections, id);
    return result.kind === 'embedded'
      ? { kind: result.kind, adminPassword: result.adminPassword, url: result.url }
      : {
          kind: result.kind,
          host: result.host,
          command: result.command,
          explanation: result.explanation,
        };
  },
});
