// `feedgate directories edit --name N [settings...] [--force]`: changes the given settings of
// an LDAP directory; the stored bind password is kept unless a new one is given. Editing the
// active directory into one where nobody could administer is refused unless --force.
import type { Command } from 'commander';
import { CliError, EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';
import {
  EXIT_HELP,
  findDirectory,
  settingsFrom,
  withName,
  withSettings,
  withSource,
  type SettingsOptions,
} from './common';

interface EditOptions extends SourceOptions, SettingsOptions {
  name: string;
  force?: boolean;
}

export function registerDirectoriesEdit(directories: Command): void {
  const command = withSource(
    withSettings(withName(directories.command('edit'), 'the LDAP directory')).option(
      '--force',
      'accept that nobody could administer the instance afterwards (active directory)',
    ),
  )
    .description('change settings of an LDAP directory (others are kept, the password too)')
    .addHelpText(
      'after',
      `${EXIT_HELP}\nExample:\n  feedgate directories edit --name Corp --url ldaps://ldap2.example.com --cache-ttl 60`,
    );
  act(command, (options: EditOptions) => runEdit(options));
}

async function runEdit(options: EditOptions): Promise<number> {
  const changes = settingsFrom(options);
  if (Object.keys(changes).length === 0)
    throw new CliError('nothing to change: give at least one setting (see --help)');
  const client = await remoteClient(options);
  await findDirectory(client, options.name);
  const edited = await remote(() =>
    client.editDirectory(options.name, changes, { force: options.force === true }),
  );
  const names = Object.keys(changes).map((k) =>
    k === 'bindPassword' ? 'bindPassword (not shown)' : k,
  );
  writeOut(`Updated directory "${edited.name}" on ${client.url}: ${names.join(', ')}.`);
  return EXIT.OK;
}
