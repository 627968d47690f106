// `feedgate security tasks attributes list [--json]`: the instance's attribute catalog, with
// whether each may be granted at a feed, and its category from the engine's own catalog
// (the server does not send one; an attribute this feedgate does not know shows "-").
import type { Command } from 'commander';
import { attributeInfo } from '../../../../core/index';
import { EXIT_HELP, withSource } from '../../../apikeys/common';
import { bold, json, table } from '../../../format';
import { EXIT, act, writeOut } from '../../../io';
import { remote, remoteClient, type SourceOptions } from '../../../policy/remote';
import { feedScopeText } from '../list';

interface ListOptions extends SourceOptions {
  json?: boolean;
}

export function registerAttributesList(attributes: Command): void {
  const command = withSource(
    attributes
      .command('list')
      .description('list the attributes tasks are made of')
      .option('--json', 'print the attributes as JSON'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security tasks attributes list --source Default`,
  );
  act(command, (options: ListOptions) => runList(options));
}

async function runList(options: ListOptions): Promise<number> {
  const client = await remoteClient(options);
  const attributes = (await remote(() => client.listAttributes())).map((a) => {
    const category = attributeInfo(a.name)?.category;
    return { ...a, ...(category !== undefined && { category }) };
  });
  if (options.json) {
    writeOut(json(attributes));
    return EXIT.OK;
  }
  const header = ['NAME', 'FEED SCOPE', 'CATEGORY'];
  const rows = attributes.map((a) => [a.name, feedScopeText(a.feedScoped), a.category ?? '-']);
  writeOut(table([header.map((h) => bold(h)), ...rows]));
  return EXIT.OK;
}
