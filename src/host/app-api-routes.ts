// The AppApi over HTTP for the browser host: POST /api/app/:channel runs a channel through the
// shared registry, GET /api/events streams push events (server-sent events). Every request
// must carry the session token (`Authorization: Bearer TOKEN`); the host's own hooks have
// already checked Host and Origin. A custom header also means a foreign page cannot even
// send the request without a CORS preflight, which this host never answers.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppApiErrorCode, AppApiResponse } from '../shared/app-api';
import type { AppApiEventHub } from '../main/ipc/events';
import type { AppApiRegistry } from '../main/ipc/registry';

export const API_PREFIX = '/api/';

const STATUS_OF: Record<AppApiErrorCode, number> = {
  'bad-arguments': 400,
  'unknown-channel': 404,
  refused: 409,
  'bad-result': 500,
  internal: 500,
  unauthorized: 401,
  forbidden: 403,
};

/** Comments keep idle event streams open through proxies and let the client notice a drop. */
const KEEPALIVE_MS = 25_000;

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Constant-time comparison of the presented token with the session's. */
export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(token));
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([A-Za-z0-9_-]+)$/.exec(header);
  return match?.[1];
}

export function apiFailure(code: AppApiErrorCode, message: string): AppApiResponse {
  return { ok: false, error: { code, message } };
}

export interface AppApiRouteOptions {
  registry: AppApiRegistry;
  events: AppApiEventHub;
  token: string;
}

export function registerAppApiRoutes(app: FastifyInstance, options: AppApiRouteOptions): void {
  const { registry, events, token } = options;
  const streams = new Set<FastifyReply>();

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(API_PREFIX)) return undefined;
    if (!request.headers.authorization) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send(apiFailure('unauthorized', 'the session token is missing'));
    }
    if (!tokenMatches(bearerOf(request), token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer error="invalid_token"')
        .send(apiFailure('unauthorized', 'the session token is wrong'));
    }
    return undefined;
  });

  app.post<{ Params: { channel: string }; Body: unknown }>(
    `${API_PREFIX}app/:channel`,
    async (request, reply) => {
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body) || !('args' in body)) {
        return reply
          .code(400)
          .send(apiFailure('bad-arguments', 'the request body must be a JSON object {"args": …}'));
      }
      const response = await registry.invoke(request.params.channel, body.args);
      return reply.code(response.ok ? 200 : STATUS_OF[response.error.code]).send(response);
    },
  );

  app.get(`${API_PREFIX}events`, (request, reply) => {
    reply.hijack();
    const headers = {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    };
    reply.raw.writeHead(200, headers);
    reply.raw.write(': connected\n\n');
    const unsubscribe = events.subscribe((event, payload) => {
      reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const keepalive = setInterval(() => reply.raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    streams.add(reply);
    request.raw.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
      streams.delete(reply);
    });
  });

  // Open event streams would keep close() waiting forever.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.raw.end();
  });
}
