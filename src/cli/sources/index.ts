// `feedgate sources ...`: named servers with their credentials, in pgutil's habits.
import type { Command } from 'commander';
import { registerSourcesAdd } from './add';
import { registerSourcesList } from './list';
import { registerSourcesRemove } from './remove';

export function registerSources(program: Command): void {
  const sources = program
    .command('sources')
    .description('named sources (servers): API keys and passwords kept in the OS keychain');
  registerSourcesAdd(sources);
  registerSourcesList(sources);
  registerSourcesRemove(sources);
}
