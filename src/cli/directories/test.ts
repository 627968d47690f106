// `feedgate directories test --name N [--user U [--password P]] [--json]`: binds with the
// service account, looks the user up and reports their groups, and with a password tries
// their sign-in. Changes nothing. Exit 0 when every step passed, 1 otherwise.
import type { Command } from 'commander';
import type { DirectoryTestResult } from '../../workspace/remote-client';
import { CliError, EXIT, act, writeOut } from '../io';
import { remote, remoteClient, type SourceOptions } from '../policy/remote';
import { EXIT_HELP, findDirectory, withName, withSource } from './common';

interface TestOptions extends SourceOptions {
  name: string;
  user?: string;
  password?: string;
  json?: boolean;
}

export function registerDirectoriesTest(directories: Command): void {
  const command = withSource(
    withName(directories.command('test'), 'the LDAP directory')
      .option('--user <name>', 'a user to look up (their groups are shown)')
      .option('--password <password>', "the user's password, to try their sign-in")
      .option('--json', 'print the result as JSON'),
  )
    .description('try an LDAP directory before activating it: bind, look up a user, sign in')
    .addHelpText(
      'after',
      `${EXIT_HELP.replace('1 refused by the server', '1 a step failed or refused by the server')}\nExample:\n  feedgate directories test --name Corp --user alice`,
    );
  act(command, (options: TestOptions) => runTest(options));
}

function report(result: DirectoryTestResult): string[] {
  const lines: string[] = [];
  if (result.connection)
    lines.push(
      `Connection: ok (${result.connection.url}, security: ${result.connection.security})`,
    );
  if (result.user && !result.user.found) lines.push(`User "${result.user.name}": not found`);
  else if (result.user) {
    lines.push(`User "${result.user.name}": ${result.user.dn ?? ''}`);
    const groups = result.user.groups ?? [];
    lines.push(`Groups (${groups.length}): ${groups.join(', ') || '-'}`);
  }
  if (result.signIn)
    lines.push(
      result.signIn.ok
        ? 'Sign-in: ok'
        : `Sign-in: refused (${result.signIn.message ?? result.signIn.code ?? ''})`,
    );
  if (result.error) lines.push(`Failed (${result.error.code}): ${result.error.message}`);
  return lines;
}

async function runTest(options: TestOptions): Promise<number> {
  if (options.password !== undefined && options.user === undefined)
    throw new CliError('--password needs --user');
  const client = await remoteClient(options);
  const directory = await findDirectory(client, options.name);
  if (directory.type !== 'ldap')
    throw new CliError(
      `"${directory.name}" is the built-in directory: there is nothing to test`,
      EXIT.FAILED,
    );
  const result = await remote(() =>
    client.testDirectory(options.name, {
      ...(options.user !== undefined && { user: options.user }),
      ...(options.password !== undefined && { password: options.password }),
    }),
  );
  writeOut(options.json === true ? JSON.stringify(result, null, 2) : report(result).join('\n'));
  return result.ok ? EXIT.OK : EXIT.FAILED;
}
