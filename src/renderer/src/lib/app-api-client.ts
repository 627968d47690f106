// The renderer's AppApi client: the same typed calls whether the page runs in Electron (the
// preload's window.feedgate) or in the browser host (HTTP with the session token). It checks
// every response and event against the contract before the UI sees it.
import {
  APP_API,
  APP_API_EVENT_PAYLOADS,
  AppApiError,
  appApiResponseSchema,
  describeIssues,
  type AppApiBridge,
  type ChannelArgs,
  type ChannelName,
  type ChannelResult,
  type EventName,
  type EventPayload,
} from '../../../shared/app-api';

/** How calls travel: answers the raw response envelope, delivers raw event payloads. */
export interface AppApiTransport {
  invoke(channel: ChannelName, args: unknown): Promise<unknown>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

export interface AppApiClient {
  readonly host: 'electron' | 'browser';
  /** The channel's result; throws AppApiError when the call fails or breaks the contract. */
  invoke<C extends ChannelName>(channel: C, args: ChannelArgs<C>): Promise<ChannelResult<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createAppApiClient(
  transport: AppApiTransport,
  host: AppApiClient['host'],
): AppApiClient {
  return {
    host,
    async invoke(channel, args) {
      const raw = await transport.invoke(channel, args);
      const response = appApiResponseSchema.safeParse(raw);
      if (!response.success) {
        throw new AppApiError('bad-result', `${channel}: the back end's answer is malformed`);
      }
      if (!response.data.ok) {
        throw new AppApiError(response.data.error.code, response.data.error.message);
      }
      const result = APP_API[channel].result.safeParse(response.data.value);
      if (!result.success) {
        throw new AppApiError(
          'bad-result',
          `${channel}: the result breaks the contract: ${describeIssues(result.error)}`,
        );
      }
      return result.data as ChannelResult<typeof channel>;
    },
    on(event, listener) {
      return transport.on(event, (payload) => {
        const checked = APP_API_EVENT_PAYLOADS[event].safeParse(payload);
        // A malformed event is dropped: the UI only ever sees what the contract promises.
        if (checked.success) listener(checked.data as EventPayload<typeof event>);
      });
    },
  };
}

/** Electron: the preload's bridge already speaks in response envelopes. */
export function electronTransport(bridge: AppApiBridge): AppApiTransport {
  return { invoke: (channel, args) => bridge.invoke(channel, args), on: bridge.on };
}

export interface HttpTransportOptions {
  /** The host's root, e.g. `http://127.0.0.1:PORT/`. */
  baseUrl: string | URL;
  /** The session token; null when the page was opened without one (every call then fails). */
  token: string | null;
  fetch?: typeof globalThis.fetch;
  /** Wait before reopening a dropped event stream. */
  reconnectMs?: number;
}

type Listener = (payload: unknown) => void;

/** Splits a server-sent event stream into events; `feed` takes chunks as they come. */
export function sseParser(dispatch: (event: string, data: string) => void) {
  let buffer = '';
  return (chunk: string): void => {
    buffer += chunk.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) dispatch(event, data.join('\n'));
    }
  };
}

/** The browser host: POST /api/app/CHANNEL and one shared event stream, both with the token. */
export function httpTransport(options: HttpTransportOptions): AppApiTransport {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = new URL(options.baseUrl);
  const authorization: Record<string, string> =
    options.token === null ? {} : { authorization: `Bearer ${options.token}` };
  const listeners = new Map<string, Set<Listener>>();
  let stream: AbortController | null = null;

  const dispatch = sseParser((event, data) => {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const listener of listeners.get(event) ?? []) listener(payload);
  });

  async function readEvents(controller: AbortController): Promise<void> {
    try {
      const response = await fetchImpl(new URL('api/events', base), {
        headers: authorization,
        signal: controller.signal,
      });
      if (!response.ok || !response.body) return;
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        dispatch(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Dropped or aborted: reopened below while anyone listens.
    }
    if (stream === controller && !controller.signal.aborted) {
      setTimeout(() => {
        if (stream === controller) readEvents(controller);
      }, options.reconnectMs ?? 2000);
    }
  }

  return {
    async invoke(channel, args) {
      let response: Response;
      try {
        response = await fetchImpl(new URL(`api/app/${encodeURIComponent(channel)}`, base), {
          method: 'POST',
          headers: { ...authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ args }),
        });
      } catch {
        throw new AppApiError('internal', `${channel}: the feedgate host is unreachable`);
      }
      try {
        return await response.json();
      } catch {
        throw new AppApiError('internal', `${channel}: HTTP ${response.status} without an answer`);
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      if (!stream) {
        stream = new AbortController();
        void readEvents(stream);
      }
      return () => {
        set.delete(listener);
        if ([...listeners.values()].every((s) => s.size === 0) && stream) {
          stream.abort();
          stream = null;
        }
      };
    },
  };
}

const TOKEN_KEY = 'feedgate.sessionToken';

/**
 * The browser host's session token: taken from the URL fragment on first load (then removed
 * from the address bar and kept in sessionStorage for reloads of this tab), or null.
 */
export function takeSessionToken(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  history: Pick<History, 'replaceState'>,
): string | null {
  const fromUrl = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

/** The client for this page: Electron's bridge when present, else the browser host over HTTP. */
export function connectAppApi(page: Window): AppApiClient {
  if (page.feedgate) return createAppApiClient(electronTransport(page.feedgate), 'electron');
  const token = takeSessionToken(page.location, page.sessionStorage, page.history);
  return createAppApiClient(
    httpTransport({ baseUrl: new URL('/', page.location.href), token }),
    'browser',
  );
}
