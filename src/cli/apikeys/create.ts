// `feedgate apikeys create system|feed|personal [...]`: a new key. Its text is printed once
// (stdout) and never again: the server stores only its hash. Options are checked locally
// first: a malformed one is exit 2 and nothing is sent.
import type { Command } from 'commander';
import type { NewApiKeyInfo } from '../../workspace/remote-client';
import { CliError, EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';
import {
  EXIT_HELP,
  PERMISSIONS,
  parseExpiration,
  parseList,
  parsePermissions,
  scopeText,
  withSource,
} from './common';

interface CommonOptions extends SourceOptions {
  name?: string;
  description?: string;
  expiration?: string;
  json?: boolean;
}

interface SystemOptions extends CommonOptions {
  fullControl?: boolean;
  systemApis?: string;
}

interface FeedOptions extends CommonOptions {
  feed?: string;
  feedGroup?: string;
  permissions?: string;
}

interface PersonalOptions extends CommonOptions {
  user?: string;
}

function withCommon(command: Command): Command {
  return withSource(
    command
      .option('--name <name>', 'display name of the key')
      .option('--description <text>', 'what the key is for')
      .option('--expiration <iso>', 'ISO 8601 date or date-time (default: never expires)')
      .option('--json', 'print the new key and its description as JSON'),
  );
}

export function registerApiKeysCreate(apikeys: Command): void {
  const create = apikeys
    .command('create')
    .description('create an API key: system, feed or personal (its text is shown once)');

  const system = withCommon(
    create
      .command('system')
      .description('a system key: full control, or the named system APIs')
      .option('--full-control', 'every API, including the security API')
      .option('--system-apis <a,b>', 'the system APIs the key may call (comma-separated)'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate apikeys create system --full-control --name ci --source Default`,
  );
  act(system, (options: SystemOptions) => runCreate(options, systemFields(options)));

  const feed = withCommon(
    create
      .command('feed')
      .description('a feed key: package permissions on one feed or one feed group')
      .option('--feed <feed>', 'the feed')
      .option('--feed-group <group>', 'the feed group (instead of --feed)')
      .requiredOption('--permissions <list>', `comma-separated: ${PERMISSIONS.join(', ')}`),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate apikeys create feed --feed Production --permissions view,add --source Default`,
  );
  act(feed, (options: FeedOptions) => runCreate(options, feedFields(options)));

  const personal = withCommon(
    create
      .command('personal')
      .description('a personal key: acts as its user, never more')
      .requiredOption('--user <user>', 'the user of the active directory the key acts as'),
  ).addHelpText(
    'after',
    `${EXIT_HELP}\nExample:\n  feedgate apikeys create personal --user alice --source Default`,
  );
  act(personal, (options: PersonalOptions) => runCreate(options, personalFields(options)));
}

function nonEmpty(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') throw new CliError(`${option} must not be empty`);
  return text;
}

function systemFields(options: SystemOptions): () => NewApiKeyInfo {
  return () => {
    if (options.fullControl === true && options.systemApis !== undefined)
      throw new CliError('give either --full-control or --system-apis, not both');
    if (options.fullControl !== true && options.systemApis === undefined)
      throw new CliError('a system key needs --full-control or --system-apis a,b');
    return options.fullControl === true
      ? { type: 'system', fullControl: true }
      : { type: 'system', systemApis: parseList(options.systemApis as string, '--system-apis') };
  };
}

function feedFields(options: FeedOptions): () => NewApiKeyInfo {
  return () => {
    const feed = nonEmpty(options.feed, '--feed');
    const feedGroup = nonEmpty(options.feedGroup, '--feed-group');
    if (feed !== undefined && feedGroup !== undefined)
      throw new CliError('give either --feed or --feed-group, not both');
    if (feed === undefined && feedGroup === undefined)
      throw new CliError('a feed key needs --feed F or --feed-group G');
    const packagePermissions = parsePermissions(options.permissions ?? '');
    return {
      type: 'feed',
      ...(feed !== undefined ? { feed } : { feedGroup }),
      packagePermissions,
    };
  };
}

function personalFields(options: PersonalOptions): () => NewApiKeyInfo {
  return () => ({ type: 'personal', user: nonEmpty(options.user, '--user') });
}

async function runCreate(options: CommonOptions, fields: () => NewApiKeyInfo): Promise<number> {
  const info: NewApiKeyInfo = { ...fields() };
  const displayName = nonEmpty(options.name, '--name');
  if (displayName !== undefined) {
    if (displayName.length > 256) throw new CliError('--name must be at most 256 characters');
    info.displayName = displayName;
  }
  if (options.description !== undefined) {
    if (options.description.length > 2048)
      throw new CliError('--description must be at most 2048 characters');
    info.description = options.description;
  }
  if (options.expiration !== undefined) info.expiration = parseExpiration(options.expiration);
  const client = await remoteClient(options);
  const created = await remote(() => client.createApiKey(info));
  if (options.json) {
    writeOut(JSON.stringify(created, null, 2));
    return EXIT.OK;
  }
  writeOut(
    [
      `Created ${created.type} API key ${created.id} (${scopeText(created)}) on ${client.url}.`,
      `Key: ${created.key}`,
      'This key will not be shown again: store it now (e.g. feedgate sources add --api-key).',
    ].join('\n'),
  );
  return EXIT.OK;
}
