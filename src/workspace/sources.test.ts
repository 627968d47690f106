// The named-sources store with the real keychain (gnome-keyring in a private D-Bus session).
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/cli';
import { filesContaining, useKeyring } from '../../test/helpers/keyring';
import { KeytarKeychain } from './keychain';
import {
  SOURCES_FORMAT,
  SourcesError,
  addSource,
  configDir,
  readSources,
  removeSource,
  resolveSource,
  sourcesFile,
} from './sources';

useKeyring();
const tmp = tempDir();
const keychain = new KeytarKeychain();
let count = 0;
const newDir = () => path.join(tmp.dir, `config-${++count}`);

afterAll(() => tmp.cleanup());

describe('configDir', () => {
  it('is $FEEDGATE_CONFIG_DIR, else $XDG_CONFIG_HOME/feedgate, else ~/.config/feedgate', () => {
    expect(configDir({ FEEDGATE_CONFIG_DIR: '/x/y', XDG_CONFIG_HOME: '/xdg' })).toBe('/x/y');
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/feedgate');
    expect(configDir({ XDG_CONFIG_HOME: 'relative' })).toMatch(/\.config\/feedgate$/);
    expect(configDir({})).toMatch(/\.config\/feedgate$/);
  });
});

describe('sources store', () => {
  it('keeps name, url and username in a 0600 file, the secrets in the keychain only', async () => {
    const dir = newDir();
    const apiKey = 'Api-Key-Needle-7d1c2b';
    const password = 'Password-Needle-94f0e3';
    const a = await addSource(
      { name: 'Default', url: 'https://proget.example.org/', auth: 'api-key', apiKey },
      { dir, keychain },
    );
    await addSource(
      { name: 'ci', url: 'http://127.0.0.1:8624', auth: 'password', username: 'bob', password },
      { dir, keychain },
    );
    await addSource({ name: 'anon', url: 'http://h', auth: 'none' }, { dir, keychain });
    expect(JSON.parse(readFileSync(sourcesFile(dir), 'utf8'))).toEqual({
      format: SOURCES_FORMAT,
      sources: [
        { id: a.id, name: 'Default', url: 'https://proget.example.org', auth: 'api-key' },
        expect.objectContaining({ name: 'ci', auth: 'password', username: 'bob' }),
        expect.objectContaining({ name: 'anon', auth: 'none' }),
      ],
    });
    expect(statSync(sourcesFile(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['sources.json']); // no temp or lock file left
    expect(await keychain.get(a.id)).toBe(apiKey);
    expect(filesContaining(dir, apiKey)).toEqual([]);
    expect(filesContaining(dir, password)).toEqual([]);

    expect(await resolveSource(undefined, { dir, keychain })).toEqual({
      name: 'Default',
      url: 'https://proget.example.org',
      auth: 'api-key',
      apiKey,
    });
    expect(await resolveSource('CI', { dir, keychain })).toEqual({
      name: 'ci',
      url: 'http://127.0.0.1:8624',
      auth: 'password',
      username: 'bob',
      password,
    });
    expect(await resolveSource('anon', { dir, keychain })).toMatchObject({ auth: 'none' });
    expect(await resolveSource('https://other.example/', { dir, keychain })).toEqual({
      name: null,
      url: 'https://other.example',
      auth: 'none',
    });

    expect((await removeSource('default', { dir, keychain })).name).toBe('Default');
    expect(await keychain.get(a.id)).toBeNull();
    expect(readSources(dir).map((s) => s.name)).toEqual(['ci', 'anon']);
    await expect(resolveSource(undefined, { dir, keychain })).rejects.toThrow(
      `no source named "Default" in ${sourcesFile(dir)} (known: ci, anon); add one with \`feedgate sources add --name Default --url URL\` or name a source`,
    );
  });

  it('refuses names that differ only in case, and leaves the keychain as it was', async () => {
    const dir = newDir();
    await addSource({ name: 'Prod', url: 'https://p', auth: 'none' }, { dir, keychain });
    await expect(
      addSource(
        { name: 'PROD', url: 'https://q', auth: 'api-key', apiKey: 'k' },
        { dir, keychain },
      ),
    ).rejects.toThrow('a source named "Prod" already exists (names ignore case); remove it first');
    expect(readSources(dir)).toHaveLength(1);
  });

  it('validates names and URLs, with the field and value in the message', async () => {
    const dir = newDir();
    const add = (name: string, url: string) =>
      addSource({ name, url, auth: 'none' }, { dir, keychain });
    await expect(add('', 'https://p')).rejects.toThrow('invalid name "": must not be empty');
    await expect(add('a b', 'https://p')).rejects.toThrow(
      'invalid name "a b": must start with a letter or digit',
    );
    await expect(add('p', 'proget.example.org')).rejects.toThrow(
      'invalid url "proget.example.org": must be an absolute http or https URL',
    );
    await expect(add('p', 'ftp://h')).rejects.toThrow('must be an http or https URL, not ftp');
    await expect(add('p', 'https://bob:pw@h')).rejects.toThrow('must not hold a user name');
    await expect(add('p', 'https://h/?key=abc')).rejects.toThrow('must not have a query');
    expect(existsSync(dir)).toBe(false);
  });

  it('reports a damaged file with its path and the problem', () => {
    const dir = newDir();
    mkdirSync(dir);
    writeFileSync(sourcesFile(dir), '{ not json');
    expect(() => readSources(dir)).toThrow(`${sourcesFile(dir)} is not valid JSON`);
    writeFileSync(
      sourcesFile(dir),
      JSON.stringify({
        format: SOURCES_FORMAT,
        sources: [{ id: '1', name: 'a', url: 'gopher://h', auth: 'none', apiKey: 'x' }],
      }),
    );
    expect(() => readSources(dir)).toThrow(SourcesError);
    expect(() => readSources(dir)).toThrow(/sources\.0\.url: must be an http or https URL/);
    expect(() => readSources(dir)).toThrow(/Unrecognized key: "apiKey"/);
    const twice = (name: string, id: string) => ({ id, name, url: 'http://h', auth: 'none' });
    writeFileSync(
      sourcesFile(dir),
      JSON.stringify({ format: SOURCES_FORMAT, sources: [twice('a', '1'), twice('A', '2')] }),
    );
    expect(() => readSources(dir)).toThrow('names source "A" twice');
  });

  it('says when a secret is missing from the keychain', async () => {
    const dir = newDir();
    const source = await addSource(
      { name: 'Default', url: 'https://p', auth: 'api-key', apiKey: 'gone-soon' },
      { dir, keychain },
    );
    await keychain.delete(source.id);
    await expect(resolveSource(undefined, { dir, keychain })).rejects.toThrow(
      `the API key of source "Default" is not in the OS keychain (service feedgate, account ${source.id})`,
    );
  });

  it('loses no update when commands run at once', async () => {
    const dir = newDir();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        addSource({ name: `s${i}`, url: 'http://h', auth: 'none' }, { dir, keychain }),
      ),
    );
    expect(
      readSources(dir)
        .map((s) => s.name)
        .sort(),
    ).toEqual(Array.from({ length: 8 }, (_, i) => `s${i}`));
  });
});
