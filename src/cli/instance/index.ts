// `feedgate instance ...`: create and look after an instance's data dir.
import type { Command } from 'commander';
import { registerInstanceBackup } from './backup';
import { registerInstanceInit } from './init';
import { registerInstanceRestore } from './restore';

export function registerInstance(program: Command): void {
  const instance = program
    .command('instance')
    .description('create and look after the data dir of a feedgate instance');
  registerInstanceInit(instance);
  registerInstanceBackup(instance);
  registerInstanceRestore(instance);
}
