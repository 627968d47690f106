// `feedgate security groups members remove --group G --user U`: reads the group and posts its
// member list without U (groups/update replaces the whole list). Not a member: nothing is
// written, exit 0.
import type { Command } from 'commander';
import { EXIT_HELP } from '../../../apikeys/common';
import { EXIT, act, writeOut } from '../../../io';
import { remote, remoteClient } from '../../../policy/remote';
import { memberOptions, readGroup, withMember, type MemberOptions } from './common';

export function registerMembersRemove(members: Command): void {
  const command = withMember(
    members.command('remove').description('remove a user from a group'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nNot a member: nothing is written, exit 0.\nExample:\n  feedgate security groups members remove --group Developers --user alice`,
  );
  act(command, (options: MemberOptions) => runRemove(options));
}

async function runRemove(options: MemberOptions): Promise<number> {
  const { group: name, user } = memberOptions(options);
  const client = await remoteClient(options);
  const group = await readGroup(client, name);
  if (!group.users.includes(user)) {
    writeOut(`${user} is not a member of ${name} on ${client.url}: nothing changed.`);
    return EXIT.OK;
  }
  await remote(() => client.updateGroup({ name, users: group.users.filter((u) => u !== user) }));
  writeOut(`Removed ${user} from group ${name} on ${client.url}.`);
  return EXIT.OK;
}
