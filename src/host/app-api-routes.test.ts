// The browser host's AppApi over a real socket on 127.0.0.1: the session token, Host and
// Origin checks that keep other local processes and web pages out, the same handlers as
// Electron, and push events over the event stream, driven by the renderer's own client.
// Needs out/renderer, which `npm test` builds first (`npm run build`).
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_API_CHANNELS, AppApiError, type EventPayload } from '../shared/app-api';
import {
  createAppApiClient,
  httpTransport,
  type AppApiClient,
} from '../renderer/src/lib/app-api-client';
import { startHost, type RunningHost } from './server';

const rendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser host AppApi', () => {
  let host: RunningHost | undefined;
  let client: AppApiClient;
  // A missing build fails every test (with this message); it never skips them.
  const missing = existsSync(`${rendererDir}/index.html`)
    ? null
    : `${rendererDir}/index.html is missing: run \`npm run build\` first (npm test does)`;

  beforeAll(async () => {
    if (missing !== null) return;
    host = await startHost({ port: 0, rendererDir });
    client = createAppApiClient(
      httpTransport({ baseUrl: host.url, token: host.token, reconnectMs: 50 }),
      'browser',
    );
  });

  afterAll(async () => {
    await host?.close();
  });

  function running(): RunningHost {
    if (missing !== null) throw new Error(missing);
    if (!host) throw new Error('the host did not start');
    return host;
  }

  /** A POST to a channel with the given headers; the right token and JSON unless overridden. */
  function call(channel: string, headers: Record<string, string> = {}, body = '{"args":{}}') {
    const { url, token } = running();
    return send(new URL(`api/app/${channel}`, url).toString(), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body,
    });
  }

  it('hands the page its token in the URL fragment only', async () => {
    const { url, appUrl, token } = running();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(appUrl).toBe(`${url}#token=${token}`);
    const page = await send(url);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(token);
  });

  it('answers a call with the right token', async () => {
    const res = await call('app:info');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      ok: true,
      value: { name: 'feedgate', version: expect.any(String), host: 'browser' },
    });
  });

  it('refuses a call without the token: 401', async () => {
    const res = await call('app:info', { authorization: '' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(JSON.parse(res.body)).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'the session token is missing' },
    });
  });

  it('refuses a call with a wrong or malformed token: 401', async () => {
    const { token } = running();
    const wrong = [
      `Bearer ${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
      `Bearer ${token}x`,
      `bearer ${token}`,
      `Basic ${Buffer.from(`feedgate:${token}`).toString('base64')}`,
      token,
    ];
    for (const authorization of wrong) {
      const res = await call('app:info', { authorization });
      expect(res.status, authorization).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({
        ok: false,
        error: { code: 'unauthorized', message: 'the session token is wrong' },
      });
      expect(res.body).not.toContain(token);
    }
  });

  it('refuses the token in the query string', async () => {
    const { url, token } = running();
    const res = await send(new URL(`api/app/app:info?token=${token}`, url).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"args":{}}',
    });
    expect(res.status).toBe(401);
  });

  it('refuses a foreign Origin even with the token: 403', async () => {
    const port = new URL(running().url).port;
    for (const origin of [
      'https://evil.example',
      'null',
      `http://127.0.0.1:${Number(port) + 1}`,
      `https://127.0.0.1:${port}`,
    ]) {
      const res = await call('app:info', { origin });
      expect(res.status, origin).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('accepts its own origin, by address or as localhost', async () => {
    const port = new URL(running().url).port;
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      expect((await call('app:info', { origin })).status, origin).toBe(200);
    }
  });

  it('refuses a foreign Host even with the token: 403 (DNS rebinding)', async () => {
    const port = new URL(running().url).port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.2:${port}`]) {
      const res = await call('app:info', { host });
      expect(res.status, host).toBe(403);
      expect(res.body).not.toContain('"ok":true');
    }
  });

  it('never answers a CORS preflight with permission', async () => {
    const { url } = running();
    const res = await send(new URL('api/app/app:info', url).toString(), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('refuses bodies a form could send, and malformed bodies, with 4xx and no stack', async () => {
    const form = await call(
      'app:info',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'args=1',
    );
    expect(form.status).toBe(415);
    const notJson = await call('app:info', {}, '{"args":');
    expect(notJson.status).toBe(400);
    const noArgs = await call('app:info', {}, '[1]');
    expect(noArgs.status).toBe(400);
    expect(JSON.parse(noArgs.body)).toMatchObject({ ok: false, error: { code: 'bad-arguments' } });
    for (const res of [form, notJson, noArgs]) expect(res.body).not.toMatch(/\s+at /);
  });

  it('answers bad arguments with 400 naming the field, an unknown channel with 404', async () => {
    const bad = await call('policy:lint', {}, '{"args":{"policyText":3}}');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toMatch(
      /^policy:lint: invalid arguments: policyText: /,
    );
    const unknown = await call('policy:drop');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
  });

  it.each(APP_API_CHANNELS)(
    '%s refuses malformed arguments over HTTP too: 400',
    async (channel) => {
      const res = await call(channel, {}, '{"args":{"unexpected":1}}');
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({
        ok: false,
        error: {
          code: 'bad-arguments',
          message: expect.stringMatching(
            new RegExp(`^${channel}: invalid arguments: .*unexpected: unknown field`),
          ),
        },
      });
    },
  );

  it('serves the same handlers to the renderer client', async () => {
    running();
    const policyText =
      '{"users":[{"name":"ann"}],"permissions":[{"user":"ann","task":"Administer"}]}';
    const checked = await client.invoke('policy:check', {
      policyText,
      query: { user: 'ann', attribute: 'Admin_ConfigureProGet' },
    });
    expect(checked).toMatchObject({ valid: true, decision: { allowed: true } });
    await expect(
      client.invoke('policy:check', { policyText, query: { user: '', attribute: 'x' } }),
    ).rejects.toThrow(
      new AppApiError(
        'bad-arguments',
        'policy:check: invalid arguments: query.user: must not be empty',
      ),
    );
  });

  it('tells the client plainly when its token is wrong', async () => {
    const { url } = running();
    const stranger = createAppApiClient(httpTransport({ baseUrl: url, token: null }), 'browser');
    await expect(stranger.invoke('app:info', {})).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'the session token is missing',
    });
  });

  it('refuses the event stream without the token', async () => {
    const { url } = running();
    const res = await send(new URL('api/events', url).toString());
    expect(res.status).toBe(401);
  });

  it('pushes events to the client over the event stream', async () => {
    const { events } = running();
    const received: EventPayload<'instance:status'>[] = [];
    const arrived = new Promise<void>((resolve) => {
      const stop = client.on('instance:status', (payload) => {
        received.push(payload);
        stop();
        resolve();
      });
    });
    // The stream opens asynchronously: emit until the first event gets through.
    const payload = { connectionId: 'embedded', state: 'running' } as const;
    const timer = setInterval(() => events.emit('instance:status', payload), 20);
    await arrived.finally(() => clearInterval(timer));
    expect(received[0]).toEqual(payload);
  });

  it('closes with an event stream open', async () => {
    running();
    const other = await startHost({ port: 0, rendererDir });
    const opened = new Promise<void>((resolve, reject) => {
      const req = request(
        new URL('api/events', other.url),
        { headers: { authorization: `Bearer ${other.token}` } },
        (res) => {
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          res.once('data', () => resolve());
          res.on('error', () => undefined);
        },
      );
      req.on('error', reject);
      req.end();
    });
    await opened;
    await other.close();
    await expect(send(other.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
