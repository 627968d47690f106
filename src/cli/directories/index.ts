// `feedgate directories ...`: an instance's user directories (built-in and LDAP) over the v1
// API (/api/feedgate/v1/directories): list, show, add, edit, remove, test and activate.
import type { Command } from 'commander';
import { registerDirectoriesActivate } from './activate';
import { registerDirectoriesAdd } from './add';
import { registerDirectoriesEdit } from './edit';
import { registerDirectoriesList } from './list';
import { registerDirectoriesRemove } from './remove';
import { registerDirectoriesShow } from './show';
import { registerDirectoriesTest } from './test';

export function registerDirectories(program: Command): void {
  const directories = program
    .command('directories')
    .description("an instance's user directories (built-in, LDAP): add, test, activate, ...");
  registerDirectoriesList(directories);
  registerDirectoriesShow(directories);
  registerDirectoriesAdd(directories);
  registerDirectoriesEdit(directories);
  registerDirectoriesRemove(directories);
  registerDirectoriesTest(directories);
  registerDirectoriesActivate(directories);
}
