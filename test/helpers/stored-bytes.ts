// The raw bytes of an instance's database files (feedgate.db, -wal, -shm) as one string, to
// check that a secret (password, key text) is stored nowhere in clear.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export function storedBytes(dataDir: string): string {
  return readdirSync(dataDir)
    .filter((f) => f.startsWith('feedgate.db'))
    .map((f) => readFileSync(path.join(dataDir, f)).toString('latin1'))
    .join('');
}
