// `feedgate policy export --source S [--api-key K] [--output FILE] [--format json|yaml]`: the
// instance's active policy (v1 snapshot) written as a policy file, to stdout by default.
// Exit 0 written, 1 refused (access denied), 2 bad input, 3 network or internal error.
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { parsePolicy, PolicyError } from '../../core/index';
import { CliError, EXIT, act, writeErr, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from './remote';

interface ExportOptions extends SourceOptions {
  output?: string;
  format?: 'json' | 'yaml';
}

export function registerPolicyExport(policy: Command): void {
  const command = policy
    .command('export')
    .description("write an instance's active policy as a policy file (JSON or YAML)")
    .option('--source <nameOrUrl>', 'source name or http(s) URL (default: the source "Default")')
    .option('--api-key <key>', 'API key to use instead of the one stored for the source')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .addOption(
      new Option(
        '--format <format>',
        'json or yaml (default: from the --output extension, else json)',
      ).choices(['json', 'yaml']),
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 exported, 1 refused by the server (access denied), 2 bad input, 3 network or internal error.\n' +
        'Example:\n  feedgate policy export --source Default --output policy.yaml',
    );
  act(command, (options: ExportOptions) => runExport(options));
}

async function runExport(options: ExportOptions): Promise<number> {
  const format =
    options.format ??
    (options.output !== undefined && /\.ya?ml$/i.test(options.output) ? 'yaml' : 'json');
  if (options.output === '') throw new CliError('--output file name is empty');
  const client = await remoteClient(options);
  const snapshot = await remote(() => client.getSnapshot());
  try {
    parsePolicy(snapshot.policy);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    throw new CliError(`${client.url} sent a snapshot that is not a valid policy`, EXIT.INTERNAL);
  }
  const text =
    format === 'yaml'
      ? stringify(snapshot.policy)
      : `${JSON.stringify(snapshot.policy, null, 2)}\n`;
  if (options.output === undefined) {
    writeOut(text);
    return EXIT.OK;
  }
  try {
    writeFileSync(options.output, text);
  } catch (error) {
    throw new CliError(`cannot write "${options.output}": ${(error as Error).message}`);
  }
  writeErr(`Exported revision ${snapshot.revision} of ${client.url} to ${options.output}`);
  return EXIT.OK;
}
