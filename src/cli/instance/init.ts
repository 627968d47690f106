// `feedgate instance init --data-dir DIR [--admin-password P]`: creates an instance. Admin's
// password comes from the flag, else FEEDGATE_ADMIN_PASSWORD, else it is generated and printed
// once. A given password is never printed; none is ever a default.
import path from 'node:path';
import type { Command } from 'commander';
import { generatePassword } from '../../server/auth/passwords';
import {
  ADMINISTER,
  ADMINISTRATORS,
  ADMIN_USER,
  InstanceError,
  initInstance,
} from '../../server/instance/init';
import { StoreError } from '../../server/store/index';
import { CliError, EXIT, act, writeOut } from '../io';

export const PASSWORD_VARIABLE = 'FEEDGATE_ADMIN_PASSWORD';

interface InitOptions {
  dataDir: string;
  adminPassword?: string;
}

export function registerInstanceInit(instance: Command): void {
  const command = instance
    .command('init')
    .description(
      `create an instance: built-in directory, user ${ADMIN_USER} in ${ADMINISTRATORS} holding ${ADMINISTER}, built-in tasks`,
    )
    .requiredOption('-d, --data-dir <dir>', 'data dir to create (refused if it holds an instance)')
    .option(
      '--admin-password <password>',
      `password of ${ADMIN_USER} (else $${PASSWORD_VARIABLE}, else one is generated and shown once)`,
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 created, 2 bad input (or already initialized), 3 internal error.\n' +
        `Example:\n  ${PASSWORD_VARIABLE}=... feedgate instance init --data-dir /var/lib/feedgate`,
    );
  act(command, (options: InitOptions) => runInit(options));
}

/** Admin's password: the flag's value, else $FEEDGATE_ADMIN_PASSWORD, else generated (source null). */
export function chooseAdminPassword(
  flagValue: string | undefined,
  flag: string,
): { password: string; source: string | null } {
  if (flagValue !== undefined) return { password: flagValue, source: flag };
  const fromEnv = process.env[PASSWORD_VARIABLE];
  if (fromEnv !== undefined) return { password: fromEnv, source: PASSWORD_VARIABLE };
  return { password: generatePassword(), source: null };
}

/** How a command reports Admin's password: a generated one once, a given one never. */
export function adminPasswordLines(password: string, source: string | null): string[] {
  return source === null
    ? [
        `${ADMIN_USER} password (generated): ${password}`,
        'This password will not be shown again: store it now in a safe place.',
      ]
    : [`${ADMIN_USER} password: the one given by ${source} (not shown).`];
}

async function runInit(options: InitOptions): Promise<number> {
  const { password, source } = chooseAdminPassword(options.adminPassword, '--admin-password');
  const dataDir = path.resolve(options.dataDir);
  try {
    const result = await initInstance(dataDir, password);
    const lines = [
      `Initialized a feedgate instance in ${dataDir} (database ${path.basename(result.databaseFile)}, policy revision ${result.revision}).`,
      `User ${ADMIN_USER} is in group ${ADMINISTRATORS}, which holds ${ADMINISTER} globally.`,
    ];
    writeOut([...lines, ...adminPasswordLines(password, source)].join('\n'));
    return EXIT.OK;
  } catch (error) {
    if (error instanceof InstanceError || error instanceof StoreError) {
      const from = source === null ? '' : ` (from ${source})`;
      const message = error.message.startsWith('invalid Admin password')
        ? `${error.message}${from}`
        : error.message;
      throw new CliError(message, EXIT.BAD_INPUT);
    }
    throw error;
  }
}
