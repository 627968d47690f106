// Package files travel with a backup: beside FILE, in FILE.packages/<feed id>/<sha256>, the
// layout of the data dir's packages/ folder. Only the files the backed-up database refers to
// are copied (a file's name is its SHA-256 and it never changes once in place, so a copy
// made after the database snapshot is the file the snapshot means, or it is gone).
import Database from 'better-sqlite3';
import { constants, copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PACKAGES_DIR } from '../../server/feeds/package-files';
import { storedPackageFiles, type StoredPackageFile } from '../../server/store/sql/packages';

/** Where a backup's package files are: beside the backup file. */
export const packagesBeside = (backupFile: string): string => `${backupFile}.${PACKAGES_DIR}`;

/** The package files a database file refers to. */
export function packageFilesOf(databaseFile: string): StoredPackageFile[] {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    return storedPackageFiles(db);
  } finally {
    db.close();
  }
}

const relative = (file: StoredPackageFile) => path.join(String(file.feedId), file.sha256);

/** The first file missing from `root` or of another size than the database says, if any. */
export function missingFile(root: string, files: readonly StoredPackageFile[]): string | undefined {
  for (const file of files) {
    try {
      if (statSync(path.join(root, relative(file))).size !== file.size) return relative(file);
    } catch {
      return relative(file);
    }
  }
  return undefined;
}

/**
 * Copies `files` from the packages folder `from` to `to` (a reflink where the file system
 * can, else a full copy); returns the bytes copied. Throws with the file's relative path when
 * one is missing.
 */
export function copyPackageFiles(
  from: string,
  to: string,
  files: readonly StoredPackageFile[],
): number {
  let bytes = 0;
  for (const file of files) {
    const target = path.join(to, relative(file));
    mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    try {
      copyFileSync(path.join(from, relative(file)), target, constants.COPYFILE_FICLONE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new MissingPackageFile(relative(file));
      throw error;
    }
    bytes += file.size;
  }
  return bytes;
}

export class MissingPackageFile extends Error {
  constructor(readonly file: string) {
    super(`package file ${file} is missing`);
    this.name = 'MissingPackageFile';
  }
}
