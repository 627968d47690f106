// The browser host: serves the built renderer and the AppApi on 127.0.0.1 for machines
// without an Electron binary and for end-to-end tests in a real Chromium. Loopback only,
// strict headers, a Host check against DNS rebinding, an Origin check against other web
// pages, and a random session token (handed to the page in the URL fragment) that every
// API request must present, against other local processes. See docs/security.md.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { createEventHub, type AppApiEventHub } from '../main/ipc/events';
import { APP_API_HANDLERS } from '../main/ipc/handlers';
import { createRegistry, type AppApiHandlers } from '../main/ipc/registry';
import { POLICY_TEXT_MAX } from '../shared/app-api';
import { APP_NAME, APP_VERSION } from '../shared/app-info';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import type { Workspace } from '../workspace/workspace';
import { apiFailure, registerAppApiRoutes } from './app-api-routes';

export interface HostOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The AppApi handlers; the engine's table unless a test supplies its own. */
  handlers?: AppApiHandlers;
  /** The workspace the workspace channels act on (none: they answer that none is open). */
  workspace?: Workspace;
}

export interface RunningHost {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** The page with the session token in its fragment: what to open (never sent to the server). */
  appUrl: string;
  /** The session token every API request must present (`Authorization: Bearer TOKEN`). */
  token: string;
  /** Push events: what handlers emit reaches every open event stream. */
  events: AppApiEventHub;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

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

  // Room for the AppApi's largest arguments: two policy texts, up to 3 UTF-8 bytes a character.
  const app = Fastify({ logger: false, bodyLimit: 2 * 3 * POLICY_TEXT_MAX + 64 * 1024 });
  // Filled in once the port is known; until then every request is refused.
  let allowedHosts: ReadonlySet<string> = new Set();
  let allowedOrigins: ReadonlySet<string> = new Set();
  const token = randomBytes(32).toString('base64url');
  const events = createEventHub();
  const registry = createRegistry(options.handlers ?? APP_API_HANDLERS, {
    context: {
      host: 'browser',
      events,
      ...(options.workspace !== undefined && { workspace: options.workspace }),
    },
    validateResults: process.env.NODE_ENV !== 'production',
  });

  app.addHook('onRequest', async (request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    const host = (request.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(host)) {
      // DNS rebinding: a page on another origin whose name resolves to 127.0.0.1.
      return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden: unexpected Host\n');
    }
    // Browsers name the page behind every cross-origin request (and every POST): only ours.
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) {
      return reply
        .code(403)
        .send(apiFailure('forbidden', 'requests from other origins are refused'));
    }
    return undefined;
  });

  // Errors as the AppApi's envelope: a status and a plain message, never a stack.
  app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    const message = status < 500 ? (error.message ?? 'bad request') : 'internal error';
    return reply
      .code(status)
      .send(apiFailure(status < 500 ? 'bad-arguments' : 'internal', message));
  });

  registerAppApiRoutes(app, { registry, events, token });

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
  allowedOrigins = new Set([...allowedHosts].map((host) => `http://${host}`));

  const url = `http://${LOOPBACK}:${actualPort}/`;
  return {
    url,
    appUrl: `${url}#token=${token}`,
    token,
    events,
    close: async () => {
      await app.close();
    },
  };
}
