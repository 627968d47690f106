// `feedgate sources remove --name N`: removes a source and its secret from the OS keychain.
// The secret goes first: when no keychain is reachable nothing is removed (exit 2).
import type { Command } from 'commander';
import { removeSource } from '../../workspace/sources';
import { EXIT, act, writeOut } from '../io';
import { asCliErrors } from './errors';

export function registerSourcesRemove(sources: Command): void {
  const command = sources
    .command('remove')
    .description('remove a named source and its API key or password from the OS keychain')
    .requiredOption('--name <name>', 'name of the source (names ignore case)')
    .addHelpText(
      'after',
      '\nExit codes: 0 removed, 2 unknown source or no OS keychain reachable, 3 internal error.',
    );
  act(command, (options: { name: string }) => runRemove(options.name));
}

async function runRemove(name: string): Promise<number> {
  const source = await asCliErrors(
    () => removeSource(name),
    'Nothing was removed: the source and its secret go together. Run the command again where the keychain is reachable.',
  );
  const secret =
    source.auth === 'api-key'
      ? ' and its API key from the OS keychain'
      : source.auth === 'password'
        ? ' and its password from the OS keychain'
        : '';
  writeOut(`Removed source "${source.name}"${secret}.`);
  return EXIT.OK;
}
