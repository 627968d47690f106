// `feedgate feeds groups delete --feed-group G [--force]`: the server refuses a group that still
// has feeds, grants or feed keys (exit 1, with the counts) unless --force (its feeds are kept,
// outside any group; its grants and feed keys are deleted).
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { EXIT, act, writeOut } from '../../io';
import { remoteClient, type SourceOptions } from '../../policy/remote';
import { withName } from '../../security/common';
import { feedGroupOf, removing, type FeedGroupNameOptions } from '../common';

type DeleteOptions = SourceOptions & FeedGroupNameOptions & { force?: boolean };

export function registerFeedGroupsDelete(groups: Command): void {
  const command = withSource(
    withName(groups.command('delete').description('delete a feed group'), 'feed-group').option(
      '--force',
      'also delete its grants and feed keys; its feeds stay, outside any group',
    ),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate feeds groups delete --feed-group old-group`,
  );
  act(command, (options: DeleteOptions) => runDelete(options));
}

async function runDelete(options: DeleteOptions): Promise<number> {
  const name = feedGroupOf(options);
  const client = await remoteClient(options);
  await removing(() => client.deleteFeedGroup(name, { force: options.force === true }));
  writeOut(`Deleted feed group ${name} on ${client.url}.`);
  return EXIT.OK;
}
