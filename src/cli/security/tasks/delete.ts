// `feedgate security tasks delete --task T`: the server refuses a built-in task or a task
// still used by a grant (exit 1, with its message).
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';
import { nameOf, withName, type NameOptions } from '../common';

interface DeleteOptions extends SourceOptions, NameOptions<'task'> {}

export function registerTasksDelete(tasks: Command): void {
  const command = withSource(
    withName(
      tasks.command('delete').description('delete a task (not a built-in one, nor one in use)'),
      'task',
    ),
  ).addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate security tasks delete --task Readers`);
  act(command, (options: DeleteOptions) => runDelete(options));
}

async function runDelete(options: DeleteOptions): Promise<number> {
  const name = nameOf(options, 'task');
  const client = await remoteClient(options);
  await remote(() => client.deleteTask(name));
  writeOut(`Deleted task ${name} on ${client.url} (nothing changes if it did not exist).`);
  return EXIT.OK;
}
