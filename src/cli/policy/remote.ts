// What `policy export` and `policy import` share: the source to call (resolveSource, with
// --api-key overriding the stored secret) and the client's errors as exit codes.
import {
  findSource,
  readSources,
  resolveSource,
  type ResolvedSource,
} from '../../workspace/sources';
import { RemoteClient, RemoteError } from '../../workspace/remote-client';
import { CliError, EXIT } from '../io';
import { asCliErrors } from '../sources/errors';

export interface SourceOptions {
  source?: string;
  apiKey?: string;
}

/** The client for --source (name or URL; default `Default`); --api-key wins over the keychain. */
export async function remoteClient(options: SourceOptions): Promise<RemoteClient> {
  if (options.apiKey !== undefined && options.apiKey.trim() === '')
    throw new CliError('--api-key must not be empty');
  const resolved = await asCliErrors(async (): Promise<ResolvedSource> => {
    const name = options.source;
    if (options.apiKey === undefined || (name !== undefined && /^https?:\/\//i.test(name)))
      return resolveSource(name);
    // A named source with --api-key: its URL only, so that no keychain is needed.
    const source = findSource(readSources(), name ?? 'Default');
    if (source === undefined) return resolveSource(name);
    return { name: source.name, url: source.url, auth: 'none' };
  }, 'Pass the key with --api-key instead.');
  if (options.apiKey !== undefined)
    return new RemoteClient({ url: resolved.url, auth: 'api-key', apiKey: options.apiKey });
  return new RemoteClient(resolved);
}

/** Runs a call; a RemoteError becomes a CliError: 1 refused, 3 network or not an instance. */
export async function remote<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    const refused =
      error.kind === 'access-denied' ||
      error.kind === 'lockout' ||
      error.kind === 'conflict' ||
      error.kind === 'rejected';
    throw new CliError(error.message, refused ? EXIT.FAILED : EXIT.INTERNAL);
  }
}
