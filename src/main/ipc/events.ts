// Push events from the back end to the renderer: handlers emit, each host forwards to its
// windows (Electron) or event streams (browser host). Payloads are checked on emit, so a
// renderer never receives an event that breaks the contract.
import {
  APP_API_EVENT_PAYLOADS,
  describeIssues,
  type EventName,
  type EventPayload,
} from '../../shared/app-api';

export type AppApiEventListener = (event: EventName, payload: unknown) => void;

export interface AppApiEventHub {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: AppApiEventListener): () => void;
}

export function createEventHub(): AppApiEventHub {
  const listeners = new Set<AppApiEventListener>();
  return {
    emit(event, payload) {
      const checked = APP_API_EVENT_PAYLOADS[event].safeParse(payload);
      if (!checked.success) {
        throw new Error(`${event}: invalid event payload: ${describeIssues(checked.error)}`);
      }
      for (const listener of listeners) listener(event, checked.data);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
