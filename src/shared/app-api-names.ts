// The names of the AppApi's channels and push events, free of any dependency: the sandboxed
// preload can only bundle plain code, and it needs these names to refuse anything else.
// src/shared/app-api.ts gives each name its schemas (a test keeps both lists equal).

/** Request/response channels, `domain:verb`. */
export const APP_API_CHANNELS = [
  'app:info',
  'policy:check',
  'policy:explain',
  'policy:lint',
  'policy:diff',
  'connections:list',
  'connections:add-remote',
  'connections:add-embedded',
  'connections:first-launch',
  'launch:default-status',
  'connections:remove',
  'connections:test',
  'instance:start',
  'instance:stop',
  'instance:status',
  'instance:log',
  'sync:pull',
  'sync:diff',
  'sync:merge',
  'sync:resolve',
  'sync:push',
  'draft:get',
  'draft:edit',
  'draft:undo',
  'draft:redo',
  'policy:export',
  'policy:import',
  'recovery:reset',
  'principals:search',
  'access:who-can',
  'access:what-can',
  'access:matrix',
  'access:matrix-why',
  'recovery:plan',
  'directories:list',
  'directories:save',
  'directories:test',
  'directories:switch',
  'directories:remove',
  'apikeys:list',
  'apikeys:create',
  'apikeys:revoke',
  'audit:list',
] as const;

/** Push events from the back end to the renderer. */
export const APP_API_EVENTS = ['sync:progress', 'instance:status'] as const;

export type ChannelName = (typeof APP_API_CHANNELS)[number];
export type EventName = (typeof APP_API_EVENTS)[number];

const channelNames: ReadonlySet<string> = new Set(APP_API_CHANNELS);
const eventNames: ReadonlySet<string> = new Set(APP_API_EVENTS);

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && channelNames.has(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && eventNames.has(value);
}

/** Electron: the one IPC channel on which main sends push events (`[event, payload]`). */
export const IPC_EVENT_CHANNEL = 'feedgate:event';

/** Electron: the IPC channel name of an AppApi channel (a prefix keeps them apart from Electron's own). */
export function ipcChannelOf(channel: ChannelName): string {
  return `feedgate:${channel}`;
}
