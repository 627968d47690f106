// `feedgate feeds delete --feed F [--force]`: deletes a feed. The server refuses one that still
// has grants, packages or feed keys (exit 1, with the counts) unless --force, which deletes them.
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../apikeys/common';
import { EXIT, act, writeOut } from '../io';
import { remoteClient, type SourceOptions } from '../policy/remote';
import { nameOf, withName, type NameOptions } from '../security/common';
import { removing } from './common';

interface DeleteOptions extends SourceOptions, NameOptions<'feed'> {
  force?: boolean;
}

export function registerFeedsDelete(feeds: Command): void {
  const command = withSource(
    withName(feeds.command('delete').description('delete a feed'), 'feed').option(
      '--force',
      'also delete its grants, feed keys and packages (files included)',
    ),
  ).addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate feeds delete --feed old-libs`);
  act(command, (options: DeleteOptions) => runDelete(options));
}

async function runDelete(options: DeleteOptions): Promise<number> {
  const name = nameOf(options, 'feed');
  const client = await remoteClient(options);
  await removing(() => client.deleteFeed(name, { force: options.force === true }));
  writeOut(`Deleted feed ${name} on ${client.url}.`);
  return EXIT.OK;
}
