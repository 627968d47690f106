// `feedgate directories activate --name N [--force]`: makes N the active directory. A switch
// to a directory where nobody could administer the instance is refused (exit 1, the server
// says who and why) unless --force; `feedgate recover reset-directory` undoes a lockout.
import type { Command } from 'commander';
import { EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';
import { EXIT_HELP, withName, withSource } from './common';

interface ActivateOptions extends SourceOptions {
  name: string;
  force?: boolean;
}

export function registerDirectoriesActivate(directories: Command): void {
  const command = withSource(
    withName(directories.command('activate'), 'the directory to make active').option(
      '--force',
      'switch even if nobody could administer the instance afterwards',
    ),
  )
    .description('make a directory the active one (every grant is kept)')
    .addHelpText(
      'after',
      `${EXIT_HELP}\nExample:\n  feedgate directories activate --name Corp\nLocked out? On the server's machine: feedgate recover reset-directory --data-dir DIR`,
    );
  act(command, (options: ActivateOptions) => runActivate(options));
}

async function runActivate(options: ActivateOptions): Promise<number> {
  const client = await remoteClient(options);
  const result = await remote(() =>
    client.activateDirectory(options.name, { force: options.force === true }),
  );
  writeOut(
    result.changed
      ? `Directory "${result.name}" is now active on ${client.url} (policy revision ${result.revision}).`
      : `Directory "${result.name}" was already active on ${client.url}: nothing changed.`,
  );
  return EXIT.OK;
}
