// `feedgate directories list [--json]`: every directory of the instance, the active one marked.
import type { Command } from 'commander';
import { table } from '../format';
import { EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';
import { EXIT_HELP, withSource } from './common';

interface ListOptions extends SourceOptions {
  json?: boolean;
}

export function registerDirectoriesList(directories: Command): void {
  const command = withSource(
    directories
      .command('list')
      .description('list the directories: name, type, active, server URL')
      .option('--json', 'print the directories as JSON (never a bind password)'),
  ).addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate directories list --source Default`);
  act(command, (options: ListOptions) => runList(options));
}

async function runList(options: ListOptions): Promise<number> {
  const client = await remoteClient(options);
  const directories = await remote(() => client.listDirectories());
  if (options.json === true) {
    writeOut(JSON.stringify(directories, null, 2));
    return EXIT.OK;
  }
  const rows = directories.map((d) => [
    d.name,
    d.type,
    d.active ? 'yes' : '-',
    typeof d.config?.url === 'string'
      ? d.config.url
      : d.configured === false
        ? '(no settings)'
        : '-',
  ]);
  writeOut(table([['NAME', 'TYPE', 'ACTIVE', 'URL'], ...rows]));
  return EXIT.OK;
}
