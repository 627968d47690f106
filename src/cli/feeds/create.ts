// `feedgate feeds create --feed F [--type T] [--access A] [--feed-group G] [--description D]`:
// a new feed (universal and private unless said). An existing name is refused by the server.
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../apikeys/common';
import { EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';
import { nameOf, optionalText, withName, type NameOptions } from '../security/common';
import { accessOf, feedTypeOf } from './common';

interface CreateOptions extends SourceOptions, NameOptions<'feed'> {
  type?: string;
  access?: string;
  feedGroup?: string;
  description?: string;
}

export function registerFeedsCreate(feeds: Command): void {
  const command = withSource(
    withName(feeds.command('create').description('create a feed'), 'feed')
      .option('--type <type>', 'feed type: universal (default), nuget, npm, maven, pypi, …')
      .option('--access <access>', 'private (default), public, community or organization')
      .option('--feed-group <name>', 'the feed group it belongs to')
      .option('--description <text>', 'a description'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate feeds create --feed libs --type npm --access community`,
  );
  act(command, (options: CreateOptions) => runCreate(options));
}

async function runCreate(options: CreateOptions): Promise<number> {
  const name = nameOf(options, 'feed');
  const feedType = feedTypeOf(options.type);
  const access = accessOf(options.access);
  const feedGroup = optionalText(options.feedGroup, '--feed-group');
  const description = optionalText(options.description, '--description');
  const client = await remoteClient(options);
  const feed = await remote(() =>
    client.createFeed({
      name,
      ...(feedType !== undefined && { feedType }),
      ...(access !== undefined && { access }),
      ...(feedGroup !== undefined && { feedGroup }),
      ...(description !== undefined && { description }),
    }),
  );
  const group = feed.feedGroup === undefined ? '' : ` in feed group ${feed.feedGroup}`;
  writeOut(`Created ${feed.access} ${feed.feedType} feed ${feed.name}${group} on ${client.url}.`);
  return EXIT.OK;
}
