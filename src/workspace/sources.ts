// Named sources (servers) for the command line, in pgutil's habits: a small JSON file in the
// user's config dir lists each source's name, URL, user name and how it authenticates. The
// secret itself (API key or password) lives only in the OS keychain (service `feedgate`,
// account = the source's id); this file never holds one. When no source is named, the one
// named `Default` is used.
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { KeytarKeychain, type Keychain } from './keychain';

export const SOURCES_FORMAT = 'feedgate-sources/1';
export const SOURCES_FILE = 'sources.json';
export const DEFAULT_SOURCE = 'Default';
/** Overrides the config dir (tests, portable setups). */
export const CONFIG_DIR_VARIABLE = 'FEEDGATE_CONFIG_DIR';

/** Bad input or a bad config file: the message names the field or the file. */
export class SourcesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourcesError';
  }
}

export const AUTH_KINDS = ['api-key', 'password', 'none'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

const nameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'must start with a letter or digit and hold only letters, digits, ".", "_" and "-"',
  );

function urlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute http or https URL (e.g. https://proget.example.org)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must be an http or https URL, not ${url.protocol.slice(0, -1)}`;
  }
  // Credentials in a URL would be a secret in the config file.
  if (url.username !== '' || url.password !== '') {
    return 'must not hold a user name or password (give them as credentials instead)';
  }
  if (url.search !== '' || url.hash !== '') return 'must not have a query or a fragment';
  return null;
}

const urlSchema = z.string().superRefine((text, context) => {
  const problem = urlProblem(text);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
});

const sourceSchema = z
  .strictObject({
    id: z.string().min(1),
    name: nameSchema,
    url: urlSchema,
    auth: z.enum(AUTH_KINDS),
    username: z.string().min(1).optional(),
  })
  .superRefine((source, context) => {
    if (source.auth === 'password' && source.username === undefined) {
      context.addIssue({ code: 'custom', path: ['username'], message: 'required for password' });
    }
    if (source.auth !== 'password' && source.username !== undefined) {
      context.addIssue({ code: 'custom', path: ['username'], message: 'only for password' });
    }
  });

const fileSchema = z.strictObject({
  format: z.literal(SOURCES_FORMAT),
  sources: z.array(sourceSchema),
});

/** One entry of the config file. `auth` api-key or password: the secret is in the keychain. */
export type Source = z.infer<typeof sourceSchema>;

export type Credentials =
  | { auth: 'none' }
  | { auth: 'api-key'; apiKey: string }
  | { auth: 'password'; username: string; password: string };

/** A source ready to call: its URL and credentials (secrets from the keychain). */
export type ResolvedSource = { name: string | null; url: string } & Credentials;

export interface SourcesOptions {
  /** The config dir (default: configDir()). */
  dir?: string;
  keychain?: Keychain;
}

