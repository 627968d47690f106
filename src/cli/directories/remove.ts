// `feedgate directories remove --name N`: deletes an inactive LDAP directory with its grants.
// The built-in directory and the active one are refused by the server (exit 1).
import type { Command } from 'commander';
import { EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';
import { EXIT_HELP, findDirectory, withName, withSource } from './common';

interface RemoveOptions extends SourceOptions {
  name: string;
}

export function registerDirectoriesRemove(directories: Command): void {
  const command = withSource(withName(directories.command('remove'), 'the LDAP directory'))
    .description('remove an inactive LDAP directory (its grants go with it)')
    .addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate directories remove --name Corp`);
  act(command, (options: RemoveOptions) => runRemove(options));
}

async function runRemove(options: RemoveOptions): Promise<number> {
  const client = await remoteClient(options);
  await findDirectory(client, options.name);
  await remote(() => client.removeDirectory(options.name));
  writeOut(`Removed directory "${options.name}" from ${client.url}.`);
  return EXIT.OK;
}
