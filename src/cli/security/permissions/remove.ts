// `feedgate security permissions remove --id N`: removes a grant (absent: nothing changes).
import type { Command } from 'commander';
import { EXIT_HELP, parseId, withSource } from '../../apikeys/common';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';

interface RemoveOptions extends SourceOptions {
  id?: string;
}

export function registerPermissionsRemove(permissions: Command): void {
  const command = withSource(
    permissions
      .command('remove')
      .description('remove a grant by its id')
      .option('--id <id>', 'the grant id (see `security permissions list`)'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security permissions remove --id 5 --source Default`,
  );
  act(command, (options: RemoveOptions) => runRemove(options));
}

async function runRemove(options: RemoveOptions): Promise<number> {
  const id = parseId(options.id);
  const client = await remoteClient(options);
  const result = await remote(() => client.deletePermission(id));
  writeOut(
    result.found
      ? `Removed permission ${id} on ${client.url}.`
      : `No permission ${id} on ${client.url}: nothing changed.`,
  );
  return EXIT.OK;
}
