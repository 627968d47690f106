// `feedgate apikeys delete --id N [--source S] [--api-key K]`: revokes a key (idempotent).
import type { Command } from 'commander';
import { EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';
import { EXIT_HELP, parseId, withSource } from './common';

interface DeleteOptions extends SourceOptions {
  id?: string;
}

export function registerApiKeysDelete(apikeys: Command): void {
  const command = withSource(
    apikeys
      .command('delete')
      .description('revoke an API key: it is refused from then on')
      .requiredOption('--id <id>', 'the key id (see `apikeys list`)'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate apikeys delete --id 4 --source Default`,
  );
  act(command, (options: DeleteOptions) => runDelete(options));
}

async function runDelete(options: DeleteOptions): Promise<number> {
  const id = parseId(options.id);
  const client = await remoteClient(options);
  const result = await remote(() => client.deleteApiKey(id));
  writeOut(
    result.revoked
      ? `Revoked API key ${id} on ${client.url}.`
      : `API key ${id} was already revoked or does not exist on ${client.url}: nothing changed.`,
  );
  return EXIT.OK;
}
