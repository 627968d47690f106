// `feedgate security users show --user U [--json]`: one built-in user (never a password).
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { json } from '../../format';
import { CliError, EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';
import { userLines, userName, withUserName, type UserNameOptions } from './common';

interface ShowOptions extends SourceOptions, UserNameOptions {
  json?: boolean;
}

export function registerUsersShow(users: Command): void {
  const command = withSource(
    withUserName(users.command('show').description('show a built-in user')).option(
      '--json',
      'print the user as JSON',
    ),
  ).addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate security users show --user alice`);
  act(command, (options: ShowOptions) => runShow(options));
}

async function runShow(options: ShowOptions): Promise<number> {
  const name = userName(options);
  const client = await remoteClient(options);
  const users = await remote(() => client.listUsers(name));
  const user = users.find((u) => u.name.toLowerCase() === name.toLowerCase());
  if (user === undefined) throw new CliError(`no user "${name}" on ${client.url}`, EXIT.FAILED);
  writeOut(options.json ? json(user) : userLines(user).join('\n'));
  return EXIT.OK;
}
