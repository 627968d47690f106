// One server per data dir: `feedgate.lock` holds the pid of the server using it. A lock whose
// process is gone (a crash, SIGKILL) is stale and is taken over, by one server at a time; a
// live one is refused.
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

/** Links the complete temporary file to `target`; false when `target` exists. */
function linkComplete(temporary: string, target: string): boolean {
  try {
    linkSync(temporary, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function heldBy(holder: LockInfo | undefined): holder is LockInfo {
  return holder !== undefined && holder.pid !== process.pid && alive(holder.pid);
}

function alreadyServed(holder: LockInfo, dataDir: string, file: string): InstanceError {
  return new InstanceError(
    `another feedgate server (pid ${holder.pid}, started ${holder.startedAt}) is already serving data dir "${dataDir}"; stop it first (if no such server runs, remove ${file})`,
  );
}

/**
 * Replaces a stale lock. Only the holder of the takeover guard (`feedgate.lock.takeover`,
 * created complete or not at all) may remove it, after checking again that it is stale: without
 * the guard, a server that judged the lock stale could remove the lock another server had just
 * taken over, and both would serve the data dir.
 */
function takeOver(file: string, temporary: string, dataDir: string): void {
  const guard = `${file}.takeover`;
  if (!linkComplete(temporary, guard)) {
    const taker = readLock(guard);
    if (heldBy(taker))
      throw new InstanceError(
        `another feedgate server (pid ${taker.pid}) is starting on data dir "${dataDir}"; try again in a moment`,
      );
    rmSync(guard, { force: true }); // left by a process that died while taking over
    if (!linkComplete(temporary, guard))
      throw new InstanceError(`another feedgate server is starting on data dir "${dataDir}"`);
  }
  try {
    const holder = readLock(file);
    if (heldBy(holder)) throw alreadyServed(holder, dataDir, file);
    rmSync(file, { force: true }); // stale: its process is gone
    if (!linkComplete(temporary, file)) {
      // A server that started just now took the free lock first.
      const winner = readLock(file);
      throw winner
        ? alreadyServed(winner, dataDir, file)
        : new InstanceError(`another feedgate server is starting on data dir "${dataDir}"`);
    }
  } finally {
    rmSync(guard, { force: true });
  }
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
    if (!linkComplete(temporary, file)) {
      const holder = readLock(file);
      if (heldBy(holder)) throw alreadyServed(holder, dataDir, file);
      takeOver(file, temporary, dataDir);
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
