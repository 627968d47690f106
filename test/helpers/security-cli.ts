// What the `feedgate security ...` CLI tests share: a real admin instance on 127.0.0.1 for the
// test file, the real CLI run against it, direct reads and writes of the instance to set up
// and check, and the checks every command gets (bad input sends nothing; exit 3 unreachable).
import { afterAll, beforeAll, expect } from 'vitest';
import { startAdminTestInstance, type AdminTestInstance } from './admin-server';
import { closedPort, feedgateAsync } from './cli-async';
import type { CliResult } from './cli';

export interface SecurityCli {
  readonly admin: AdminTestInstance;
  /** `feedgate security <words...> <args...> --source <instance> --api-key <admin key>`. */
  run(...args: string[]): Promise<CliResult>;
  /** GET a path of the instance with the admin key; its JSON body. */
  get<T>(path: string): Promise<T>;
  /** POST a JSON body to a path of the instance with the admin key (test setup). */
  post(path: string, body: unknown): Promise<void>;
  /** The policy revision (v1 snapshot). */
  revision(): Promise<number>;
  /** `feedgate security <args...>` with a wrong key: exit 1, "access denied", the key not echoed. */
  expectAccessDenied(...args: string[]): Promise<void>;
  /** Whether the server logged a request of `path` after its first `since` log lines. */
  requested(path: string, since: number): boolean;
  /** Runs each case and expects exit 2, no stdout, a `feedgate:` message (or exactly `stderr`
   * when a string) and no request. */
  expectBadInput(cases: readonly (readonly string[])[], stderr?: RegExp | string): Promise<void>;
}

/** Starts an admin instance before the file's tests and closes it after them. */
export function securityCli(...words: string[]): SecurityCli {
  return commandCli('security', ...words);
}

/** The same for any command of the instance (`feeds`, `feeds groups`, …). */
export function commandCli(command: string, ...words: string[]): SecurityCli {
  let admin: AdminTestInstance | undefined;
  beforeAll(async () => {
    admin = await startAdminTestInstance();
  });
  afterAll(async () => {
    await admin?.server.close();
  });
  const instance = (): AdminTestInstance => {
    if (admin === undefined) throw new Error('the instance starts in beforeAll');
    return admin;
  };
  const cli: SecurityCli = {
    get admin() {
      return instance();
    },
    run: (...args) =>
      feedgateAsync([
        command,
        ...words,
        ...args,
        '--source',
        instance().server.base,
        '--api-key',
        instance().key,
      ]),
    async get<T>(path: string) {
      return (await instance().server.request(path, { headers: instance().auth })).json as T;
    },
    async post(path, body) {
      const response = await instance().server.request(path, {
        method: 'POST',
        headers: { ...instance().auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status, `POST ${path}`).toBe(200);
    },
    async revision() {
      return (await cli.get<{ revision: number }>('/api/feedgate/v1/snapshot')).revision;
    },
    async expectAccessDenied(...args) {
      const wrong = 'Security-Cli-Wrong-Key-51ab';
      const base = instance().server.base;
      const r = await feedgateAsync([command, ...args, '--source', base, '--api-key', wrong]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('feedgate: access denied (check the API key)\n');
    },
    requested: (path, since) =>
      instance()
        .server.logs.slice(since)
        .some((line) => line.includes(path)),
    async expectBadInput(cases, stderr = /^feedgate: /) {
      const before = instance().server.logs.length;
      for (const args of cases) {
        const r = await cli.run(...args);
        expect(r.status, args.join(' ')).toBe(2);
        expect(r.stdout, args.join(' ')).toBe('');
        if (typeof stderr === 'string') expect(r.stderr, args.join(' ')).toBe(stderr);
        else expect(r.stderr, args.join(' ')).toMatch(stderr);
      }
      expect(instance().server.logs.length, 'requests logged by the server').toBe(before);
    },
  };
  return cli;
}

/** `feedgate security <args...>` against a closed loopback port: exit 3, "cannot reach". */
export async function expectUnreachable(
  args: readonly string[],
  command = 'security',
): Promise<void> {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const r = await feedgateAsync([command, ...args, '--source', url, '--api-key', 'k']);
  expect(r.status).toBe(3);
  expect(r.stderr).toBe(`feedgate: cannot reach ${url}: ECONNREFUSED\n`);
}
