// `feedgate apikeys ...`: an instance's API keys over HTTP (/api/api-keys/), in pgutil's habits.
import type { Command } from 'commander';
import { registerApiKeysCreate } from './create';
import { registerApiKeysDelete } from './delete';
import { registerApiKeysList } from './list';

export function registerApiKeys(program: Command): void {
  const apikeys = program
    .command('apikeys')
    .description("list, create and revoke an instance's API keys (system, feed, personal)");
  registerApiKeysList(apikeys);
  registerApiKeysCreate(apikeys);
  registerApiKeysDelete(apikeys);
}
