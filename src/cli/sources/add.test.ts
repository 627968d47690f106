// `feedgate sources add`, run as a subprocess against the real keychain (gnome-keyring in a
// private D-Bus session); several commands and the checks share one session.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { feedgate, tempDir } from '../../../test/helpers/cli';
import {
  NO_KEYCHAIN_ENV,
  fileCount,
  filesContaining,
  useKeyring,
} from '../../../test/helpers/keyring';
import { KeytarKeychain } from '../../workspace/keychain';
import { readSources, resolveSource } from '../../workspace/sources';

const keyring = useKeyring();
const keychain = new KeytarKeychain();
const tmp = tempDir();
let count = 0;
const newDir = () => path.join(tmp.dir, `config-${++count}`);

afterAll(() => tmp.cleanup());

const inKeyring = (args: string[], dir?: string) =>
  feedgate(args, { ...keyring().env, ...(dir !== undefined && { FEEDGATE_CONFIG_DIR: dir }) });

describe('feedgate sources add', () => {
  it('stores the API key in the keychain only; add, list, resolve and remove in one session', async () => {
    const apiKey = 'Cli-Api-Key-Needle-31b7e0aa';
    const dir = path.join(keyring().home, '.config', 'feedgate'); // the default: ~/.config/feedgate
    const add = inKeyring([
      'sources',
      'add',
      '--name',
      'Default',
      '--url',
      'https://proget.example.org/',
      '--api-key',
      apiKey,
    ]);
    expect(add.stderr).toBe('');
    expect(add.stdout).toBe(
      'Added source "Default" (https://proget.example.org); its API key is in the OS keychain.\n',
    );
    expect(add.status).toBe(0);
    expect(statSync(path.join(dir, 'sources.json')).mode & 0o777).toBe(0o600);

    const resolved = await resolveSource(undefined, { dir, keychain });
    expect(resolved).toEqual({
      name: 'Default',
      url: 'https://proget.example.org',
      auth: 'api-key',
      apiKey,
    });
    const [source] = readSources(dir);
    expect(await keychain.get(source?.id as string)).toBe(apiKey);
    // Not in the config file, nor anywhere under HOME (gnome-keyring's files are encrypted).
    expect(fileCount(keyring().home)).toBeGreaterThanOrEqual(2);
    expect(filesContaining(keyring().home, apiKey)).toEqual([]);

    const list = inKeyring(['sources', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toBe(
      'NAME     URL                         AUTH\nDefault  https://proget.example.org  api key\n',
    );

    const remove = inKeyring(['sources', 'remove', '--name', 'default']);
    expect(remove.stdout).toBe('Removed source "Default" and its API key from the OS keychain.\n');
    expect(remove.status).toBe(0);
    expect(await keychain.get(source?.id as string)).toBeNull();
    expect(readSources(dir)).toEqual([]);
    for (const run of [add, list, remove]) expect(run.stdout + run.stderr).not.toContain(apiKey);
  });

  it('stores a password in the keychain and the user name in the file', async () => {
    const dir = newDir();
    const password = 'Cli-Password-Needle-8842';
    const args = 'sources add --name ci --url http://127.0.0.1:8624 --username bob --password';
    const r = inKeyring([...args.split(' '), password], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'Added source "ci" (http://127.0.0.1:8624); user bob, password in the OS keychain.\n',
    );
    expect(await resolveSource('ci', { dir, keychain })).toMatchObject({
      auth: 'password',
      username: 'bob',
      password,
    });
    expect(readFileSync(path.join(dir, 'sources.json'), 'utf8')).toContain('"username": "bob"');
    expect(filesContaining(dir, password)).toEqual([]);
  });

  it('without a reachable keychain: exit 2, says so, asks for --api-key on each call, writes nothing', () => {
    const home = path.join(tmp.dir, 'no-keychain-home');
    mkdirSync(home);
    const apiKey = 'No-Keychain-Needle-55aa';
    const r = feedgate(
      ['sources', 'add', '--name', 'Default', '--url', 'https://p.example', '--api-key', apiKey],
      {
        ...NO_KEYCHAIN_ENV,
        HOME: home,
        XDG_CONFIG_HOME: undefined,
        FEEDGATE_CONFIG_DIR: undefined,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'feedgate: no OS keychain is reachable (no D-Bus session bus). feedgate keeps API keys and ' +
        'passwords only in the OS keychain: on Linux a Secret Service (gnome-keyring or KWallet, ' +
        'unlocked, in a D-Bus session), on macOS the Keychain, on Windows the Credential Vault.\n' +
        'Nothing was saved: feedgate never writes an API key or password to a file. Pass --api-key ' +
        'on each call instead (you may add the source without them: feedgate sources add --name ' +
        'Default --url https://p.example).\n',
    );
    // No file at all (GLib may create an empty ~/.cache when libsecret is loaded).
    expect(fileCount(home)).toBe(0);
    expect(existsSync(path.join(home, '.config'))).toBe(false);

    // Without credentials a source needs no keychain.
    const dir = newDir();
    const plain = feedgate(['sources', 'add', '--name', 'Default', '--url', 'https://p.example'], {
      ...NO_KEYCHAIN_ENV,
      FEEDGATE_CONFIG_DIR: dir,
    });
    expect(plain.stdout).toBe('Added source "Default" (https://p.example) (no credentials).\n');
    expect(plain.status).toBe(0);
  });

  it('refuses bad input with exit 2, touching neither the file nor the keychain', () => {
    const dir = newDir();
    const add = (...args: string[]) =>
      inKeyring(['sources', 'add', '--name', 'p', '--url', 'https://p', ...args], dir);
    const cases: [string[], string][] = [
      [
        ['--api-key', 'k', '--username', 'u'],
        'give either --api-key or --username with --password, not both',
      ],
      [['--username', 'u'], '--username needs --password'],
      [['--password', 'p'], '--password needs --username'],
      [['--api-key', ''], '--api-key is empty'],
    ];
    for (const [args, message] of cases) {
      const r = add(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`feedgate: ${message}\n`);
    }
    const url = inKeyring(['sources', 'add', '--name', 'p', '--url', 'file:///etc'], dir);
    expect(url.status).toBe(2);
    expect(url.stderr).toBe(
      'feedgate: invalid url "file:///etc": must be an http or https URL, not file\n',
    );
    const missing = inKeyring(['sources', 'add', '--name', 'p'], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("required option '--url <url>' not specified");
    expect(existsSync(dir)).toBe(false);

    expect(add().status).toBe(0);
    const again = inKeyring(
      ['sources', 'add', '--name', 'P', '--url', 'https://q', '--api-key', 'dup-key'],
      dir,
    );
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(
      'feedgate: a source named "p" already exists (names ignore case); remove it first\n',
    );
    expect(readdirSync(dir)).toEqual(['sources.json']);
    expect(readSources(dir).map((s) => [s.name, s.url])).toEqual([['p', 'https://p']]);
  });
});
