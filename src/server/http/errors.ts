// Errors of the HTTP API. A response never carries a stack trace or an internal message:
// HttpError messages are written for the client; anything else is logged and answered with
// a plain 500. Authentication failures all get the same 403 body, whatever the reason.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { LockoutError } from '../lockout';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The one body of every 403: it says nothing about which keys or users exist. */
export const FORBIDDEN_BODY = Object.freeze({
  error: 'access denied: send a valid API key (or user:password) that is allowed this API',
});

export const forbidden = (reply: FastifyReply) => reply.code(403).send(FORBIDDEN_BODY);

/** Fastify's own client errors, with messages of ours. */
const FASTIFY_CLIENT_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content type: send application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty but the content type is application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is too large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the Content-Length header does not match the body',
};

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HttpError)
    return reply.code(error.statusCode).send({ error: error.message });
  if (error instanceof LockoutError) return reply.code(409).send(error.body());
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const known = FASTIFY_CLIENT_ERRORS[error.code];
    // A JSON syntax error from the body parser has no FST_ code of its own.
    const message =
      known ??
      (error instanceof SyntaxError ? 'the body is not valid JSON' : `bad request (${status})`);
    request.log.info({ code: error.code, status }, 'client error');
    return reply.code(status).send({ error: message });
  }
  request.log.error({ err: error }, 'internal error');
  return reply.code(500).send({ error: 'internal error (see the server log)' });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply
    .code(404)
    .send({ error: `no such endpoint: ${request.method} ${request.url.split('?')[0]}` });
}
