// Lockout recovery from the desktop. An embedded instance is on this machine: stop it, reset
// it to the built-in directory with a new Admin password (`feedgate recover reset-directory`),
// start it again, and hand the password back once. A remote server's data dir is on another
// machine: the answer is the exact command to run there (docs/recovery.md).
import type { Connections } from './connections';
import { generatePassword } from './embedded-instance';

export type RecoveryResult =
  | { kind: 'embedded'; adminPassword: string; url: string }
  | { kind: 'remote'; host: string; command: string; explanation: string };

export async function recoverLockout(
  connections: Connections,
  connectionId: string,
): Promise<RecoveryResult> {
  const record = connections.get(connectionId);
  if (record.kind === 'remote') {
    return {
      kind: 'remote',
      host: new URL(record.url).hostname,
      command: 'feedgate recover reset-directory --data-dir DATA_DIR',
      explanation:
        `Run it on ${new URL(record.url).hostname}, as the account that owns the instance's data dir ` +
        '(DATA_DIR: the --data-dir its `feedgate server` uses). It prints a new password for Admin ' +
        'once; then sign in as Admin and create a new API key for this connection.',
    };
  }
  const instance = connections.instance(connectionId);
  await instance.stop();
  const adminPassword = generatePassword();
  await instance.resetDirectory(adminPassword);
  const url = await instance.start();
  return { kind: 'embedded', adminPassword, url };
}
