// What the `security groups members` commands share: --group G (and --user U for add and
// remove), and reading the group to change (an unknown group is exit 1).
import type { Command } from 'commander';
import type { RemoteClient, SecurityGroup } from '../../../../workspace/remote-client';
import { withSource } from '../../../apikeys/common';
import { CliError, EXIT } from '../../../io';
import { remote, type SourceOptions } from '../../../policy/remote';
import { requiredText } from '../../common';

const groupOption = (command: Command) => command.option('--group <name>', 'the group');

export function withGroup(command: Command): Command {
  return withSource(groupOption(command));
}

export function withMember(command: Command): Command {
  return withSource(groupOption(command).option('--user <name>', 'the member user'));
}

export interface MemberOptions extends SourceOptions {
  group?: string;
  user?: string;
}

/** --group and --user, both required and non-empty (exit 2). */
export function memberOptions(options: MemberOptions): { group: string; user: string } {
  return {
    group: requiredText(options.group, '--group'),
    user: requiredText(options.user, '--user'),
  };
}

/** The group as the server holds it now; exit 1 when there is none of that name. */
export async function readGroup(client: RemoteClient, name: string): Promise<SecurityGroup> {
  const groups = await remote(() => client.listGroups());
  const group = groups.find((g) => g.name === name);
  if (group === undefined) throw new CliError(`no group "${name}" on ${client.url}`, EXIT.FAILED);
  return group;
}
