// The `feedgate` command tree. Commander's own usage errors are thrown (exitOverride) so
// that the entry point can map them to exit code 2; --help and --version exit 0.
import { Command } from 'commander';
import { registerApiKeys } from './apikeys/index';
import { registerDirectories } from './directories/index';
import { registerFeeds } from './feeds/index';
import { registerInstance } from './instance/index';
import { registerPolicy } from './policy/index';
import { registerRecover } from './recover/index';
import { registerSecurity } from './security/index';
import { registerServer } from './server';
import { registerSources } from './sources/index';
import { APP_VERSION } from '../shared/app-info';

export function createProgram(): Command {
  const program = new Command('feedgate');
  program
    .description('Administer the security policy of package feeds (ProGet/MyGet model).')
    .version(APP_VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`feedgate: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 success/allowed, 1 denied or failed, 2 bad input, 3 server unreachable or internal error.',
    );
  registerPolicy(program);
  registerInstance(program);
  registerServer(program);
  registerSources(program);
  registerApiKeys(program);
  registerDirectories(program);
  registerSecurity(program);
  registerFeeds(program);
  registerRecover(program);
  return program;
}
