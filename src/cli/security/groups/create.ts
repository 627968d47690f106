// `feedgate security groups create --group G`: an empty group (add members with
// `security groups members add`).
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';
import { nameOf, withName, type NameOptions } from '../common';

interface CreateOptions extends SourceOptions, NameOptions<'group'> {}

export function registerGroupsCreate(groups: Command): void {
  const command = withSource(
    withName(groups.command('create').description('create an empty group'), 'group'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security groups create --group Testers`,
  );
  act(command, (options: CreateOptions) => runCreate(options));
}

async function runCreate(options: CreateOptions): Promise<number> {
  const name = nameOf(options, 'group');
  const client = await remoteClient(options);
  const group = await remote(() => client.addGroup({ name, users: [] }));
  writeOut(`Created group ${group.name} on ${client.url}.`);
  return EXIT.OK;
}
