// `feedgate recover reset-directory --data-dir DIR [--password P]`: the lockout recovery
// (docs/recovery.md). Works on the data dir directly, with or without a running server: the
// write is one SQLite transaction that a running server sees at its next request. Admin's
// password comes from the flag, else FEEDGATE_ADMIN_PASSWORD, else it is generated and
// printed once.
import path from 'node:path';
import type { Command } from 'commander';
import { InstanceError } from '../../server/instance/init';
import { liveLockHolder } from '../../server/instance/lock';
import {
  RecoveryRefused,
  resetDirectory,
  type ResetResult,
} from '../../server/recovery/reset-directory';
import { StoreError } from '../../server/store/index';
import { adminPasswordLines, chooseAdminPassword, PASSWORD_VARIABLE } from '../instance/init';
import { CliError, EXIT, act, writeOut } from '../io';

interface ResetOptions {
  dataDir: string;
  password?: string;
}

export function registerResetDirectory(recover: Command): void {
  const command = recover
    .command('reset-directory')
    .description(
      'make the built-in directory active and give Admin administration back, with a new password (locked out: see docs/recovery.md)',
    )
    .requiredOption('-d, --data-dir <dir>', 'data dir of the instance (on this machine)')
    .option(
      '--password <password>',
      `Admin's new password (else $${PASSWORD_VARIABLE}, else one is generated and shown once)`,
    )
    .addHelpText(
      'after',
      '\nMakes sure Admin exists, is enabled, is in Administrators, and that Administrators holds Administer globally;\n' +
        'deletes no directory, key or grant (except a global restriction on Admin itself that would still stop it).\n' +
        'Safe while `feedgate server` runs on the data dir: the change is one transaction the server sees at its next request.\n' +
        'Exit codes: 0 done, 1 refused (nothing changed), 2 bad input (no such data dir, not an instance, bad password), 3 internal error.\n' +
        'Example:\n  feedgate recover reset-directory --data-dir /var/lib/feedgate',
    );
  act(command, (options: ResetOptions) => runReset(options));
}

function report(dataDir: string, result: ResetResult): string[] {
  const lines = [
    `Reset the instance in ${dataDir} to directory "${result.directory}": ${result.changes.length === 0 ? 'it was already in place' : `${result.changes.length} change${result.changes.length === 1 ? '' : 's'}`} (policy revision ${result.revision}).`,
    ...result.changes.map((change) => `  - ${change}`),
    result.removedRestrictions.length === 0
      ? 'No grant, directory or API key was removed.'
      : `No directory or API key was removed; the only grants removed are the restrictions above, which stopped Admin from administering.`,
  ];
  if (!result.passwordChanged) lines.push('Admin password: unchanged (the one given already was).');
  lines.push(`Recorded in the audit log (entry ${result.auditId}).`);
  return lines;
}

async function runReset(options: ResetOptions): Promise<number> {
  const { password, source } = chooseAdminPassword(options.password, '--password');
  const dataDir = path.resolve(options.dataDir);
  let result: ResetResult;
  try {
    result = await resetDirectory(dataDir, password);
  } catch (error) {
    if (error instanceof RecoveryRefused) throw new CliError(error.message, EXIT.FAILED);
    if (error instanceof InstanceError || error instanceof StoreError) {
      const password = error.message.startsWith('invalid Admin password');
      throw new CliError(
        password && source !== null ? `${error.message} (from ${source})` : error.message,
        EXIT.BAD_INPUT,
      );
    }
    throw error;
  }
  const lines = report(dataDir, result);
  if (result.passwordChanged) lines.push(...adminPasswordLines(password, source));
  const server = liveLockHolder(dataDir);
  if (server)
    lines.push(
      `The running server (pid ${server.pid}) applies this at its next request: no restart needed.`,
    );
  writeOut(lines.join('\n'));
  return EXIT.OK;
}
