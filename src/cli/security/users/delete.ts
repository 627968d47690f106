// `feedgate security users delete --user U`: the user, its memberships, grants and personal keys.
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';
import { userName, withUserName, type UserNameOptions } from './common';

interface DeleteOptions extends SourceOptions, UserNameOptions {}

export function registerUsersDelete(users: Command): void {
  const command = withSource(
    withUserName(
      users
        .command('delete')
        .description('delete a built-in user with its memberships, grants and personal keys'),
    ),
  ).addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate security users delete --user alice`);
  act(command, (options: DeleteOptions) => runDelete(options));
}

async function runDelete(options: DeleteOptions): Promise<number> {
  const name = userName(options);
  const client = await remoteClient(options);
  const result = await remote(() => client.deleteUser(name));
  writeOut(
    `Deleted user ${name} on ${client.url} (${result.grantsRemoved} grant(s) removed; nothing changes if it did not exist).`,
  );
  return EXIT.OK;
}
