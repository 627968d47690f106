// The browser host over a real socket: serves the built renderer with strict headers,
// refuses foreign Host headers (DNS rebinding) and answers /healthz.
// Needs out/renderer, which `npm test` builds first (`npm run build`).
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../src/host/server';

const rendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser host', () => {
  let host: RunningHost | undefined;
  // A missing build fails every test (with this message); it never skips them.
  const missing = existsSync(`${rendererDir}/index.html`)
    ? null
    : `${rendererDir}/index.html is missing: run \`npm run build\` first (npm test does)`;

  beforeAll(async () => {
    if (missing === null) host = await startHost({ port: 0, rendererDir });
  });

  afterAll(async () => {
    await host?.close();
  });

  function url(path: string): string {
    if (missing !== null) throw new Error(missing);
    if (!host) throw new Error('the host did not start');
    return new URL(path, host.url).toString();
  }

  it('listens on 127.0.0.1 only', () => {
    expect(url('/')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the renderer with security headers', async () => {
    const res = await get(url('/'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).toContain('<div id="app"></div>');
    expect(res.body).toMatch(/<script type="module"[^>]* src="\.\/assets\/[^"]+\.js"/);
  });

  it('accepts localhost as the Host', async () => {
    const port = new URL(url('/')).port;
    const res = await get(url('/'), { Host: `localhost:${port}` });
    expect(res.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await get(url('/'), { Host: 'evil.example' });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('id="app"');
    const other = await get(url('/healthz'), { Host: `evil.example:${new URL(url('/')).port}` });
    expect(other.status).toBe(403);
  });

  it('answers /healthz', async () => {
    const res = await get(url('/healthz'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok', name: 'feedgate' });
  });

  it('answers 404 for a missing file', async () => {
    const res = await get(url('/no-such-file.js'));
    expect(res.status).toBe(404);
  });
});
