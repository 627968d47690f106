// `feedgate recover ...`: repairs run on the instance's machine against its data dir, for when
// nobody can administer the instance over its API any more.
import type { Command } from 'commander';
import { registerResetDirectory } from './reset-directory';

export function registerRecover(program: Command): void {
  const recover = program
    .command('recover')
    .description(
      'repair an instance on its own machine (data dir access, no API): see docs/recovery.md',
    );
  registerResetDirectory(recover);
}
