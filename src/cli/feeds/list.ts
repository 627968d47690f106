// `feedgate feeds list [--json]`: the instance's feeds with type, access, group and packages.
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../apikeys/common';
import { bold, json, table } from '../format';
import { EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';

interface ListOptions extends SourceOptions {
  json?: boolean;
}

export function registerFeedsList(feeds: Command): void {
  const command = withSource(
    feeds
      .command('list')
      .description("list the instance's feeds (type, access, feed group, packages)")
      .option('--json', 'print the feeds as JSON'),
  ).addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate feeds list --source Default`);
  act(command, (options: ListOptions) => runList(options));
}

async function runList(options: ListOptions): Promise<number> {
  const client = await remoteClient(options);
  const feeds = await remote(() => client.listFeeds());
  if (options.json) {
    writeOut(json(feeds));
    return EXIT.OK;
  }
  if (feeds.length === 0) {
    writeOut(`No feeds on ${client.url}.`);
    return EXIT.OK;
  }
  const header = ['NAME', 'TYPE', 'ACCESS', 'FEED GROUP', 'PACKAGES', 'DESCRIPTION'];
  const rows = feeds.map((f) => [
    f.name,
    f.feedType,
    f.access,
    f.feedGroup ?? '-',
    String(f.packageCount),
    f.description || '-',
  ]);
  writeOut(table([header.map((h) => bold(h)), ...rows]));
  return EXIT.OK;
}
