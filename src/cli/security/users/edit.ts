// `feedgate security users edit --user U [--display-name D] [--email E] [--password P]`:
// changes only the fields given.
import type { Command } from 'commander';
import { EXIT_HELP } from '../../apikeys/common';
import { CliError, EXIT, act, writeOut } from '../../io';
import { remote, remoteClient } from '../../policy/remote';
import { userFields, withUserFields, type UserFieldOptions } from './create';

export function registerUsersEdit(users: Command): void {
  const command = withUserFields(
    users.command('edit').description('change a built-in user (only the fields given)'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security users edit --user alice --display-name "Alice B."`,
  );
  act(command, (options: UserFieldOptions) => runEdit(options));
}

async function runEdit(options: UserFieldOptions): Promise<number> {
  const fields = userFields(options);
  if (Object.keys(fields).length === 1)
    throw new CliError('nothing to change: give --display-name, --email or --password');
  const client = await remoteClient(options);
  const user = await remote(() => client.updateUser(fields));
  writeOut(`Updated user ${user.name} on ${client.url}.`);
  return EXIT.OK;
}
