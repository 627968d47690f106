// Lockout recovery from the desktop. An embedded instance is on this machine: stop it, reset
// it to the built-in directory with a new Admin password (`feedgate recover reset-directory`),
// start it again, and hand the password back once. A remote server's data dir is on another
// machine: the answer is the exact command to run there (docs/recovery.md).
import type { Connections } from './connections';
import { generatePassword } from './embedded-instance';

export type RecoveryResult =
  | { kind: 'embedded'; adminPassword: string; url: string }
  | { kind: 'remote'; host: string; command: string; explanation: string };

/** What recovery will do for a connection, before anything is done. */
export interface RecoveryPlan {
  kind: 'embedded' | 'remote';
  /** Where the instance runs: this machine (embedded) or the remote server's host name. */
  host: string;
  /** The command that resets the instance (run by the app, or by the admin on `host`). */
  command: string;
  /** For a remote server: what to put in place of DATA_DIR in the command. */
  fillIn?: string;
  /** What happens, in order. */
  steps: string[];
  /** What the reset changes and keeps (directories, grants, keys, sign-ins). */
  effects: string[];
}

const EFFECTS = [
  'The built-in directory becomes the active one; Admin is enabled, in Administrators, and allowed Administer (only what is missing is added).',
  'No directory, grant or API key is removed: the LDAP directory keeps its settings and bind password and becomes inactive; its grants apply again if it is switched back.',
  'API keys keep working, full-control system keys included; sign-ins of the LDAP directory’s users stop until it is active again.',
  'Admin’s old password stops working; the new one is shown once.',
];

export function recoveryPlan(connections: Connections, connectionId: string): RecoveryPlan {
  const record = connections.get(connectionId);
  if (record.kind === 'remote') {
    const host = new URL(record.url).hostname;
    return {
      kind: 'remote',
      host,
      command: 'feedgate recover reset-directory --data-dir DATA_DIR',
      fillIn:
        'DATA_DIR: the --data-dir that this server’s `feedgate server` runs with (the folder holding feedgate.db).',
      steps: [
        `Open a shell on ${host} as the account that owns the instance’s data dir.`,
        'Run the command; the server may keep running (the reset applies at its next request).',
        'Store the Admin password it prints: it is shown once.',
        'Sign in as Admin with it, repair the directory’s grants, then change the password.',
        'If this connection’s API key no longer works, create a new one as Admin and add the connection again.',
      ],
      effects: EFFECTS,
    };
  }
  return {
    kind: 'embedded',
    host: 'this computer',
    command: `feedgate recover reset-directory --data-dir ${record.dataDir as string}`,
    steps: [
      'Stop the embedded instance if it runs.',
      'Reset it to the built-in directory with a new, generated Admin password.',
      'Start it again.',
      'Show the new Admin password, once.',
    ],
    effects: EFFECTS,
  };
}

export async function recoverLockout(
  connections: Connections,
  connectionId: string,
): Promise<RecoveryResult> {
  const plan = recoveryPlan(connections, connectionId);
  if (plan.kind === 'remote') {
    return {
      kind: 'remote',
      host: plan.host,
      command: plan.command,
      explanation:
        `Run it on ${plan.host}, as the account that owns the instance's data dir ` +
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
