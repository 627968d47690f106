// `feedgate policy import FILE --source S [--api-key K] [--dry-run] [--allow-lockout]`: makes
// the instance's active policy equal to FILE. The change set is diffPolicies(server, FILE);
// the structural and the access diff are printed, then (without --dry-run) the change set is
// posted with If-Match of the snapshot's revision, so a concurrent write is never overwritten.
// Exit 0 imported (or nothing to do, or dry run), 1 refused (lockout, changed since read,
// access denied), 2 bad input (nothing sent), 3 network or internal error.
import type { Command } from 'commander';
import { PolicyError, accessDiff, diffPolicies, parsePolicy, type Policy } from '../../core/index';
import { CliError, EXIT, act, readPolicyFile, writeOut } from '../io';
import { formatPolicyDiff } from './diff';
import { remote, remoteClient, type SourceOptions } from './remote';

interface ImportOptions extends SourceOptions {
  dryRun?: boolean;
  allowLockout?: boolean;
}

export function registerPolicyImport(policy: Command): void {
  const command = policy
    .command('import')
    .description("make an instance's active policy equal to FILE (shows the diff first)")
    .argument('<file>', 'policy file (JSON or YAML)')
    .option('--source <nameOrUrl>', 'source name or http(s) URL (default: the source "Default")')
    .option('--api-key <key>', 'API key to use instead of the one stored for the source')
    .option('--dry-run', 'print the diff and the access diff; change nothing')
    .option('--allow-lockout', 'apply even if no user could administer the instance afterwards')
    .addHelpText(
      'after',
      '\nExit codes: 0 imported (or nothing to change, or --dry-run), 1 refused by the server\n' +
        '(lockout, the policy changed since it was read, access denied), 2 bad input (nothing sent),\n' +
        '3 network or internal error.\n' +
        'Example:\n  feedgate policy import policy.yaml --source Default --dry-run',
    );
  act(command, (file: string, options: ImportOptions) => runImport(file, options));
}

async function runImport(file: string, options: ImportOptions): Promise<number> {
  const wanted = readPolicyFile(file);
  const client = await remoteClient(options);
  const snapshot = await remote(() => client.getSnapshot());
  let current: Policy;
  try {
    current = parsePolicy(snapshot.policy);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    throw new CliError(`${client.url} sent a snapshot that is not a valid policy`, EXIT.INTERNAL);
  }
  const structural = diffPolicies(current, wanted);
  writeOut(formatPolicyDiff(structural, accessDiff(current, wanted)));
  if (structural.directory)
    writeOut(
      `\nNote: ${file} names directory "${structural.directory.to}"; it is imported into the ` +
        `instance's active directory "${structural.directory.from}".`,
    );
  const operations = structural.changeSet.operations.length;
  if (options.dryRun) {
    writeOut(`\nDry run: nothing changed (${client.url} is at revision ${snapshot.revision}).`);
    return EXIT.OK;
  }
  if (operations === 0) {
    writeOut(
      `\nNothing to import: ${client.url} already holds this policy (revision ${snapshot.revision}).`,
    );
    return EXIT.OK;
  }
  const result = await remote(() =>
    client.postChanges(structural.changeSet, snapshot.revision, {
      ...(options.allowLockout === true && { allowLockout: true }),
    }),
  );
  writeOut(
    `\nImported ${operations} operation${operations === 1 ? '' : 's'}: revision ${snapshot.revision} → ${result.revision}.`,
  );
  return EXIT.OK;
}
