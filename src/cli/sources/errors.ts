// Errors of the sources store and of the keychain, as the command line reports them (exit 2).
import { KeychainUnavailableError } from '../../workspace/keychain';
import { SourcesError } from '../../workspace/sources';
import { CliError, EXIT } from '../io';

/** Runs `work`; a sources or keychain failure becomes a CliError whose message ends in `then`. */
export async function asCliErrors<T>(work: () => Promise<T>, then: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SourcesError) throw new CliError(error.message, EXIT.BAD_INPUT);
    if (error instanceof KeychainUnavailableError) {
      throw new CliError(`${error.message}.\n${then}`, EXIT.BAD_INPUT);
    }
    throw error;
  }
}
