// The keytar keychain against the real Secret Service: gnome-keyring in a private D-Bus session.
import { describe, expect, it } from 'vitest';
import { requireKeyringPrograms, useKeyring } from '../../test/helpers/keyring';
import {
  KEYCHAIN_SERVICE,
  KeychainUnavailableError,
  KeytarKeychain,
  keychainFailureReason,
} from './keychain';

useKeyring();

describe('KeytarKeychain (real Secret Service)', () => {
  it('stores, reads, replaces and deletes a secret under service feedgate', async () => {
    const keychain = new KeytarKeychain();
    expect(KEYCHAIN_SERVICE).toBe('feedgate');
    expect(await keychain.available()).toBe(true);
    expect(await keychain.unavailableReason()).toBeNull();
    expect(await keychain.get('connection-1')).toBeNull();
    await keychain.set('connection-1', 'first-secret-Ω');
    expect(await keychain.get('connection-1')).toBe('first-secret-Ω');
    await keychain.set('connection-1', 'second-secret');
    expect(await keychain.get('connection-1')).toBe('second-secret');
    expect(await keychain.delete('connection-1')).toBe(true);
    expect(await keychain.get('connection-1')).toBeNull();
    expect(await keychain.delete('connection-1')).toBe(false);
  });

  it('keeps accounts and services apart', async () => {
    const feedgate = new KeytarKeychain();
    const other = new KeytarKeychain('feedgate-other-service');
    await feedgate.set('a', 'secret-a');
    await feedgate.set('b', 'secret-b');
    expect(await other.get('a')).toBeNull();
    expect(await feedgate.get('a')).toBe('secret-a');
    expect(await feedgate.get('b')).toBe('secret-b');
    await feedgate.delete('a');
    expect(await feedgate.get('b')).toBe('secret-b');
    await feedgate.delete('b');
  });

  it('refuses an empty account or secret without touching the keychain', async () => {
    const keychain = new KeytarKeychain();
    await expect(keychain.set(' ', 'x')).rejects.toThrow('keychain account must not be empty');
    await expect(keychain.set('a', '')).rejects.toThrow('refusing to store an empty secret');
    await expect(keychain.get('')).rejects.not.toBeInstanceOf(KeychainUnavailableError);
  });

  it('turns a keytar that cannot be loaded into KeychainUnavailableError', async () => {
    const missing = new KeytarKeychain('feedgate', () => import('keytar-not-installed' as string));
    const error = await missing.get('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeychainUnavailableError);
    expect((error as Error).message).toMatch(
      /^no OS keychain is reachable \(keytar's native module is not installed \(run npm ci\)\)\. /,
    );
    expect(await missing.available()).toBe(false);
    expect(await missing.unavailableReason()).toBe(
      "keytar's native module is not installed (run npm ci)",
    );
  });
});

describe('the keychain fixture', () => {
  it('fails loudly, naming the Debian packages, when its programs are missing', () => {
    expect(() => requireKeyringPrograms('/nonexistent')).toThrow(
      'the keychain tests need a real Secret Service, but dbus-run-session (Debian package ' +
        'dbus-daemon (pulled in by dbus-x11)) and gnome-keyring-daemon (Debian package ' +
        'gnome-keyring) are missing: install with `apt-get install libsecret-1-dev ' +
        'gnome-keyring dbus-x11` (scripts/setup.sh does it)',
    );
  });
});

describe('keychainFailureReason', () => {
  it('names each known failure in a few words', () => {
    const reason = (message: string) => keychainFailureReason(new Error(message));
    expect(reason('Cannot autolaunch D-Bus without X11 $DISPLAY')).toBe('no D-Bus session bus');
    expect(
      reason('Object does not exist at path “/org/freedesktop/secrets/collection/login”'),
    ).toBe('the Secret Service has no unlocked login keyring');
    expect(reason('The name org.freedesktop.secrets was not provided by any .service files')).toBe(
      'no Secret Service is installed (e.g. gnome-keyring)',
    );
    expect(
      keychainFailureReason(Object.assign(new Error('x'), { code: 'ERR_DLOPEN_FAILED' })),
    ).toMatch(/cannot be loaded/);
  });

  it('never repeats a message that holds the secret', () => {
    const secret = 'hunter2-very-secret';
    expect(keychainFailureReason(new Error(`odd failure storing ${secret}`), secret)).toBe(
      'the keychain refused the request',
    );
    expect(new KeychainUnavailableError('x').message).not.toContain(secret);
  });
});
