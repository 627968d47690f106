// `feedgate security users list [--search T] [--json]`: the built-in users (never a password).
import type { Command } from 'commander';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { bold, json, table } from '../../format';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';

interface ListOptions extends SourceOptions {
  search?: string;
  json?: boolean;
}

export function registerUsersList(users: Command): void {
  const command = withSource(
    users
      .command('list')
      .description("list the instance's built-in users")
      .option('--search <text>', 'only users whose name, display name or email holds it')
      .option('--json', 'print the users as JSON'),
  ).addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate security users list --source Default`);
  act(command, (options: ListOptions) => runList(options));
}

async function runList(options: ListOptions): Promise<number> {
  const client = await remoteClient(options);
  const users = await remote(() => client.listUsers(options.search));
  if (options.json) {
    writeOut(json(users));
    return EXIT.OK;
  }
  if (users.length === 0) {
    writeOut(`No users on ${client.url}.`);
    return EXIT.OK;
  }
  const header = ['NAME', 'DISPLAY NAME', 'EMAIL', 'GROUPS'];
  const rows = users.map((u) => [
    u.name,
    u.displayName ?? '-',
    u.email ?? '-',
    (u.groups ?? []).join(',') || '-',
  ]);
  writeOut(table([header.map((h) => bold(h)), ...rows]));
  return EXIT.OK;
}
