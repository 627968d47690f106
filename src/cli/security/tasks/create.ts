// `feedgate security tasks create --task T (--attribute A ... | --attributes A,B) [--description D]`:
// a new task. Attributes are checked against the engine's catalog before anything is sent
// (exit 2, with a "did you mean"); an existing task name is refused (exit 1), so that create
// never replaces a task (the server's tasks/add would).
import type { Command } from 'commander';
import { isAttribute, suggest } from '../../../core/index';
import { EXIT_HELP, parseList, withSource } from '../../apikeys/common';
import { plural } from '../../format';
import { CliError, EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';
import { nameOf, optionalText, requiredText, withName, type NameOptions } from '../common';

interface CreateOptions extends SourceOptions, NameOptions<'task'> {
  description?: string;
  attribute?: string[];
  attributes?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerTasksCreate(tasks: Command): void {
  const command = withSource(
    withName(
      tasks.command('create').description('create a task: a named set of attributes'),
      'task',
    )
      .option('--description <text>', 'what the task is for')
      .option(
        '--attribute <name>',
        'an attribute of the task (repeatable; see `security tasks attributes list`)',
        collect,
      )
      .option('--attributes <a,b>', 'attributes of the task, comma-separated'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security tasks create --task Readers --attribute Feeds_ViewFeed --attribute Feeds_DownloadPackage`,
  );
  act(command, (options: CreateOptions) => runCreate(options));
}

/** The attributes of --attribute and --attributes: known to the catalog, without duplicates. */
function taskAttributes(options: CreateOptions): string[] {
  const given = [
    ...(options.attribute ?? []).map((a) => requiredText(a, '--attribute')),
    ...(options.attributes === undefined ? [] : parseList(options.attributes, '--attributes')),
  ];
  if (given.length === 0)
    throw new CliError('at least one --attribute (or --attributes) is required');
  const unknown = given.filter((a) => !isAttribute(a));
  if (unknown.length > 0)
    throw new CliError(
      `${unknown.map((a) => `unknown attribute "${a}"${suggest(a)}`).join('; ')} (see \`feedgate security tasks attributes list\`)`,
    );
  return [...new Set(given)];
}

async function runCreate(options: CreateOptions): Promise<number> {
  const name = nameOf(options, 'task');
  const description = optionalText(options.description, '--description');
  const attributes = taskAttributes(options);
  const client = await remoteClient(options);
  const existing = await remote(() => client.listTasks());
  if (existing.some((t) => t.name === name))
    throw new CliError(`task "${name}" already exists on ${client.url}`, EXIT.FAILED);
  const task = await remote(() =>
    client.addTask({ name, ...(description !== undefined && { description }), attributes }),
  );
  writeOut(
    // `edited`: a task of that name appeared between the read and the write, and tasks/add
    // replaced it; say so rather than claim a creation.
    `${task.edited ? 'Replaced' : 'Created'} task ${task.name} on ${client.url}: ${plural(task.attributes.length, 'attribute')}, ${task.feedScoped ? 'may be granted at a feed' : 'system scope only'}.`,
  );
  return EXIT.OK;
}
