// `feedgate apikeys list [--source S] [--api-key K] [--json]`: every key of the instance with
// its type, name, scope, expiry, last use and revocation. Never a key's text.
import type { Command } from 'commander';
import { bold, json, table } from '../format';
import { EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';
import { EXIT_HELP, scopeText, withSource, withoutKey } from './common';

interface ListOptions extends SourceOptions {
  json?: boolean;
}

export function registerApiKeysList(apikeys: Command): void {
  const command = withSource(
    apikeys
      .command('list')
      .description("list the instance's API keys (never their text)")
      .option('--json', 'print the keys as JSON'),
  ).addHelpText('after', `${EXIT_HELP}\nExample:\n  feedgate apikeys list --source Default`);
  act(command, (options: ListOptions) => runList(options));
}

async function runList(options: ListOptions): Promise<number> {
  const client = await remoteClient(options);
  const keys = (await remote(() => client.listApiKeys())).map(withoutKey);
  if (options.json) {
    writeOut(json(keys));
    return EXIT.OK;
  }
  if (keys.length === 0) {
    writeOut(`No API keys on ${client.url}.`);
    return EXIT.OK;
  }
  const header = ['ID', 'TYPE', 'NAME', 'SCOPE', 'EXPIRES', 'LAST USED', 'REVOKED'];
  const rows = keys.map((k) => [
    String(k.id),
    k.type,
    k.displayName ?? '-',
    scopeText(k),
    k.expiration ?? 'never',
    k.lastUsed ?? '-',
    k.revoked ?? '-',
  ]);
  writeOut(table([header.map((h) => bold(h)), ...rows]));
  return EXIT.OK;
}
