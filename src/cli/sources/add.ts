// `feedgate sources add --name N --url U [--api-key K | --username U --password P]`: a named
// server, as in pgutil. The API key or password goes to the OS keychain; when none is
// reachable the command says so (exit 2) and saves nothing: a secret is never written to a file.
import type { Command } from 'commander';
import { DEFAULT_SOURCE, addSource, type Credentials } from '../../workspace/sources';
import { CliError, EXIT, act, writeOut } from '../io';
import { asCliErrors } from './errors';

interface AddOptions {
  name: string;
  url: string;
  apiKey?: string;
  username?: string;
  password?: string;
}

export function registerSourcesAdd(sources: Command): void {
  const command = sources
    .command('add')
    .description('add a named source (server); its API key or password goes to the OS keychain')
    .requiredOption(
      '--name <name>',
      `name of the source (${DEFAULT_SOURCE} is used when --source is omitted)`,
    )
    .requiredOption('--url <url>', 'URL of the server (http or https)')
    .option('--api-key <key>', 'API key, stored in the OS keychain')
    .option('--username <name>', 'user name (with --password)')
    .option('--password <password>', 'password of --username, stored in the OS keychain')
    .addHelpText(
      'after',
      '\nExit codes: 0 added, 2 bad input, a name already in use or no OS keychain reachable, 3 internal error.\n' +
        `Example:\n  feedgate sources add --name ${DEFAULT_SOURCE} --url https://proget.example.org --api-key KEY`,
    );
  act(command, (options: AddOptions) => runAdd(options));
}

function credentials(options: AddOptions): Credentials {
  const { apiKey, username, password } = options;
  if (apiKey !== undefined && (username !== undefined || password !== undefined)) {
    throw new CliError('give either --api-key or --username with --password, not both');
  }
  if (apiKey !== undefined) {
    if (apiKey === '') throw new CliError('--api-key is empty');
    return { auth: 'api-key', apiKey };
  }
  if (username === undefined && password === undefined) return { auth: 'none' };
  if (username === undefined) throw new CliError('--password needs --username');
  if (password === undefined) throw new CliError('--username needs --password');
  if (username === '') throw new CliError('--username is empty');
  if (password === '') throw new CliError('--password is empty');
  return { auth: 'password', username, password };
}

async function runAdd(options: AddOptions): Promise<number> {
  const creds = credentials(options);
  const secretFlags = creds.auth === 'password' ? '--username and --password' : '--api-key';
  const source = await asCliErrors(
    () => addSource({ name: options.name, url: options.url, ...creds }),
    'Nothing was saved: feedgate never writes an API key or password to a file. ' +
      `Pass ${secretFlags} on each call instead (you may add the source without them: ` +
      `feedgate sources add --name ${options.name} --url ${options.url}).`,
  );
  const stored =
    source.auth === 'api-key'
      ? '; its API key is in the OS keychain'
      : source.auth === 'password'
        ? `; user ${source.username}, password in the OS keychain`
        : ' (no credentials)';
  writeOut(`Added source "${source.name}" (${source.url})${stored}.`);
  return EXIT.OK;
}
