// The answers to a failed authentication that every authenticated route shares: 503 when the
// active directory cannot be reached, 429 while the sign-in throttle holds. The rest (a bad
// key or password) is each API's own: 403 for the admin APIs, 401 for the feeds.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthResult } from '../auth/authenticate';

type Failure = Extract<AuthResult, { ok: false }>;

/** Logs the failure (never the credentials) and sends 503 or 429; false when neither applies. */
export function answerAuthFailure(
  request: FastifyRequest,
  reply: FastifyReply,
  result: Failure,
): boolean {
  request.log.info({ reason: result.reason, detail: result.detail }, 'authentication failed');
  if (result.reason === 'directory unavailable') {
    void reply.code(503).send({
      error: 'directory unavailable: the active directory cannot be reached; try again later',
    });
    return true;
  }
  if (result.reason === 'throttled') {
    const seconds = Math.ceil((result.retryAfterMs ?? 1000) / 1000);
    void reply
      .code(429)
      .header('retry-after', String(seconds))
      .send({ error: `too many failed sign-ins: retry in ${seconds} s` });
    return true;
  }
  return false;
}
