import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startTestInstance } from '../../../test/helpers/server';
import { createApiKey } from '../auth/api-keys';
import { loggerOptions, REDACTED, redactUrl } from './logging';

describe('redactUrl', () => {
  it('replaces the values of key and other credential parameters, keeps the rest', () => {
    expect(redactUrl('/api/x?key=fgk_secret&search-term=al')).toBe(
      '/api/x?key=[REDACTED]&search-term=al',
    );
    expect(redactUrl('/a?KEY=s1&api%5Fkey=s2&password=s3&token=s4&b=2')).toBe(
      '/a?KEY=[REDACTED]&api%5Fkey=[REDACTED]&password=[REDACTED]&token=[REDACTED]&b=2',
    );
    expect(redactUrl('/a?key')).toBe('/a?key=[REDACTED]');
    expect(redactUrl('/a?key=1&key=2')).toBe('/a?key=[REDACTED]&key=[REDACTED]');
    expect(redactUrl('/plain/path')).toBe('/plain/path');
    expect(redactUrl('/a?%zz=1')).toBe('/a?%zz=1');
  });
});

describe('the access log', () => {
  it('has one line per request, answered or refused: method, redacted URL, address, status, time', async () => {
    const server = await startTestInstance();
    try {
      const { key } = createApiKey(server.db, { type: 'system', fullControl: true });
      const before = server.logs.length;
      await server.request(`/api/security/groups/list?key=${key}`);
      await server.request('/api/security/groups/list', { headers: { 'X-ApiKey': 'fgk_wrong' } });
      await server.request('/no/such/endpoint');
      const lines = server.logs.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
      const access = lines.filter((l) => l.msg === 'request completed');
      expect(access.map((l) => [l.req, l.res])).toEqual([
        [
          {
            method: 'GET',
            url: '/api/security/groups/list?key=[REDACTED]',
            remoteAddress: '127.0.0.1',
          },
          { statusCode: 200 },
        ],
        [
          { method: 'GET', url: '/api/security/groups/list', remoteAddress: '127.0.0.1' },
          { statusCode: 403 },
        ],
        [
          { method: 'GET', url: '/no/such/endpoint', remoteAddress: '127.0.0.1' },
          { statusCode: 404 },
        ],
      ]);
      for (const line of access) expect(line.responseTime).toEqual(expect.any(Number));
      // Fastify's own arrival and not-found lines are off; the refusal's reason has its own line.
      expect(lines.filter((l) => l.msg === 'incoming request')).toEqual([]);
      expect(lines.filter((l) => String(l.msg).includes('not found'))).toEqual([]);
      expect(lines.filter((l) => l.msg === 'authentication failed')).toHaveLength(1);
      expect(server.logs.join('\n')).not.toContain(key);
    } finally {
      await server.close();
    }
  });
});

describe('log lines that carry headers', () => {
  it('show the credential headers as [REDACTED], the others as they are; a request none', () => {
    const lines: string[] = [];
    // Fastify hands `stream` to pino as its destination; pino itself takes it apart.
    const { stream, ...options } = loggerOptions({
      stream: { write: (line: string) => lines.push(line) },
    }) as pino.LoggerOptions & { stream: pino.DestinationStream };
    const log = pino(options, stream);
    const headers = {
      authorization: 'Basic c2VjcmV0',
      'X-ApiKey': 'fgk_secret',
      cookie: 'session=secret',
      accept: 'application/json',
    };
    log.info({ headers }, 'with headers');
    log.info({ req: { method: 'GET', url: '/x', ip: '10.0.0.1', headers } }, 'a request');
    const [withHeaders, request] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(withHeaders?.headers).toEqual({
      authorization: REDACTED,
      'X-ApiKey': REDACTED,
      cookie: REDACTED,
      accept: 'application/json',
    });
    expect(request?.req).toEqual({ method: 'GET', url: '/x', remoteAddress: '10.0.0.1' });
    expect(lines.join('\n')).not.toContain('secret');
  });
});
