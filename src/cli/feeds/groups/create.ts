// `feedgate feeds groups create --feed-group G`: an empty feed group (put feeds in it with
// `feeds create --feed-group G`).
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';
import { withName } from '../../security/common';
import { feedGroupOf, type FeedGroupNameOptions } from '../common';

type CreateOptions = SourceOptions & FeedGroupNameOptions;

export function registerFeedGroupsCreate(groups: Command): void {
  const command = withSource(
    withName(groups.command('create').description('create an empty feed group'), 'feed-group'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate feeds groups create --feed-group production-packages`,
  );
  act(command, (options: CreateOptions) => runCreate(options));
}

async function runCreate(options: CreateOptions): Promise<number> {
  const name = feedGroupOf(options);
  const client = await remoteClient(options);
  const group = await remote(() => client.createFeedGroup(name));
  writeOut(`Created feed group ${group.name} on ${client.url}.`);
  return EXIT.OK;
}
