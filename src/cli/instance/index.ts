// `feedgate instance ...`: create and look after an instance's data dir.
import type { Command } from 'commander';
import { registerInstanceInit } from './init';

export function registerInstance(program: Command): void {
  const instance = program
    .command('instance')
    .description('create and look after the data dir of a feedgate instance');
  registerInstanceInit(instance);
}
