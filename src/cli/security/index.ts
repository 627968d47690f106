// `feedgate security ...`: an instance's grants and built-in users over the ProGet-compatible
// security API (/api/security/), in pgutil's habits.
import type { Command } from 'commander';
import { registerPermissionsAdd } from './permissions/add';
import { registerPermissionsList } from './permissions/list';
import { registerPermissionsRemove } from './permissions/remove';
import { registerUsersCreate } from './users/create';
import { registerUsersDelete } from './users/delete';
import { registerUsersEdit } from './users/edit';
import { registerUsersList } from './users/list';
import { registerUsersShow } from './users/show';

export function registerSecurity(program: Command): void {
  const security = program
    .command('security')
    .description("an instance's permissions (grants) and built-in users, over HTTP");
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
}
