// `feedgate security groups list [--json]`: the groups with their direct member users.
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { bold, json, table } from '../../format';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';

interface ListOptions extends SourceOptions {
  json?: boolean;
}

export function registerGroupsList(groups: Command): void {
  const command = withSource(
    groups
      .command('list')
      .description("list the instance's groups and their member users")
      .option('--json', 'print the groups as JSON'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security groups list --source Default`,
  );
  act(command, (options: ListOptions) => runList(options));
}

async function runList(options: ListOptions): Promise<number> {
  const client = await remoteClient(options);
  const groups = await remote(() => client.listGroups());
  if (options.json) {
    writeOut(json(groups));
    return EXIT.OK;
  }
  if (groups.length === 0) {
    writeOut(`No groups on ${client.url}.`);
    return EXIT.OK;
  }
  const rows = groups.map((g) => [g.name, g.users.join(',') || '-']);
  writeOut(table([[bold('NAME'), bold('MEMBERS')], ...rows]));
  return EXIT.OK;
}
