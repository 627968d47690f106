// The renderer's client without a page: the session token's hand-over, the event stream
// parser, and the checks on what comes back (over the Electron transport shape).
import { describe, expect, it } from 'vitest';
import type { AppApiBridge, AppApiResponse } from '../../../shared/app-api';
import {
  createAppApiClient,
  electronTransport,
  sseParser,
  takeSessionToken,
} from './app-api-client';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('session token hand-over', () => {
  it('takes the token from the fragment, keeps it for the tab and clears the address bar', () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    const history = {
      replaceState: (_data: unknown, _unused: string, url?: string | URL | null) =>
        void replaced.push(String(url)),
    };
    const token = takeSessionToken(
      { hash: '#token=abc_DEF-123', pathname: '/', search: '' },
      storage,
      history,
    );
    expect(token).toBe('abc_DEF-123');
    expect(replaced).toEqual(['/']);
    // A reload has no fragment any more: the tab's storage still has it.
    expect(takeSessionToken({ hash: '', pathname: '/', search: '' }, storage, history)).toBe(
      'abc_DEF-123',
    );
    expect(replaced).toHaveLength(1);
  });

  it('answers null when the page was opened without a token', () => {
    const history = { replaceState: () => undefined };
    expect(
      takeSessionToken({ hash: '#other=1', pathname: '/', search: '' }, memoryStorage(), history),
    ).toBeNull();
  });
});

describe('event stream parser', () => {
  it('splits events across chunks and skips comments', () => {
    const seen: [string, string][] = [];
    const feed = sseParser((event, data) => seen.push([event, data]));
    feed(': connected\n\nevent: sync:progress\nda');
    feed('ta: {"done":1}\n\nevent: instance:status\r\ndata: {"a":1}\r\n\r\n');
    expect(seen).toEqual([
      ['sync:progress', '{"done":1}'],
      ['instance:status', '{"a":1}'],
    ]);
  });
});

describe('client checks', () => {
  function clientAnswering(response: unknown) {
    const bridge: AppApiBridge = {
      invoke: async () => response as AppApiResponse,
      on: () => () => undefined,
    };
    return createAppApiClient(electronTransport(bridge), 'electron');
  }

  it('returns a result that keeps the contract', async () => {
    const client = clientAnswering({
      ok: true,
      value: { name: 'feedgate', version: '1.0.0', host: 'electron' },
    });
    await expect(client.invoke('app:info', {})).resolves.toEqual({
      name: 'feedgate',
      version: '1.0.0',
      host: 'electron',
    });
  });

  it('throws the back end error with its code', async () => {
    const client = clientAnswering({
      ok: false,
      error: { code: 'bad-arguments', message: 'policy:lint: invalid arguments: policyText: x' },
    });
    await expect(client.invoke('policy:lint', { policyText: '' })).rejects.toMatchObject({
      name: 'AppApiError',
      code: 'bad-arguments',
      message: 'policy:lint: invalid arguments: policyText: x',
    });
  });

  it('refuses an answer that breaks the contract', async () => {
    await expect(
      clientAnswering({ ok: true, value: { name: 'feedgate' } }).invoke('app:info', {}),
    ).rejects.toMatchObject({ code: 'bad-result' });
    await expect(clientAnswering('<html>').invoke('app:info', {})).rejects.toMatchObject({
      code: 'bad-result',
    });
  });

  it('drops events whose payload breaks the contract', () => {
    let deliver: (payload: unknown) => void = () => undefined;
    const bridge: AppApiBridge = {
      invoke: async () => ({ ok: true, value: null }),
      on: (_event, listener) => {
        deliver = listener;
        return () => undefined;
      },
    };
    const seen: unknown[] = [];
    createAppApiClient(electronTransport(bridge), 'electron').on('instance:status', (p) =>
      seen.push(p),
    );
    deliver({ connectionId: 'a', state: 'bogus' });
    deliver({ connectionId: 'a', state: 'running' });
    expect(seen).toEqual([{ connectionId: 'a', state: 'running' }]);
  });
});
