// `feedgate feeds groups list [--json]`: the feed groups and their feeds.
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { bold, json, table } from '../../format';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';

interface ListOptions extends SourceOptions {
  json?: boolean;
}

export function registerFeedGroupsList(groups: Command): void {
  const command = withSource(
    groups
      .command('list')
      .description("list the instance's feed groups and their feeds")
      .option('--json', 'print the feed groups as JSON'),
  ).addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate feeds groups list --source Default`);
  act(command, (options: ListOptions) => runList(options));
}

async function runList(options: ListOptions): Promise<number> {
  const client = await remoteClient(options);
  const groups = await remote(() => client.listFeedGroups());
  if (options.json) {
    writeOut(json(groups));
    return EXIT.OK;
  }
  if (groups.length === 0) {
    writeOut(`No feed groups on ${client.url}.`);
    return EXIT.OK;
  }
  const rows = groups.map((g) => [g.name, g.feeds.join(',') || '-']);
  writeOut(table([[bold('NAME'), bold('FEEDS')], ...rows]));
  return EXIT.OK;
}
