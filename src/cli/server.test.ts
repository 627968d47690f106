// `feedgate server` as a subprocess of the real bundled CLI: it starts on a free loopback
// port, answers with a key, refuses a second server on the same data dir (exit 2), takes over
// a stale lock, refuses an uninitialized data dir, and SIGTERM stops it and removes the lock.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../server/instance/lock';
import { feedgate } from '../../test/helpers/cli';
import {
  initializedDataDir,
  serverProcessDir,
  startServerProcess,
} from '../../test/helpers/server-process';

const tmp = serverProcessDir();

const initialized = (name: string) => initializedDataDir(tmp.dir, name);

describe('feedgate server', () => {
  it('serves on loopback, refuses a second server on the same dir, stops on SIGTERM', async () => {
    const { dir, key } = await initialized('served');
    const server = await startServerProcess(['--data-dir', dir, '--port', '0']);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const lock = path.join(dir, LOCK_FILE);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: server.child.pid });

    const response = await fetch(`${server.url}/api/feedgate/v1/snapshot`, {
      headers: { 'X-ApiKey': key },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"1"');
    expect((await fetch(`${server.url}/api/feedgate/v1/snapshot`)).status).toBe(403);

    const second = feedgate(['server', '--data-dir', dir, '--port', '0']);
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(`feedgate: another feedgate server (pid ${server.child.pid}`);
    expect(second.stderr).toContain(`is already serving data dir "${dir}"`);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(server.output()).toContain('feedgate server stopping');
    expect(server.output()).not.toContain(key);
  });

  it('takes over a stale lock left by a process that is gone; SIGINT stops it too', async () => {
    const { dir } = await initialized('stale');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ pid: Number(gone.stdout), startedAt: '2020-01-01T00:00:00.000Z' }),
    );
    const server = await startServerProcess(['-d', dir, '--port', '0']);
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(server.child.pid);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a data dir that is not initialized, and a bad port, with exit 2', () => {
    const empty = path.join(tmp.dir, 'never-initialized');
    const r = feedgate(['server', '--data-dir', empty, '--port', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `feedgate: data dir "${empty}" is not an initialized feedgate instance: run \`feedgate instance init --data-dir ${empty}\` first\n`,
    );
    expect(existsSync(empty)).toBe(false);
    const port = feedgate(['server', '--data-dir', empty, '--port', '70000']);
    expect(port.status).toBe(2);
    expect(port.stderr).toContain('invalid port "70000"');
  });
});
