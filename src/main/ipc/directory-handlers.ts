// The AppApi handlers of a connection's directories and of the recovery plan
// (src/shared/app-api-directory.ts), over src/workspace/directories.ts and recovery.ts. Each
// result is built field by field, so a bind password could not ride along even if the
// instance sent one.
import type { ChannelName } from '../../shared/app-api';
import {
  listDirectories,
  removeDirectory,
  saveDirectory,
  switchDirectory,
  testDirectory,
  type DirectorySummary,
} from '../../workspace/directories';
import { recoveryPlan } from '../../workspace/recovery';
import type { AppApiHandlers } from './registry';
import { refusing, workspaceOf } from './workspace-handlers';

type DirectoryChannel = Extract<ChannelName, `directories:${string}` | 'recovery:plan'>;

const directoryResult = (d: DirectorySummary) => ({
  name: d.name,
  type: d.type,
  active: d.active,
  configured: d.configured,
  hasBindPassword: d.hasBindPassword,
  ...(d.settings !== undefined && { settings: { ...d.settings } }),
});

export const DIRECTORY_HANDLERS: Pick<AppApiHandlers, DirectoryChannel> = refusing({
  'directories:list': async ({ id }, context) => ({
    directories: (await listDirectories(workspaceOf(context).connections, id)).map(directoryResult),
  }),

  'directories:save': async ({ id, name, settings, bindPassword }, context) => {
    const saved = await saveDirectory(workspaceOf(context).connections, id, {
      name,
      settings,
      ...(bindPassword !== undefined && { bindPassword }),
    });
    return { directory: directoryResult(saved) };
  },

  'directories:test': ({ id, name, signInAs }, context) =>
    testDirectory(workspaceOf(context).connections, id, name, signInAs),

  'directories:switch': ({ id, name, allowLockout }, context) =>
    switchDirectory(workspaceOf(context).connections, id, name, {
      allowLockout: allowLockout === true,
    }),

  'directories:remove': async ({ id, name }, context) => {
    await removeDirectory(workspaceOf(context).connections, id, name);
    return { name };
  },

  'recovery:plan': ({ id }, context) => {
    const connections = workspaceOf(context).connections;
    return { connectionName: connections.get(id).name, ...recoveryPlan(connections, id) };
  },
});
