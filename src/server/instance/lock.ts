// One server per data dir: `feedgate.lock` holds the pid of the server using it. A lock whose
// process is gone (a crash, SIGKILL) is stale and is taken over; a live one is refused.
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InstanceError } from './init';

export const LOCK_FILE = 'feedgate.lock';

export interface LockInfo {
  pid: number;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    return Number.isInteger(value.pid) && (value.pid as number) > 0
      ? (value as LockInfo)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The live server holding the data dir's lock, if any (a stale lock is not reported). */
export function liveLockHolder(dataDir: string): LockInfo | undefined {
  const holder = readLock(path.join(dataDir, LOCK_FILE));
  return holder && alive(holder.pid) ? holder : undefined;
}

export interface DataDirLock {
  file: string;
  /** Removes the lock file if it is still ours. */
  release(): void;
}

/**
 * Takes the data dir's lock, or throws InstanceError naming the live server that holds it.
 * The lock file is created complete (written to a temporary file, then hard-linked into
 * place, which fails if it exists), so a reader never sees half a lock.
 */
export function acquireLock(dataDir: string): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(info)}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temporary, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      }
      const holder = readLock(file);
      if (holder && holder.pid !== process.pid && alive(holder.pid))
        throw new InstanceError(
          `another feedgate server (pid ${holder.pid}, started ${holder.startedAt}) is already serving data dir "${dataDir}"; stop it first (if no such server runs, remove ${file})`,
        );
      rmSync(file, { force: true }); // stale: its process is gone
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  return {
    file,
    release() {
      if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}
