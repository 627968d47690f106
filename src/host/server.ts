// The browser host: serves the built renderer on 127.0.0.1 for machines without an Electron
// binary and for end-to-end tests in a real Chromium. Loopback only, strict headers, and a
// Host-header check against DNS rebinding. The AppApi (with a random per-session token that
// the page must present) arrives later; until then the host serves static files only.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { APP_NAME, APP_VERSION } from '../shared/app-info';

export interface HostOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
}

export interface RunningHost {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/** Same policy as the renderer's meta tag, plus what only a header can say (frame-ancestors). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=()',
  'cache-control': 'no-cache',
};

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const rendererDir = resolve(options.rendererDir);
  const indexFile = join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) {
    throw new Error(`the renderer is not built (${indexFile} is missing): run \`npm run build\``);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port ${String(port)}: expected an integer from 0 to 65535`);
  }

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  // Filled in once the port is known; until then every request is refused.
  let allowedHosts: ReadonlySet<string> = new Set();

  app.addHook('onRequest', async (request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    const host = (request.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(host)) {
      // DNS rebinding: a page on another origin whose name resolves to 127.0.0.1.
      return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden: unexpected Host\n');
    }
    return undefined;
  });

  app.get('/healthz', async () => ({ status: 'ok', name: APP_NAME, version: APP_VERSION }));

  await app.register(fastifyStatic, {
    root: rendererDir,
    index: ['index.html'],
    dotfiles: 'deny',
    cacheControl: false,
    redirect: false,
  });

  try {
    await app.listen({ host: LOOPBACK, port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const actualPort = (app.server.address() as AddressInfo).port;
  allowedHosts = new Set([`${LOOPBACK}:${actualPort}`, `localhost:${actualPort}`]);

  return {
    url: `http://${LOOPBACK}:${actualPort}/`,
    close: async () => {
      await app.close();
    },
  };
}
