// `feedgate sources list`, run as a subprocess; sources with secrets are added through the
// real keychain (gnome-keyring in a private D-Bus session).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgate, tempDir } from '../../../test/helpers/cli';
import { NO_KEYCHAIN_ENV, useKeyring } from '../../../test/helpers/keyring';

const keyring = useKeyring();
const tmp = tempDir();
const dir = path.join(tmp.dir, 'config');
const API_KEY = 'List-Api-Key-Needle-0c4f';
const PASSWORD = 'List-Password-Needle-77d1';

beforeAll(() => {
  const env = { ...keyring().env, FEEDGATE_CONFIG_DIR: dir };
  const add = (...args: string[]) =>
    expect(feedgate(['sources', 'add', ...args], env).status).toBe(0);
  add('--name', 'Default', '--url', 'https://proget.example.org', '--api-key', API_KEY);
  add(...'--name ci --url http://127.0.0.1:8624 --username bob --password'.split(' '), PASSWORD);
  add('--name', 'public', '--url', 'https://public.example');
});
afterAll(() => tmp.cleanup());

describe('feedgate sources list', () => {
  it('prints name, url and kind of credentials, never a secret (no keychain needed)', () => {
    const r = feedgate(['sources', 'list'], { ...NO_KEYCHAIN_ENV, FEEDGATE_CONFIG_DIR: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'NAME     URL                         AUTH',
        'Default  https://proget.example.org  api key',
        'ci       http://127.0.0.1:8624       username bob',
        'public   https://public.example      none',
        '',
      ].join('\n'),
    );
  });

  it('--json prints { sources: [{ name, url, auth, username? }] }', () => {
    const r = feedgate(['sources', 'list', '--json'], { FEEDGATE_CONFIG_DIR: dir });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      sources: [
        { name: 'Default', url: 'https://proget.example.org', auth: 'api-key' },
        { name: 'ci', url: 'http://127.0.0.1:8624', auth: 'password', username: 'bob' },
        { name: 'public', url: 'https://public.example', auth: 'none' },
      ],
    });
    expect(r.stdout).not.toContain(API_KEY);
    expect(r.stdout).not.toContain(PASSWORD);
  });

  it('says how to add a source when there is none', () => {
    const empty = path.join(tmp.dir, 'empty');
    const r = feedgate(['sources', 'list'], { FEEDGATE_CONFIG_DIR: empty });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `No sources in ${path.join(empty, 'sources.json')}. Add one with: feedgate sources add --name Default --url URL --api-key KEY\n`,
    );
    const json = feedgate(['sources', 'list', '--json'], { FEEDGATE_CONFIG_DIR: empty });
    expect(JSON.parse(json.stdout)).toEqual({ sources: [] });
  });

  it('reports a damaged sources file with exit 2', () => {
    const bad = path.join(tmp.dir, 'bad');
    mkdirSync(bad);
    writeFileSync(path.join(bad, 'sources.json'), '{"format":"feedgate-sources/1","sources":[{}]}');
    const r = feedgate(['sources', 'list'], { FEEDGATE_CONFIG_DIR: bad });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^feedgate: .*bad\/sources\.json is not a valid sources file: sources\.0\.id: .*/,
    );
  });
});