/** $FEEDGATE_CONFIG_DIR, else $XDG_CONFIG_HOME/feedgate, else ~/.config/feedgate. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[CONFIG_DIR_VARIABLE];
  if (override !== undefined && override !== '') return path.resolve(override);
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.config');
  return path.join(base, 'feedgate');
}

export const sourcesFile = (dir: string = configDir()): string => path.join(dir, SOURCES_FILE);

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function problemText(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** The sources of the config file; none when the file does not exist. */
export function readSources(dir: string = configDir()): Source[] {
  const file = sourcesFile(dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SourcesError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SourcesError(`${file} is not valid JSON; fix or remove it`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SourcesError(`${file} is not a valid sources file: ${problemText(parsed.error)}`);
  }
  const seen: string[] = [];
  for (const source of parsed.data.sources) {
    if (seen.some((name) => sameName(name, source.name))) {
      throw new SourcesError(`${file} names source "${source.name}" twice`);
    }
    seen.push(source.name);
  }
  return parsed.data.sources;
}

/** Writes the whole file atomically (temp file, fsync, rename), mode 0600 in a 0700 dir. */
export function writeSources(sources: readonly Source[], dir: string = configDir()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = sourcesFile(dir);
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  const text = `${JSON.stringify({ format: SOURCES_FORMAT, sources }, null, 2)}\n`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, file);
}

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/** Runs `change` holding the config dir's lock, so that two commands never lose an update. */
async function withLock<T>(dir: string, change: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = path.join(dir, `${SOURCES_FILE}.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(lock, { force: true });
      else if (Date.now() > deadline) {
        throw new SourcesError(`${lock} is held by another feedgate command; try again`);
      } else await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await change();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Checks a name and a URL, with the field in the message. */
export function checkSourceInput(input: { name: string; url: string }): void {
  const name = nameSchema.safeParse(input.name);
  if (!name.success) {
    throw new SourcesError(`invalid name "${input.name}": ${name.error.issues[0]?.message}`);
  }
  const problem = urlProblem(input.url);
  if (problem !== null) throw new SourcesError(`invalid url "${input.url}": ${problem}`);
}

export function findSource(sources: readonly Source[], name: string): Source | undefined {
  return sources.find((source) => sameName(source.name, name));
}

/**
 * Adds a source. Its secret goes to the keychain first and the file is written only when that
 * worked: a KeychainUnavailableError leaves everything as it was (no file, no directory).
 */
export async function addSource(
  input: { name: string; url: string } & Credentials,
  options: SourcesOptions = {},
): Promise<Source> {
  checkSourceInput(input);
  const dir = options.dir ?? configDir();
  const keychain = options.keychain ?? new KeytarKeychain();
  const refuseDuplicate = (sources: readonly Source[]) => {
    const existing = findSource(sources, input.name);
    if (existing !== undefined) {
      throw new SourcesError(
        `a source named "${existing.name}" already exists (names ignore case); remove it first`,
      );
    }
  };
  refuseDuplicate(readSources(dir));
  const source: Source = {
    id: randomUUID(),
    name: input.name,
    url: input.url.replace(/\/+$/, ''),
    auth: input.auth,
    ...(input.auth === 'password' && { username: input.username }),
  };
  const secret = secretOf(input);
  if (secret !== null) await keychain.set(source.id, secret);
  try {
    await withLock(dir, async () => {
      const sources = readSources(dir);
      refuseDuplicate(sources);
      writeSources([...sources, source], dir);
    });
  } catch (error) {
    if (secret !== null) await keychain.delete(source.id).catch(() => false);
    throw error;
  }
  return source;
}

function secretOf(credentials: Credentials): string | null {
  if (credentials.auth === 'api-key') return credentials.apiKey;
  if (credentials.auth === 'password') return credentials.password;
  return null;
}

/**
 * Removes a source and its keychain secret. The secret goes first: when the keychain cannot
 * be reached nothing changes (KeychainUnavailableError).
 */
export async function removeSource(name: string, options: SourcesOptions = {}): Promise<Source> {
  const dir = options.dir ?? configDir();
  const keychain = options.keychain ?? new KeytarKeychain();
  const before = readSources(dir);
  if (findSource(before, name) === undefined) throw unknownSource(name, before, dir);
  return withLock(dir, async () => {
    const sources = readSources(dir);
    const source = findSource(sources, name);
    if (source === undefined) throw unknownSource(name, sources, dir);
    if (source.auth !== 'none') await keychain.delete(source.id);
    writeSources(
      sources.filter((other) => other !== source),
      dir,
    );
    return source;
  });
}

function unknownSource(name: string, sources: readonly Source[], dir: string): SourcesError {
  const known =
    sources.length === 0
      ? 'no source is configured'
      : `known: ${sources.map((s) => s.name).join(', ')}`;
  const hint = sameName(name, DEFAULT_SOURCE)
    ? `; add one with \`feedgate sources add --name ${DEFAULT_SOURCE} --url URL\` or name a source`
    : '';
  return new SourcesError(`no source named "${name}" in ${sourcesFile(dir)} (${known})${hint}`);
}

/**
 * The URL and credentials of a source by name (default `Default`), secrets read from the
 * keychain. An http(s) URL instead of a name is used as is, without credentials (pgutil's
 * `--source URL`). Throws SourcesError or KeychainUnavailableError.
 */
export async function resolveSource(
  nameOrUrl: string | undefined,
  options: SourcesOptions = {},
): Promise<ResolvedSource> {
  const name = nameOrUrl ?? DEFAULT_SOURCE;
  if (/^https?:\/\//i.test(name)) {
    const problem = urlProblem(name);
    if (problem !== null) throw new SourcesError(`invalid source URL "${name}": ${problem}`);
    return { name: null, url: name.replace(/\/+$/, ''), auth: 'none' };
  }
  const dir = options.dir ?? configDir();
  const sources = readSources(dir);
  const source = findSource(sources, name);
  if (source === undefined) throw unknownSource(name, sources, dir);
  const base = { name: source.name, url: source.url };
  if (source.auth === 'none') return { ...base, auth: 'none' };
  const secret = await (options.keychain ?? new KeytarKeychain()).get(source.id);
  if (secret === null) {
    throw new SourcesError(
      `the ${source.auth === 'api-key' ? 'API key' : 'password'} of source "${source.name}" is not ` +
        `in the OS keychain (service feedgate, account ${source.id}), or the keychain is locked; ` +
        'unlock it, or remove the source and add it again',
    );
  }
  return source.auth === 'api-key'
    ? { ...base, auth: 'api-key', apiKey: secret }
    : { ...base, auth: 'password', username: source.username as string, password: secret };
}
