// `feedgate directories show --name N [--json]`: one directory with its settings (the bind
// password only as set / not set).
import type { Command } from 'commander';
import { EXIT, act, writeOut } from '../io';
import { remoteClient, type SourceOptions } from '../policy/remote';
import { EXIT_HELP, findDirectory, withName, withSource } from './common';

interface ShowOptions extends SourceOptions {
  name: string;
  json?: boolean;
}

/** `key: value` lines, nested objects flattened with dots. */
function settingLines(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, item]) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item))
      return settingLines(item as Record<string, unknown>, `${prefix}${key}.`);
    const text = Array.isArray(item) ? item.join(', ') || '-' : String(item);
    return [`  ${prefix}${key}: ${key === 'caCertificate' ? '(PEM, set)' : text}`];
  });
}

export function registerDirectoriesShow(directories: Command): void {
  const command = withSource(
    withName(directories.command('show'), 'the directory').option('--json', 'print it as JSON'),
  )
    .description('show a directory and its settings (never the bind password)')
    .addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate directories show --name Corp`);
  act(command, (options: ShowOptions) => runShow(options));
}

async function runShow(options: ShowOptions): Promise<number> {
  const client = await remoteClient(options);
  const directory = await findDirectory(client, options.name);
  if (options.json === true) {
    writeOut(JSON.stringify(directory, null, 2));
    return EXIT.OK;
  }
  const lines = [
    `${directory.name} (${directory.type}${directory.active ? ', active' : ''})`,
    ...(directory.config ? settingLines(directory.config) : []),
    ...(directory.configured === false
      ? ['  (no settings yet: set them with `directories edit`)']
      : []),
  ];
  writeOut(lines.join('\n'));
  return EXIT.OK;
}
