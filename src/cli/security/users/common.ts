// What the `security users` commands share: the user name (--user, or pgutil's --name) and
// the printing of a user (never a password).
import type { Command } from 'commander';
import type { SecurityUser } from '../../../workspace/remote-client';
import { CliError } from '../../io';
import { nameOf, withName, type NameOptions } from '../common';

export type UserNameOptions = NameOptions<'user'>;

export function withUserName(command: Command): Command {
  return withName(command, 'user');
}

/** The name from --user or --name; exit 2 when missing, empty or contradictory. */
export function userName(options: UserNameOptions): string {
  return nameOf(options, 'user');
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
