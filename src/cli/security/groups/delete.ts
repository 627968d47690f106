// `feedgate security groups delete --group G`: the group, its memberships and its grants.
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';
import { nameOf, withName, type NameOptions } from '../common';

interface DeleteOptions extends SourceOptions, NameOptions<'group'> {}

export function registerGroupsDelete(groups: Command): void {
  const command = withSource(
    withName(
      groups.command('delete').description('delete a group with its memberships and grants'),
      'group',
    ),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security groups delete --group Testers`,
  );
  act(command, (options: DeleteOptions) => runDelete(options));
}

async function runDelete(options: DeleteOptions): Promise<number> {
  const name = nameOf(options, 'group');
  const client = await remoteClient(options);
  const result = await remote(() => client.deleteGroup(name));
  writeOut(
    `Deleted group ${name} on ${client.url} (${result.grantsRemoved} grant(s) removed; nothing changes if it did not exist).`,
  );
  return EXIT.OK;
}
