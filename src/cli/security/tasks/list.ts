// `feedgate security tasks list [--json]`: the tasks (built-in ones included) with their
// attributes.
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { bold, json, listWithMore, table } from '../../format';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';

interface ListOptions extends SourceOptions {
  json?: boolean;
}

/** Attributes shown per row before "and N more" (`--json` has them all). */
const ATTRIBUTES_SHOWN = 2;

export function registerTasksList(tasks: Command): void {
  const command = withSource(
    tasks
      .command('list')
      .description("list the instance's tasks (named sets of attributes)")
      .option('--json', 'print the tasks as JSON'),
  ).addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate security tasks list --source Default`);
  act(command, (options: ListOptions) => runList(options));
}

export function feedScopeText(feedScoped: boolean): string {
  return feedScoped ? 'yes' : 'no';
}

async function runList(options: ListOptions): Promise<number> {
  const client = await remoteClient(options);
  const tasks = await remote(() => client.listTasks());
  if (options.json) {
    writeOut(json(tasks));
    return EXIT.OK;
  }
  if (tasks.length === 0) {
    writeOut(`No tasks on ${client.url}.`);
    return EXIT.OK;
  }
  const header = ['NAME', 'FEED SCOPE', 'ATTRIBUTES', 'DESCRIPTION'];
  const rows = tasks.map((t) => [
    t.name,
    feedScopeText(t.feedScoped),
    listWithMore(t.attributes, ATTRIBUTES_SHOWN) || '-',
    t.description || '-',
  ]);
  writeOut(table([header.map((h) => bold(h)), ...rows]));
  return EXIT.OK;
}
