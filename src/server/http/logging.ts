// Request logging through Fastify's pino logger, without secrets: one access line per request
// (Fastify's own two, on arrival and on answer, are turned off: each line is a synchronous
// write to stdout, which cost as much CPU as the rest of a small request). The request serializer
// writes method, URL (with the `key` query value and other credential-like values replaced)
// and the client address, never headers; a line that carries headers all the same gets the
// values of X-ApiKey, Authorization and Cookie replaced by the `headers` serializer (pino's
// `redact` did so at ~5 µs on every line, access lines included; a serializer runs only on
// lines that have its key).
import {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';

export const REDACTED = '[REDACTED]';
/** Query parameters whose values never reach a log. */
const SECRET_PARAMETERS = new Set(['key', 'apikey', 'api_key', 'password', 'token']);
/** Request headers whose values never reach a log (names compared in lower case). */
const SECRET_HEADERS = new Set(['authorization', 'x-apikey', 'cookie']);

/** Headers as a log line may show them: the credential ones' values replaced. */
export function redactHeaders(headers: unknown): unknown {
  if (headers === null || typeof headers !== 'object') return headers;
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value,
    ]),
  );
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The URL with the values of secret query parameters replaced by [REDACTED]. */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decode(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      return SECRET_PARAMETERS.has(name)
        ? `${pair.slice(0, eq < 0 ? pair.length : eq)}=${REDACTED}`
        : pair;
    })
    .join('&');
  return `${url.slice(0, mark)}?${query}`;
}

interface RawRequest {
  method?: string;
  url?: string;
  routeOptions?: { url?: string };
  ip?: string;
  socket?: { remoteAddress?: string; remotePort?: number };
}

export interface LoggerSettings {
  level?: string;
  /** Where JSON log lines go (default stdout, synchronously). */
  stream?: { write(line: string): unknown };
}

export function loggerOptions(settings: LoggerSettings): FastifyServerOptions['logger'] {
  return {
    level: settings.level ?? 'info',
    ...(settings.stream && { stream: settings.stream }),
    serializers: {
      headers: redactHeaders,
      req: (req: RawRequest) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
    },
  };
}

/**
 * Fastify's own request lines as an access log: no arrival line and no separate "not found"
 * line; the completion line carries the request (method, redacted URL, client address), the
 * status and the time in ms.
 */
export class AccessLogController extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** A request the client gave up on before the answer gets a line too. */
export function registerAccessLog(app: FastifyInstance): void {
  app.addHook('onRequestAbort', async (request) => {
    request.log.info({ req: request }, 'request aborted by the client');
  });
}
