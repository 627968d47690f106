// `feedgate security groups members list --group G [--json]`: the group's direct member users.
import type { Command } from 'commander';
import { EXIT_HELP } from '../../../apikeys/common';
import { json } from '../../../format';
import { EXIT, act, writeOut } from '../../../io';
import { remoteClient, type SourceOptions } from '../../../policy/remote';
import { requiredText } from '../../common';
import { readGroup, withGroup } from './common';

interface ListOptions extends SourceOptions {
  group?: string;
  json?: boolean;
}

export function registerMembersList(members: Command): void {
  const command = withGroup(
    members
      .command('list')
      .description("list a group's member users, one per line")
      .option('--json', 'print the member names as a JSON array'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security groups members list --group Developers`,
  );
  act(command, (options: ListOptions) => runList(options));
}

async function runList(options: ListOptions): Promise<number> {
  const name = requiredText(options.group, '--group');
  const client = await remoteClient(options);
  const group = await readGroup(client, name);
  if (options.json) writeOut(json(group.users));
  else if (group.users.length === 0) writeOut(`Group ${name} has no members on ${client.url}.`);
  else writeOut(group.users.join('\n'));
  return EXIT.OK;
}
