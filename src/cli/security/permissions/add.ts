// `feedgate security permissions add (--user U | --group G) --task T [--feed F | --feed-group FG]
// [--deny]`: adds a grant (or a denial). Malformed options are exit 2 and nothing is sent.
import type { Command } from 'commander';
import type { NewSecurityPermission } from '../../../workspace/remote-client';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { CliError, EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';
import { principalText, scopeText } from './list';

interface AddOptions extends SourceOptions {
  user?: string;
  group?: string;
  task?: string;
  feed?: string;
  feedGroup?: string;
  deny?: boolean;
}

export function registerPermissionsAdd(permissions: Command): void {
  const command = withSource(
    permissions
      .command('add')
      .description('add a grant: a user or group may (or, with --deny, may not) do a task')
      .option('--user <name>', 'the user granted')
      .option('--group <name>', 'the group granted')
      .option('--task <name>', 'the task (see the instance tasks)')
      .option('--feed <name>', 'only on this feed (default: all feeds)')
      .option('--feed-group <name>', 'only on the feeds of this feed group')
      .option('--deny', 'a denial instead of a grant'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security permissions add --group Developers --task "Publish Packages" --feed Staging`,
  );
  act(command, (options: AddOptions) => runAdd(options));
}

function nonEmpty(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new CliError(`${option} must not be empty`);
  return value.trim();
}

/** The grant the options describe; throws (exit 2) on a malformed combination. */
export function permissionFromOptions(options: AddOptions): NewSecurityPermission {
  const user = nonEmpty(options.user, '--user');
  const group = nonEmpty(options.group, '--group');
  const task = nonEmpty(options.task, '--task');
  const feed = nonEmpty(options.feed, '--feed');
  const feedGroup = nonEmpty(options.feedGroup, '--feed-group');
  if (user !== undefined && group !== undefined)
    throw new CliError('--user and --group cannot both be given');
  if (user === undefined && group === undefined)
    throw new CliError('one of --user or --group is required');
  if (task === undefined) throw new CliError('--task is required');
  if (feed !== undefined && feedGroup !== undefined)
    throw new CliError('--feed and --feed-group cannot both be given');
  return {
    ...(user !== undefined && { user }),
    ...(group !== undefined && { group }),
    task,
    ...(feed !== undefined && { feed }),
    ...(feedGroup !== undefined && { feedGroup }),
    deny: options.deny === true,
  };
}

async function runAdd(options: AddOptions): Promise<number> {
  const permission = permissionFromOptions(options);
  const client = await remoteClient(options);
  const added = await remote(() => client.addPermission(permission));
  writeOut(
    `Added permission ${added.id} on ${client.url}: ${principalText(added)} · ${added.task} · ${scopeText(added)} (${added.deny ? 'deny' : 'grant'}).`,
  );
  return EXIT.OK;
}
