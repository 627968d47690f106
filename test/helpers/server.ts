// A real instance for HTTP tests: a freshly initialized data dir (initInstance), the API
// listening on 127.0.0.1 on a free port, its log lines captured, and a small fetch wrapper.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { parsePolicy } from '../../src/core/index';
import { hashPassword } from '../../src/server/auth/passwords';
import type { SignInThrottle } from '../../src/server/auth/throttle';
import { buildApp } from '../../src/server/http/app';
import { initInstance } from '../../src/server/instance/init';
import {
  findPrincipal,
  openStore,
  setUserPassword,
  writePolicy,
  type Db,
} from '../../src/server/store/index';
import { ROOT } from './cli';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface TestInstance {
  dir: string;
  db: Db;
  app: FastifyInstance;
  base: string;
  /** Every log line written so far (JSON text). */
  logs: string[];
  request(path: string, init?: RequestInit): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Initializes a data dir in a new temporary directory and serves it on 127.0.0.1:0. */
export async function startTestInstance(
  options: { throttle?: SignInThrottle } = {},
): Promise<TestInstance> {
  const root = mkdtempSync(path.join(tmpdir(), 'feedgate-server-'));
  const dir = path.join(root, 'data');
  await initInstance(dir, ADMIN_PASSWORD);
  const db = openStore(dir);
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const app = buildApp({
    db,
    dataDir: dir,
    logger: { level: 'debug', stream },
    ...(options.throttle && { throttle: options.throttle }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    dir,
    db,
    app,
    base,
    logs,
    async request(target, init = {}) {
      const response = await fetch(base + target, init);
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, json: jsonOf(text) };
    },
    async close() {
      await app.close();
      if (db.open) db.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The JSON value of a response body; undefined when it is empty or not JSON. */
export function jsonOf(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const jsonPost = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** The promote example (test/fixtures) with Admin kept in Administrators, written to the store. */
export async function writePromoteExample(db: Db, passwords: Record<string, string> = {}) {
  const file = JSON.parse(
    readFileSync(path.join(ROOT, 'test/fixtures/promote-example.json'), 'utf8'),
  ) as { users: { name: string }[]; groups: { name: string; users: string[] }[] };
  file.users.push({ name: 'Admin' });
  file.groups.find((g) => g.name === 'Administrators')?.users.push('Admin');
  const revision = writePolicy(db, parsePolicy(file));
  for (const [user, password] of Object.entries(passwords))
    setUserPassword(db, findPrincipal(db, 1, 'user', user) as number, await hashPassword(password));
  return revision;
}
