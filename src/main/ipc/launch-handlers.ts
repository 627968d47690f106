// The AppApi handler of the embedded default made at launch (src/shared/app-api-launch.ts).
// The generated Admin password leaves the back end here, once: taking it deletes it.
import type { ChannelName } from '../../shared/app-api';
import type { AppApiHandlers } from './registry';
import { workspaceOf } from './workspace-handlers';

type LaunchChannel = Extract<ChannelName, `launch:${string}`>;

export const LAUNCH_HANDLERS: Pick<AppApiHandlers, LaunchChannel> = {
  'launch:default-status': (_args, context) => {
    const embeddedDefault = workspaceOf(context).embeddedDefault;
    const status = embeddedDefault.status();
    const adminPassword =
      status.state === 'created' ? embeddedDefault.takeAdminPassword() : undefined;
    return { ...status, ...(adminPassword !== undefined && { adminPassword }) };
  },
};
