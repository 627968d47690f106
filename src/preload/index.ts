// Preload (sandboxed, CommonJS): the renderer's only window onto the back end. It exposes
// the AppApi and nothing else: invoke() for the declared channels, on() for the declared
// push events. No ipcRenderer, no Node, no other Electron object ever reaches the page.
// It imports the dependency-free name list only: a sandboxed preload cannot load packages.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  ipcChannelOf,
  isChannelName,
  isEventName,
  type EventName,
} from '../shared/app-api-names';
import type { AppApiBridge, AppApiResponse } from '../shared/app-api';

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const feedgate: AppApiBridge = Object.freeze({
  invoke(channel: unknown, args: unknown): Promise<AppApiResponse> {
    if (!isChannelName(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown-channel', message: `unknown channel ${String(channel)}` },
      } as const);
    }
    return ipcRenderer.invoke(ipcChannelOf(channel), args) as Promise<AppApiResponse>;
  },
  on(event: unknown, listener: unknown): () => void {
    if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new Error('the listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const callback = listener as Listener;
    set.add(callback);
    return () => {
      set.delete(callback);
    };
  },
});

contextBridge.exposeInMainWorld('feedgate', feedgate);
