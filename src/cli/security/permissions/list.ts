// `feedgate security permissions list [--source S] [--api-key K] [--json]`: every grant.
import type { Command } from 'commander';
import type { SecurityPermission } from '../../../workspace/remote-client';
import { EXIT_HELP, withSource } from '../../apikeys/common';
import { bold, json, table } from '../../format';
import { EXIT, act, writeOut } from '../../io';
import { remote, remoteClient, type SourceOptions } from '../../policy/remote';

interface ListOptions extends SourceOptions {
  json?: boolean;
}

export function registerPermissionsList(permissions: Command): void {
  const command = withSource(
    permissions
      .command('list')
      .description("list the instance's grants")
      .option('--json', 'print the grants as JSON'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate security permissions list --source Default`,
  );
  act(command, (options: ListOptions) => runList(options));
}

export function principalText(p: SecurityPermission): string {
  return p.user !== undefined ? `user ${p.user}` : `group ${p.group ?? '?'}`;
}

export function scopeText(p: SecurityPermission): string {
  if (p.feed !== undefined) return `feed ${p.feed}`;
  if (p.feedGroup !== undefined) return `feed group ${p.feedGroup}`;
  return 'all feeds';
}

async function runList(options: ListOptions): Promise<number> {
  const client = await remoteClient(options);
  const grants = await remote(() => client.listPermissions());
  if (options.json) {
    writeOut(json(grants));
    return EXIT.OK;
  }
  if (grants.length === 0) {
    writeOut(`No permissions on ${client.url}.`);
    return EXIT.OK;
  }
  const header = ['ID', 'PRINCIPAL', 'TASK', 'SCOPE', 'EFFECT'];
  const rows = grants.map((p) => [
    String(p.id),
    principalText(p),
    p.task,
    scopeText(p),
    p.deny ? 'deny' : 'grant',
  ]);
  writeOut(table([header.map((h) => bold(h)), ...rows]));
  return EXIT.OK;
}
