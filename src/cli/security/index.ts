// `feedgate security ...`: an instance's grants, built-in users, groups and tasks over the
// ProGet-compatible security API (/api/security/), in pgutil's habits.
import type { Command } from 'commander';
import { registerGroupsCreate } from './groups/create';
import { registerGroupsDelete } from './groups/delete';
import { registerGroupsList } from './groups/list';
import { registerMembersAdd } from './groups/members/add';
import { registerMembersList } from './groups/members/list';
import { registerMembersRemove } from './groups/members/remove';
import { registerPermissionsAdd } from './permissions/add';
import { registerPermissionsList } from './permissions/list';
import { registerPermissionsRemove } from './permissions/remove';
import { registerAttributesList } from './tasks/attributes/list';
import { registerTasksCreate } from './tasks/create';
import { registerTasksDelete } from './tasks/delete';
import { registerTasksList } from './tasks/list';
import { registerUsersCreate } from './users/create';
import { registerUsersDelete } from './users/delete';
import { registerUsersEdit } from './users/edit';
import { registerUsersList } from './users/list';
import { registerUsersShow } from './users/show';

export function registerSecurity(program: Command): void {
  const security = program
    .command('security')
    .description("an instance's permissions (grants), built-in users, groups and tasks, over HTTP");
  const permissions = security
    .command('permissions')
    .description('list, add and remove grants (user or group, task, feed or feed group)');
  registerPermissionsList(permissions);
  registerPermissionsAdd(permissions);
  registerPermissionsRemove(permissions);
  const users = security
    .command('users')
    .description('list, show, create, edit and delete built-in users (passwords are write-only)');
  registerUsersList(users);
  registerUsersShow(users);
  registerUsersCreate(users);
  registerUsersEdit(users);
  registerUsersDelete(users);
  const groups = security
    .command('groups')
    .description('list, create and delete groups, and change their members');
  registerGroupsList(groups);
  registerGroupsCreate(groups);
  registerGroupsDelete(groups);
  const members = groups
    .command('members')
    .description("list, add and remove a group's member users");
  registerMembersList(members);
  registerMembersAdd(members);
  registerMembersRemove(members);
  const tasks = security
    .command('tasks')
    .description('list, create and delete tasks (named sets of attributes), list attributes');
  registerTasksList(tasks);
  registerTasksCreate(tasks);
  registerTasksDelete(tasks);
  registerAttributesList(
    tasks.command('attributes').description('the attributes tasks are made of'),
  );
}
