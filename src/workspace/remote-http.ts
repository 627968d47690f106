// The HTTP side of RemoteClient (remote-client.ts): authentication headers, timeouts, JSON
// bodies and every failure as a RemoteError with a plain message that never holds the key.
import type { ResolvedSource } from './sources';

export const DEFAULT_TIMEOUT_MS = 30_000;

export type RemoteErrorKind =
  | 'access-denied'
  | 'not-instance'
  | 'lockout'
  | 'conflict'
  | 'precondition'
  | 'rejected'
  | 'network'
  | 'timeout'
  | 'server';

export class RemoteError extends Error {
  constructor(
    readonly kind: RemoteErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

export interface RemoteClientOptions {
  timeoutMs?: number;
}

type Auth = Pick<ResolvedSource, 'auth'> &
  Partial<{ apiKey: string; username: string; password: string }>;

function authHeaders(source: Auth): Record<string, string> {
  if (source.auth === 'api-key' && source.apiKey !== undefined)
    return { 'X-ApiKey': source.apiKey };
  if (source.auth === 'password' && source.username !== undefined)
    return {
      authorization: `Basic ${Buffer.from(`${source.username}:${source.password ?? ''}`).toString('base64')}`,
    };
  return {};
}

/** Removes every secret from a text (a server or a proxy could echo it). */
function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join('***');
  return out;
}

export class RemoteHttp {
  protected readonly base: string;
  private readonly headers: Record<string, string>;
  protected readonly secrets: string[];
  private readonly timeoutMs: number;

  constructor(source: { url: string } & Auth, options: RemoteClientOptions = {}) {
    this.base = source.url.replace(/\/+$/, '');
    this.headers = authHeaders(source);
    this.secrets = [source.apiKey, source.password].filter(
      (s): s is string => typeof s === 'string',
    );
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  get url(): string {
    return this.base;
  }

  protected notInstance(): RemoteError {
    return new RemoteError('not-instance', `${this.base} is not a feedgate instance`);
  }

  protected async call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    target: string,
    payload?: unknown,
    extra: Record<string, string> = {},
  ): Promise<unknown> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.base + target, {
        method,
        headers: {
          accept: 'application/json',
          ...(payload !== undefined && { 'content-type': 'application/json' }),
          ...this.headers,
          ...extra,
        },
        ...(payload !== undefined && { body: JSON.stringify(payload) }),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      throw this.transportError(error);
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok) {
      if (body === undefined) throw this.notInstance();
      return body;
    }
    const serverMessage = redact(
      typeof (body as { error?: unknown } | undefined)?.error === 'string'
        ? (body as { error: string }).error
        : `HTTP ${response.status}`,
      this.secrets,
    );
    switch (response.status) {
      case 401:
      case 403:
        throw new RemoteError(
          'access-denied',
          'access denied (check the API key)',
          response.status,
        );
      case 404:
        throw new RemoteError('not-instance', `${this.base} is not a feedgate instance`, 404);
      case 409:
        throw new RemoteError('lockout', serverMessage, 409);
      case 412:
        throw new RemoteError(
          'conflict',
          'the policy changed on the server since it was read; run the command again',
          412,
        );
      case 428:
        throw new RemoteError('precondition', serverMessage, 428);
      case 400:
        throw new RemoteError('rejected', `the server refused the request: ${serverMessage}`, 400);
      default:
        throw new RemoteError(
          'server',
          `${this.base} answered HTTP ${response.status}: ${serverMessage}`,
          response.status,
        );
    }
  }

  private transportError(error: unknown): RemoteError {
    const name = (error as Error | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError')
      return new RemoteError(
        'timeout',
        `cannot reach ${this.base}: no answer within ${this.timeoutMs / 1000} s`,
      );
    const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error | null)?.message ?? 'unknown';
    return new RemoteError(
      'network',
      `cannot reach ${this.base}: ${redact(String(reason), this.secrets)}`,
    );
  }
}
