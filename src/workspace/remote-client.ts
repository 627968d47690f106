// A small typed client for a feedgate instance over HTTP (Node's global fetch): the v1
// snapshot (the whole policy with its revision) and v1 changes (a change set guarded by
// If-Match). Every failure is a RemoteError with a plain message that never holds the key.
import type { ChangeSet } from '../core/index';
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

export interface Snapshot {
  /** The policy in the policy-file format, without `revision`. */
  policy: Record<string, unknown>;
  revision: number;
}

export type ApiKeyType = 'system' | 'feed' | 'personal';

/** A key as the server describes it (`/api/api-keys/`): `key` only in a create's answer. */
export interface ApiKeyInfo {
  id: number;
  type: ApiKeyType;
  key?: string;
  displayName?: string;
  description?: string;
  fullControl?: boolean;
  systemApis?: string[];
  packagePermissions?: string[];
  feed?: string;
  feedGroup?: string;
  user?: string;
  expiration?: string;
  logging?: string;
  createdAt?: string;
  lastUsed?: string;
  revoked?: string;
}

/** The fields of a new key (the server generates its id and text). */
export type NewApiKeyInfo = Omit<ApiKeyInfo, 'id' | 'key' | 'createdAt' | 'lastUsed' | 'revoked'>;

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

function isApiKeyInfo(value: unknown): value is ApiKeyInfo {
  const item = value as { id?: unknown; type?: unknown } | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.id === 'number' &&
    (item.type === 'system' || item.type === 'feed' || item.type === 'personal')
  );
}

export class RemoteClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];
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

  async getSnapshot(): Promise<Snapshot> {
    const body = await this.call('GET', '/api/feedgate/v1/snapshot');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw this.notInstance();
    const { revision, ...policy } = body as Record<string, unknown>;
    if (typeof revision !== 'number' || !Number.isInteger(revision)) throw this.notInstance();
    return { policy, revision };
  }

  async postChanges(
    changeSet: ChangeSet,
    revision: number,
    options: { allowLockout?: boolean } = {},
  ): Promise<{ revision: number; applied: number }> {
    const payload = { ...changeSet, ...(options.allowLockout === true && { allowLockout: true }) };
    const body = await this.call('POST', '/api/feedgate/v1/changes', payload, {
      'if-match': `"${revision}"`,
    });
    const result = body as { revision?: unknown; applied?: unknown } | null;
    if (typeof result?.revision !== 'number') throw this.notInstance();
    return {
      revision: result.revision,
      applied: typeof result.applied === 'number' ? result.applied : 0,
    };
  }

  /** Every key of the instance (never their text). */
  async listApiKeys(): Promise<ApiKeyInfo[]> {
    const body = await this.call('GET', '/api/api-keys/list');
    if (!Array.isArray(body) || !body.every(isApiKeyInfo)) throw this.notInstance();
    return body;
  }

  /** A new key: the answer holds its text (`key`), shown this once. */
  async createApiKey(info: NewApiKeyInfo): Promise<ApiKeyInfo & { key: string }> {
    const body = await this.call('POST', '/api/api-keys/create', info);
    if (!isApiKeyInfo(body) || typeof body.key !== 'string') throw this.notInstance();
    return body as ApiKeyInfo & { key: string };
  }

  /** Revokes a key; `revoked` is false when it was already revoked. */
  async deleteApiKey(id: number): Promise<{ id: number; revoked: boolean }> {
    const body = await this.call('POST', `/api/api-keys/delete?id=${encodeURIComponent(id)}`);
    const result = body as { id?: unknown; revoked?: unknown } | null;
    if (typeof result?.id !== 'number' || typeof result.revoked !== 'boolean')
      throw this.notInstance();
    return { id: result.id, revoked: result.revoked };
  }

  private notInstance(): RemoteError {
    return new RemoteError('not-instance', `${this.base} is not a feedgate instance`);
  }

  private async call(
    method: 'GET' | 'POST',
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
