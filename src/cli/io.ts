// Input and output of the `feedgate` command: exit codes, reading policy files with clear
// errors, checking a query against a policy, writing results (stdout) and messages (stderr).
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import {
  ANONYMOUS,
  PolicyError,
  indexPolicy,
  isKnownUser,
  parsePolicy,
  queryErrors,
  readPolicyText,
  type Policy,
  type Problem,
} from '../core/index';

/** Exit codes: see docs/cli.md. */
export const EXIT = {
  /** Success; the question's answer is "allowed"; every test passed. */
  OK: 0,
  /** The answer is "denied"; a test failed; lint found an error. */
  FAILED: 1,
  /** Bad input: usage, unreadable or invalid file, unknown user/attribute/feed. */
  BAD_INPUT: 2,
  /** A bug in feedgate (never a stack trace; the message says what happened). */
  INTERNAL: 3,
} as const;

export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** An error meant for the user: printed as `feedgate: <message>` after its detail lines. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.BAD_INPUT,
    /** Printed verbatim before the message, one per line (e.g. `FILE: path: problem`). */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function writeOut(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function writeErr(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printError(error: CliError): void {
  const lines = [...error.details, `feedgate: ${error.message}`];
  writeErr(lines.join('\n'));
}

function sizeText(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Reads a text file (policy or tests) with a specific message for each way it can fail. */
export function readTextFile(file: string, what: string): string {
  const cannot = (why: string) => new CliError(`cannot read ${what} "${file}": ${why}`);
  if (file === '') throw new CliError(`${what} file name is empty`);
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw cannot('it is a directory, not a file');
    size = stat.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw cannot(fsReason(error));
  }
  if (size > MAX_FILE_BYTES) {
    throw cannot(
      `file too large (${sizeText(size)}; the limit is ${MAX_FILE_BYTES / (1024 * 1024)} MB)`,
    );
  }
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    throw cannot(fsReason(error));
  }
  if (buffer.length > MAX_FILE_BYTES) {
    throw cannot(`file too large (more than ${MAX_FILE_BYTES / (1024 * 1024)} MB)`);
  }
  if (buffer.includes(0)) throw cannot('it is a binary file, not JSON or YAML text');
  return buffer.toString('utf8');
}

export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Problems as `FILE: path: message` lines. */
export function problemLines(file: string, problems: readonly Problem[]): string[] {
  return problems.map((p) => `${file}: ${p.path}: ${p.message}`);
}

function problemCount(count: number): string {
  return `${count} problem${count === 1 ? '' : 's'}`;
}

/** Converts parser failures into a CliError that lists every problem with its path. */
export function fileProblems(file: string, what: string, error: unknown): never {
  if (error instanceof PolicyError) {
    const lines = problemLines(file, error.problems);
    throw new CliError(
      `${file} is not a valid ${what} (${problemCount(error.problems.length)})`,
      EXIT.BAD_INPUT,
      lines,
    );
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    throw new CliError(`${file} is not a valid ${what}: it is nested too deeply to read`);
  }
  throw error;
}

/** Reads JSON or YAML text into a plain value, with file-named errors. */
export function readDataFile(file: string, what: string): unknown {
  const text = readTextFile(file, what);
  try {
    return readPolicyText(text);
  } catch (error) {
    return fileProblems(file, what, error);
  }
}

/** Reads, parses and validates a policy file. */
export function readPolicyFile(file: string): Policy {
  const text = readTextFile(file, 'policy');
  try {
    return parsePolicy(text);
  } catch (error) {
    return fileProblems(file, 'policy', error);
  }
}

export interface QueryInput {
  user?: string | undefined;
  attribute?: string | undefined;
  feed?: string | undefined;
  owner?: string | undefined;
}

/** Why a query cannot be asked of this policy (unknown user, attribute or feed); empty when fine. */
export function queryProblems(policy: Policy, file: string, query: QueryInput): string[] {
  const problems: string[] = [];
  const unknownUser = (name: string) =>
    `unknown user "${name}": not declared in ${file} (use ${ANONYMOUS} for an unauthenticated caller)`;
  if (query.user !== undefined && !isKnownUser(policy, query.user))
    problems.push(unknownUser(query.user));
  if (query.owner !== undefined && !isKnownUser(policy, query.owner)) {
    problems.push(`unknown owner "${query.owner}": not declared in ${file}`);
  }
  // The core reports unknown attributes (with a suggestion) and unknown feeds.
  problems.push(
    ...queryErrors(indexPolicy(policy), {
      user: ANONYMOUS,
      attribute: query.attribute ?? 'Feeds_ViewFeed',
      ...(query.feed !== undefined && { feed: query.feed }),
    }),
  );
  return problems;
}

/** Throws a bad-input error naming every problem of the query. */
export function assertQuery(policy: Policy, file: string, query: QueryInput): void {
  const problems = queryProblems(policy, file, query);
  if (problems.length === 1) throw new CliError(problems[0] as string);
  if (problems.length > 1) throw new CliError(`invalid query:\n  ${problems.join('\n  ')}`);
}

/**
 * Sets a command's action: the handler returns the exit code. Errors propagate to the
 * entry point, which prints them (CliError) or reports an internal error.
 */
export function act<A extends unknown[]>(
  command: Command,
  handler: (...args: A) => number | Promise<number>,
): Command {
  return command.action(async (...args: unknown[]) => {
    process.exitCode = await handler(...(args as A));
  });
}
