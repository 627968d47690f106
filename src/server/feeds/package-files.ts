// Package files under the data dir: DATA_DIR/packages/<feed id>/<sha256>. The feed's id, not
// its name, names the folder, so that any feed name is safe as a path. An upload is streamed
// to a temporary file in DATA_DIR/packages/.incoming while its SHA-256 and size are computed,
// flushed to disk, then renamed into place (atomic within one file system): an interrupted
// upload leaves at most a temporary file, which is removed at once or at the next start.
import { createHash, randomUUID } from 'node:crypto';
import {
  createWriteStream,
  mkdirSync,
  renameSync,
  rmSync,
  copyFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const PACKAGES_DIR = 'packages';
const INCOMING_DIR = '.incoming';

/** The largest package accepted (the body is counted while it streams). */
export const MAX_PACKAGE_BYTES = 512 * 1024 * 1024;

/** An upload larger than MAX_PACKAGE_BYTES. */
export class PackageTooLargeError extends Error {
  constructor() {
    super(`the package is larger than ${MAX_PACKAGE_BYTES / 1024 / 1024} MiB`);
    this.name = 'PackageTooLargeError';
  }
}

export interface ReceivedFile {
  tempPath: string;
  size: number;
  sha256: string;
}

export function packageFilePath(dataDir: string, feedId: number, sha256: string): string {
  return path.join(dataDir, PACKAGES_DIR, String(feedId), sha256);
}

const incomingDir = (dataDir: string) => path.join(dataDir, PACKAGES_DIR, INCOMING_DIR);

/** Removes what interrupted uploads of an earlier run left behind. */
export function clearIncoming(dataDir: string): void {
  rmSync(incomingDir(dataDir), { recursive: true, force: true });
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Streams `body` to a temporary file, hashing it; on any failure nothing is left. */
export async function receiveFile(dataDir: string, body: Readable): Promise<ReceivedFile> {
  const dir = incomingDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const tempPath = path.join(dir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > MAX_PACKAGE_BYTES) return done(new PackageTooLargeError());
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, measure, createWriteStream(tempPath, { flags: 'wx' }));
    fsyncFile(tempPath);
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw error;
  }
  return { tempPath, size, sha256: hash.digest('hex') };
}

/** Moves a received file to its place in a feed's folder (replacing an identical one). */
export function placeFile(dataDir: string, feedId: number, file: ReceivedFile): void {
  const target = packageFilePath(dataDir, feedId, file.sha256);
  mkdirSync(path.dirname(target), { recursive: true });
  renameSync(file.tempPath, target);
}

export function discardFile(file: ReceivedFile): void {
  rmSync(file.tempPath, { force: true });
}

/** Copies a stored file into another feed's folder, through a temporary file and a rename. */
export function copyStoredFile(
  dataDir: string,
  fromFeedId: number,
  toFeedId: number,
  sha256: string,
): void {
  const dir = incomingDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const tempPath = path.join(dir, randomUUID());
  try {
    copyFileSync(packageFilePath(dataDir, fromFeedId, sha256), tempPath);
    fsyncFile(tempPath);
    placeFile(dataDir, toFeedId, { tempPath, size: 0, sha256 });
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw error;
  }
}

export function removeStoredFile(dataDir: string, feedId: number, sha256: string): void {
  rmSync(packageFilePath(dataDir, feedId, sha256), { force: true });
}
