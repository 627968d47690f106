// Secrets (API keys, passwords) in the OS keychain through keytar: the Secret Service on
// Linux (gnome-keyring, KWallet), the Keychain on macOS, the Credential Vault on Windows.
// Service `feedgate`, account = the id of the source or connection. keytar is loaded on first
// use, so that a machine without it (or without a keychain) still runs everything else, and
// every way it can fail becomes one KeychainUnavailableError. No secret is ever part of an
// error message or a log line.
import { randomBytes } from 'node:crypto';

export const KEYCHAIN_SERVICE = 'feedgate';

/** Where secrets live. `account` is a source or connection id, never a secret. */
export interface Keychain {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when an entry was deleted, false when there was none. */
  delete(account: string): Promise<boolean>;
  /** True when a secret can be stored and read back now (a write probe, then its deletion). */
  available(): Promise<boolean>;
  /** Why no secret can be stored now (the probe of available()), or null when one can. */
  unavailableReason(): Promise<string | null>;
}

/** No OS keychain can be reached: the message says why and what to do. */
export class KeychainUnavailableError extends Error {
  constructor(
    /** Why, in a few words, for the user (no secret in it). */
    readonly reason: string,
  ) {
    super(
      `no OS keychain is reachable (${reason}). feedgate keeps API keys and passwords only in ` +
        'the OS keychain: on Linux a Secret Service (gnome-keyring or KWallet, unlocked, in a ' +
        'D-Bus session), on macOS the Keychain, on Windows the Credential Vault',
    );
    this.name = 'KeychainUnavailableError';
  }
}

/** The part of keytar that feedgate uses. */
export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const KNOWN_FAILURES: readonly [RegExp, string][] = [
  [/Cannot autolaunch D-Bus without X11 \$DISPLAY/i, 'no D-Bus session bus'],
  [/DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket/i, 'the D-Bus session bus is unreachable'],
  [
    /Object does not exist at path .*\/collection\/login/i,
    'the Secret Service has no unlocked login keyring',
  ],
  [/not provided by any \.service files/i, 'no Secret Service is installed (e.g. gnome-keyring)'],
  [/ServiceUnknown|org\.freedesktop\.secrets/i, 'no Secret Service answers on the session bus'],
  [/locked|cancel|dismissed/i, 'the keychain is locked or the unlock prompt was cancelled'],
];

/**
 * The few words of KeychainUnavailableError for a failure of keytar or of loading it. Any
 * text of the failure that could hold the secret is dropped.
 */
export function keychainFailureReason(error: unknown, secret?: string): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (
    code === 'MODULE_NOT_FOUND' ||
    code === 'ERR_MODULE_NOT_FOUND' ||
    /Cannot find (module|package)/i.test(text)
  ) {
    return "keytar's native module is not installed (run npm ci)";
  }
  if (code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|invalid ELF|\.node\b/i.test(text)) {
    return "keytar's native module cannot be loaded (rebuild it: npm rebuild keytar)";
  }
  for (const [pattern, reason] of KNOWN_FAILURES) if (pattern.test(text)) return reason;
  const firstLine = (text.split('\n')[0] ?? '').trim().slice(0, 200);
  if (firstLine === '' || (secret !== undefined && secret !== '' && firstLine.includes(secret))) {
    return 'the keychain refused the request';
  }
  return firstLine;
}

type Loader = () => Promise<KeytarModule>;

const loadKeytar: Loader = async () => {
  const loaded = (await import('keytar')) as KeytarModule & { default?: KeytarModule };
  return loaded.default ?? loaded;
};

/** The OS keychain through keytar (loaded lazily, once). */
export class KeytarKeychain implements Keychain {
  private module: KeytarModule | undefined;

  constructor(
    private readonly service: string = KEYCHAIN_SERVICE,
    private readonly load: Loader = loadKeytar,
  ) {}

  private async call<T>(run: (keytar: KeytarModule) => Promise<T>, secret?: string): Promise<T> {
    try {
      this.module ??= await this.load();
      return await run(this.module);
    } catch (error) {
      throw new KeychainUnavailableError(keychainFailureReason(error, secret));
    }
  }

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    return this.call((keytar) => keytar.getPassword(this.service, account));
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    if (secret === '') throw new Error('refusing to store an empty secret');
    return this.call((keytar) => keytar.setPassword(this.service, account, secret), secret);
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    return this.call((keytar) => keytar.deletePassword(this.service, account));
  }

  async available(): Promise<boolean> {
    return (await this.unavailableReason()) === null;
  }

  async unavailableReason(): Promise<string | null> {
    // Reading is not enough: a locked or missing collection reads as "no entry".
    const account = `feedgate-probe-${randomBytes(8).toString('hex')}`;
    const value = randomBytes(16).toString('hex');
    try {
      await this.set(account, value);
      const back = await this.get(account);
      await this.delete(account);
      return back === value ? null : 'a secret written to it did not read back';
    } catch (error) {
      if (error instanceof KeychainUnavailableError) return error.reason;
      throw error;
    }
  }
}

function checkAccount(account: string): void {
  if (account.trim() === '') throw new Error('keychain account must not be empty');
}
