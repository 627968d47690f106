// Entry point of the `feedgate` command line (bundled into dist/cli/feedgate.cjs).
// Every failure ends in a one-line message and an exit code, never in a stack trace.
import { CommanderError } from 'commander';
import { CliError, EXIT, printError, writeErr } from './io';
import { createProgram } from './program';

function internalError(error: unknown): never {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const failedWrite = (error as NodeJS.ErrnoException | null)?.syscall === 'write';
  writeErr(`feedgate: ${failedWrite ? 'cannot write output' : 'internal error'}: ${message}`);
  process.exit(EXIT.INTERNAL);
}

/** Runs the command line and returns its exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv], { from: 'node' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every usage error (unknown option, missing argument, ...) is bad input.
      return error.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
    }
    if (error instanceof CliError) {
      printError(error);
      return error.exitCode;
    }
    return internalError(error);
  }
}

process.on('uncaughtException', internalError);
process.on('unhandledRejection', internalError);
// A closed pipe (`feedgate ... | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
  internalError(error);
});

void main(process.argv).then((code) => {
  process.exitCode = code;
});
