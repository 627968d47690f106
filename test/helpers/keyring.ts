// A real, private OS keychain for tests: a D-Bus session (dbus-run-session) with an unlocked
// gnome-keyring, a throwaway HOME, kept alive until stop(). Its lifetime is tied to a pipe:
// when the test process ends, the session and its keyring end with it. A missing program is
// a loud failure naming the Debian package, never a skip.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

const PROGRAMS: readonly [program: string, debianPackage: string][] = [
  ['dbus-run-session', 'dbus-daemon (pulled in by dbus-x11)'],
  ['gnome-keyring-daemon', 'gnome-keyring'],
];

/** Fails with the Debian package to install when a program of the keychain fixture is missing. */
export function requireKeyringPrograms(searchPath = process.env.PATH ?? ''): void {
  const missing = PROGRAMS.filter(
    ([program]) =>
      spawnSync('/bin/sh', ['-c', `command -v ${program}`], { env: { PATH: searchPath } })
        .status !== 0,
  );
  if (missing.length > 0) {
    const list = missing.map(([program, pkg]) => `${program} (Debian package ${pkg})`);
    throw new Error(
      `the keychain tests need a real Secret Service, but ${list.join(' and ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} missing: install with ` +
        '`apt-get install libsecret-1-dev gnome-keyring dbus-x11` (scripts/setup.sh does it)',
    );
  }
}

export interface Keyring {
  /** The throwaway HOME of the session (gnome-keyring keeps its files below it). */
  home: string;
  /** Environment for a process that uses this keychain (and no other bus or display). */
  env: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
}

const SCRIPT =
  "printf '%s' feedgate-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 9\n" +
  'printf "READY %s\\n" "$DBUS_SESSION_BUS_ADDRESS"\n' +
  'exec cat >/dev/null\n';

/** Starts a private D-Bus session with an unlocked gnome-keyring. */
export async function startKeyring(): Promise<Keyring> {
  requireKeyringPrograms();
  const home = mkdtempSync(path.join(tmpdir(), 'feedgate-keyring-'));
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', SCRIPT], {
    env: { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail('it did not start within 15 s'), 15_000);
    function fail(why: string) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`private keychain (dbus-run-session + gnome-keyring): ${why}\n${stderr}`));
    }
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^READY (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once('exit', (code) => fail(`it exited with code ${code}`));
    child.once('error', (error) => fail(error.message));
  });
  return {
    home,
    env: {
      HOME: home,
      DBUS_SESSION_BUS_ADDRESS: address,
      DISPLAY: undefined,
      WAYLAND_DISPLAY: undefined,
      XDG_CONFIG_HOME: undefined,
      FEEDGATE_CONFIG_DIR: undefined,
    },
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * A private keychain for the tests of one file (started before them, stopped after them).
 * keytar in this test process uses it too: libsecret connects on first use to the bus that
 * the environment names, so call it once per file (vitest runs each file in its own process).
 */
export function useKeyring(): () => Keyring {
  let keyring: Keyring | undefined;
  beforeAll(async () => {
    keyring = await startKeyring();
    process.env.DBUS_SESSION_BUS_ADDRESS = keyring.env.DBUS_SESSION_BUS_ADDRESS;
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
  });
  afterAll(async () => {
    delete process.env.DBUS_SESSION_BUS_ADDRESS;
    await keyring?.stop();
  });
  return () => {
    if (keyring === undefined) throw new Error('the keyring is started in beforeAll');
    return keyring;
  };
}

/** Environment without any session bus or display: no keychain can be reached. */
export const NO_KEYCHAIN_ENV: NodeJS.ProcessEnv = {
  DBUS_SESSION_BUS_ADDRESS: undefined,
  DISPLAY: undefined,
  WAYLAND_DISPLAY: undefined,
};

/** Every file below `dir` whose bytes hold `secret` (UTF-8 or UTF-16). */
export function filesContaining(dir: string, secret: string): string[] {
  const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = readFileSync(file);
    if (needles.some((needle) => bytes.includes(needle))) found.push(file);
  }
  return found;
}

/** Number of files below `dir` (to show that filesContaining had something to read). */
export function fileCount(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .length;
}
