// The data dir's lock on a real file system, with real processes as holders: a free dir is
// taken, a live holder is refused, a stale lock (its process gone) is taken over, and only
// through the takeover guard: while another live process is taking over, a server does not
// barge in; a guard left by a dead process does not block for ever. Several real servers
// started at once on a stale lock: exactly one serves.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, acquireLock } from './lock';
import { ROOT, tempDir } from '../../../test/helpers/cli';
import { initializedDataDir } from '../../../test/helpers/server-process';

const tmp = tempDir();
const sleepers: ChildProcess[] = [];
afterAll(() => {
  for (const child of sleepers) child.kill('SIGKILL');
  tmp.cleanup();
});

let count = 0;
function newDir(): string {
  const dir = path.join(tmp.dir, `dir-${++count}`);
  mkdirSync(dir);
  return dir;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

/** The pid of a live process (killed after the tests). */
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], {
    stdio: 'ignore',
  });
  sleepers.push(child);
  return child.pid as number;
}

const writeLock = (file: string, pid: number) =>
  writeFileSync(file, JSON.stringify({ pid, startedAt: '2020-01-01T00:00:00.000Z' }));
const lockPid = (dir: string) =>
  (JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid;

describe('acquireLock', () => {
  it('takes a free data dir; release removes the lock, and only its own', () => {
    const dir = newDir();
    const lock = acquireLock(dir);
    expect(lockPid(dir)).toBe(process.pid);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    const again = acquireLock(dir);
    writeLock(again.file, livePid()); // someone else's now
    again.release();
    expect(existsSync(again.file)).toBe(true);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]); // no temporary file left
  });

  it('refuses a lock held by a live process, naming it, and leaves it', () => {
    const dir = newDir();
    const holder = livePid();
    writeLock(path.join(dir, LOCK_FILE), holder);
    expect(() => acquireLock(dir)).toThrow(
      `another feedgate server (pid ${holder}, started 2020-01-01T00:00:00.000Z) is already serving data dir "${dir}"`,
    );
    expect(lockPid(dir)).toBe(holder);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('takes over the lock of a process that is gone, leaving no guard behind', () => {
    const dir = newDir();
    writeLock(path.join(dir, LOCK_FILE), deadPid());
    const lock = acquireLock(dir);
    expect(lockPid(dir)).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
  });

  it('does not barge in while a live process is taking over the stale lock', () => {
    const dir = newDir();
    const stale = deadPid();
    writeLock(path.join(dir, LOCK_FILE), stale);
    const taker = livePid();
    writeLock(path.join(dir, `${LOCK_FILE}.takeover`), taker);
    expect(() => acquireLock(dir)).toThrow(
      `another feedgate server (pid ${taker}) is starting on data dir "${dir}"; try again in a moment`,
    );
    expect(lockPid(dir)).toBe(stale); // left for the taker to replace
  });

  it('a takeover guard left by a dead process does not block: the stale lock is taken over', () => {
    const dir = newDir();
    writeLock(path.join(dir, LOCK_FILE), deadPid());
    writeLock(path.join(dir, `${LOCK_FILE}.takeover`), deadPid());
    const lock = acquireLock(dir);
    expect(lockPid(dir)).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
  });
});

describe('several servers started at once on a stale lock', () => {
  it('exactly one serves; the others exit 2', async () => {
    const { dir } = await initializedDataDir(tmp.dir, 'race');
    for (let round = 0; round < 2; round++) {
      writeLock(path.join(dir, LOCK_FILE), deadPid());
      const servers = Array.from({ length: 4 }, () =>
        spawn(process.execPath, ['bin/feedgate.cjs', 'server', '-d', dir, '--port', '0'], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
      sleepers.push(...servers);
      const outcomes = await Promise.all(
        servers.map(
          (child) =>
            new Promise<'serving' | number | null>((resolve) => {
              let out = '';
              child.stdout?.on('data', (chunk: Buffer) => {
                out += chunk.toString();
                if (out.includes('feedgate server listening on')) resolve('serving');
              });
              child.on('exit', (code) => resolve(code));
            }),
        ),
      );
      expect(outcomes.filter((o) => o === 'serving')).toHaveLength(1);
      expect(outcomes.filter((o) => o !== 'serving')).toEqual([2, 2, 2]);
      const winner = servers[outcomes.indexOf('serving')] as ChildProcess;
      expect(lockPid(dir)).toBe(winner.pid);
      const exited = new Promise((resolve) => winner.on('exit', resolve));
      winner.kill('SIGTERM');
      await exited;
    }
  });
});
