// What the `security users` commands share: the user name (--user, or pgutil's --name) and
// the printing of a user (never a password).
import type { Command } from 'commander';
import type { SecurityUser } from '../../../workspace/remote-client';
import { CliError } from '../../io';

export interface UserNameOptions {
  user?: string;
  name?: string;
}

export function withUserName(command: Command): Command {
  return command.option('--user <name>', 'the user name').option('--name <name>', 'same as --user');
}

/** The name from --user or --name; exit 2 when missing, empty or contradictory. */
export function userName(options: UserNameOptions): string {
  const names = [options.user, options.name].filter((n): n is string => n !== undefined);
  if (names.length === 0) throw new CliError('--user (or --name) is required');
  const trimmed = names.map((n) => n.trim());
  if (trimmed.some((n) => n === '')) throw new CliError('--user must not be empty');
  if (trimmed.length === 2 && trimmed[0] !== trimmed[1])
    throw new CliError('--user and --name name different users');
  return trimmed[0] as string;
}

/** An optional text option: trimmed, never empty. */
export function optionalText(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new CliError(`${option} must not be empty`);
  return value.trim();
}

/** A password as given (not trimmed), never empty. */
export function optionalPassword(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '') throw new CliError('--password must not be empty');
  return value;
}

export function userLines(user: SecurityUser): string[] {
  return [
    `Name:         ${user.name}`,
    `Display name: ${user.displayName ?? '-'}`,
    `Email:        ${user.email ?? '-'}`,
    `Groups:       ${(user.groups ?? []).join(', ') || '-'}`,
  ];
}
