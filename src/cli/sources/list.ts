// `feedgate sources list [--json]`: the named sources with their URL and how they
// authenticate. Reads only the config file: no secret is read, none is ever printed.
import type { Command } from 'commander';
import { readSources, sourcesFile, type Source } from '../../workspace/sources';
import { bold, json, table } from '../format';
import { EXIT, act, writeOut } from '../io';
import { asCliErrors } from './errors';

export function registerSourcesList(sources: Command): void {
  const command = sources
    .command('list')
    .description('list the named sources: name, URL and kind of credentials (never a secret)')
    .option('--json', 'print the sources as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 listed (also when there is none), 2 invalid sources file, 3 internal error.',
    );
  act(command, (options: { json?: boolean }) => runList(options));
}

function authText(source: Source): string {
  if (source.auth === 'api-key') return 'api key';
  if (source.auth === 'password') return `username ${source.username}`;
  return 'none';
}

async function runList(options: { json?: boolean }): Promise<number> {
  const sources = await asCliErrors(async () => readSources(), '');
  if (options.json) {
    const items = sources.map(({ name, url, auth, username }) => ({
      name,
      url,
      auth,
      ...(username !== undefined && { username }),
    }));
    writeOut(json({ sources: items }));
  } else if (sources.length === 0) {
    writeOut(
      `No sources in ${sourcesFile()}. Add one with: feedgate sources add --name Default --url URL --api-key KEY`,
    );
  } else {
    const rows = sources.map((s) => [s.name, s.url, authText(s)]);
    writeOut(table([['NAME', 'URL', 'AUTH'].map((h) => bold(h)), ...rows]));
  }
  return EXIT.OK;
}
