// `feedgate sources remove`, run as a subprocess against the real keychain (gnome-keyring in a
// private D-Bus session).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { feedgate, tempDir } from '../../../test/helpers/cli';
import { NO_KEYCHAIN_ENV, useKeyring } from '../../../test/helpers/keyring';
import { KeytarKeychain } from '../../workspace/keychain';
import { readSources } from '../../workspace/sources';

const keyring = useKeyring();
const keychain = new KeytarKeychain();
const tmp = tempDir();
let count = 0;

afterAll(() => tmp.cleanup());

/** A config dir holding Default (API key), ci (password) and public (no credentials). */
function configured(): {
  dir: string;
  run: (args: string[], env?: NodeJS.ProcessEnv) => ReturnType<typeof feedgate>;
} {
  const dir = path.join(tmp.dir, `config-${++count}`);
  const run = (args: string[], env: NodeJS.ProcessEnv = keyring().env) =>
    feedgate(['sources', ...args], { ...env, FEEDGATE_CONFIG_DIR: dir });
  for (const args of [
    ['--name', 'Default', '--url', 'https://p', '--api-key', 'remove-key-1'],
    ['--name', 'ci', '--url', 'https://p', '--username', 'bob', '--password', 'remove-pw-2'],
    ['--name', 'public', '--url', 'https://p'],
  ]) {
    expect(run(['add', ...args]).status).toBe(0);
  }
  return { dir, run };
}

describe('feedgate sources remove', () => {
  it('removes the entry and its keychain secret; the others stay', async () => {
    const { dir, run } = configured();
    const [defaultSource, ci] = readSources(dir);
    expect(await keychain.get(defaultSource?.id as string)).toBe('remove-key-1');

    const r = run(['remove', '--name', 'DEFAULT']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Removed source "Default" and its API key from the OS keychain.\n');
    expect(r.status).toBe(0);
    expect(await keychain.get(defaultSource?.id as string)).toBeNull();
    expect(await keychain.get(ci?.id as string)).toBe('remove-pw-2');
    expect(readSources(dir).map((s) => s.name)).toEqual(['ci', 'public']);

    expect(run(['remove', '--name', 'ci']).stdout).toBe(
      'Removed source "ci" and its password from the OS keychain.\n',
    );
    expect(await keychain.get(ci?.id as string)).toBeNull();
    expect(run(['remove', '--name', 'public']).stdout).toBe('Removed source "public".\n');
    expect(readSources(dir)).toEqual([]);
  });

  it('refuses an unknown name with exit 2', () => {
    const { dir, run } = configured();
    const r = run(['remove', '--name', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `feedgate: no source named "nope" in ${path.join(dir, 'sources.json')} (known: Default, ci, public)\n`,
    );
    expect(run(['remove']).stderr).toContain("required option '--name <name>' not specified");
    const nowhere = path.join(tmp.dir, 'nowhere');
    const none = feedgate(['sources', 'remove', '--name', 'Default'], {
      FEEDGATE_CONFIG_DIR: nowhere,
    });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('(no source is configured)');
    expect(existsSync(nowhere)).toBe(false);
  });

  it('without a reachable keychain: exit 2 and nothing removed (the secret goes with the entry)', async () => {
    const { dir, run } = configured();
    const before = readFileSync(path.join(dir, 'sources.json'), 'utf8');
    const r = run(['remove', '--name', 'Default'], NO_KEYCHAIN_ENV);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^feedgate: no OS keychain is reachable \(no D-Bus session bus\)\./);
    expect(r.stderr).toContain(
      'Nothing was removed: the source and its secret go together. Run the command again where the keychain is reachable.',
    );
    expect(readFileSync(path.join(dir, 'sources.json'), 'utf8')).toBe(before);
    expect(await keychain.get(readSources(dir)[0]?.id as string)).toBe('remove-key-1');
    // A source without a secret needs no keychain.
    expect(run(['remove', '--name', 'public'], NO_KEYCHAIN_ENV).status).toBe(0);
  });
});
