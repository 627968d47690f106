// Real SQLite databases in temporary data dirs for store tests, removed by cleanup().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, type Db, type OpenOptions } from '../../src/server/store/index';

export interface TempStore {
  dir: string;
  open: (options?: OpenOptions) => Db;
  cleanup: () => void;
}

/** A temporary data dir; every connection opened through it is closed by cleanup(). */
export function tempStore(): TempStore {
  const dir = mkdtempSync(path.join(tmpdir(), 'feedgate-store-'));
  const opened: Db[] = [];
  return {
    dir,
    open(options = {}) {
      const db = openStore(dir, { create: true, ...options });
      opened.push(db);
      return db;
    },
    cleanup() {
      for (const db of opened) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `use` on a connection of its own to the data dir `dir` (beside a server using it). */
export function withStore<T>(dir: string, use: (db: Db) => T): T {
  const db = openStore(dir);
  try {
    return use(db);
  } finally {
    db.close();
  }
}
