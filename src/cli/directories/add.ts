// `feedgate directories add --name N --url U --user-base B --group-base B [--preset P] ...`:
// adds an inactive LDAP directory. The settings are checked here first (exit 2, nothing sent);
// the bind password comes from --bind-password or FEEDGATE_BIND_PASSWORD and is never shown.
import type { Command } from 'commander';
import { ldapDirectoryConfigSchema } from '../../server/directory/ldap-config';
import { CliError, EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';
import {
  BIND_PASSWORD_ENV,
  EXIT_HELP,
  settingsFrom,
  withName,
  withSettings,
  withSource,
  type SettingsOptions,
} from './common';

interface AddOptions extends SourceOptions, SettingsOptions {
  name: string;
}

export function registerDirectoriesAdd(directories: Command): void {
  const command = withSource(
    withSettings(withName(directories.command('add'), 'name of the new directory')),
  )
    .description('add an LDAP directory (inactive: test it, then activate it)')
    .addHelpText(
      'after',
      `${EXIT_HELP}\nThe bind password: --bind-password, or ${BIND_PASSWORD_ENV} (not visible to other users).\nExample:\n  ${BIND_PASSWORD_ENV}=... feedgate directories add --name Corp --preset openldap \\\n    --url ldaps://ldap.example.com --bind-dn cn=reader,dc=example,dc=com \\\n    --user-base ou=people,dc=example,dc=com --group-base ou=groups,dc=example,dc=com`,
    );
  act(command, (options: AddOptions) => runAdd(options));
}

async function runAdd(options: AddOptions): Promise<number> {
  const config = { name: options.name, ...settingsFrom(options) };
  const checked = ldapDirectoryConfigSchema.safeParse(config);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    const missing = issue?.code === 'invalid_type' && !((issue.path[0] as string) in config);
    throw new CliError(
      missing
        ? `${field} is required (--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)})`
        : `${field}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const client = await remoteClient(options);
  const added = await remote(() => client.addDirectory(config));
  writeOut(
    `Added LDAP directory "${added.name}" (inactive) on ${client.url}.\n` +
      `Try it: feedgate directories test --name ${JSON.stringify(added.name)} --user <name>`,
  );
  return EXIT.OK;
}
