// `feedgate security users create --user U [--display-name D] [--email E] [--password P]`.
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';
import { optionalText } from '../common';
import { optionalPassword, userName, withUserName, type UserNameOptions } from './common';

export interface UserFieldOptions extends SourceOptions, UserNameOptions {
  displayName?: string;
  email?: string;
  password?: string;
}

export function withUserFields(command: Command): Command {
  return withSource(
    withUserName(command)
      .option('--display-name <text>', 'the display name')
      .option('--email <address>', 'the email address')
      .option('--password <password>', 'the password (at least 8 characters; never printed)'),
  );
}

/** The fields given, checked locally (exit 2). */
export function userFields(options: UserFieldOptions) {
  const name = userName(options);
  const displayName = optionalText(options.displayName, '--display-name');
  const email = optionalText(options.email, '--email');
  const password = optionalPassword(options.password);
  return {
    name,
    ...(displayName !== undefined && { displayName }),
    ...(email !== undefined && { email }),
    ...(password !== undefined && { password }),
  };
}

export function registerUsersCreate(users: Command): void {
  const command = withUserFields(
    users.command('create').description('create a built-in user'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security users create --user alice --email alice@example.com --password '...'`,
  );
  act(command, (options: UserFieldOptions) => runCreate(options));
}

async function runCreate(options: UserFieldOptions): Promise<number> {
  const fields = userFields(options);
  const client = await remoteClient(options);
  const user = await remote(() => client.addUser(fields));
  writeOut(`Created user ${user.name} on ${client.url}.`);
  return EXIT.OK;
}
