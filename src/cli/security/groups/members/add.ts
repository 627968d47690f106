// `feedgate security groups members add --group G --user U`: reads the group and posts its
// member list with U added (groups/update replaces the whole list). Already a member: nothing
// is written, exit 0.
import type { Command } from 'commander';
import { EXIT_HELP } from '../../../apikeys/common';
import { EXIT, act, writeOut } from '../../../io';
import { remote, remoteClient } from '../../../policy/remote';
import { memberOptions, readGroup, withMember, type MemberOptions } from './common';

export function registerMembersAdd(members: Command): void {
  const command = withMember(
    members.command('add').description('add a user to a group'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nAlready a member: nothing is written, exit 0.\nExample:\n  feedgate security groups members add --group Developers --user alice`,
  );
  act(command, (options: MemberOptions) => runAdd(options));
}

async function runAdd(options: MemberOptions): Promise<number> {
  const { group: name, user } = memberOptions(options);
  const client = await remoteClient(options);
  const group = await readGroup(client, name);
  if (group.users.includes(user)) {
    writeOut(`${user} is already a member of ${name} on ${client.url}: nothing changed.`);
    return EXIT.OK;
  }
  await remote(() => client.updateGroup({ name, users: [...group.users, user] }));
  writeOut(`Added ${user} to group ${name} on ${client.url}.`);
  return EXIT.OK;
}
