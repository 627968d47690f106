// `feedgate instance backup --data-dir DIR --out FILE`: an online-safe copy of an instance's
// database, and of the package files it refers to in FILE.packages/ (package-copies.ts). SQLite's backup API (better-sqlite3's db.backup()) copies a consistent snapshot
// page by page while a server keeps reading and writing under WAL; a raw `cp` of feedgate.db
// could miss what is still in the WAL or catch a page mid-write. The copy is written beside
// FILE, checked, made a self-contained file (rollback journal, no -wal), then renamed into
// place, so FILE is either a complete backup or absent.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { StoreError, databaseFile, instanceRow, openStore } from '../../server/store/index';
import { PACKAGES_DIR } from '../../server/feeds/package-files';
import { CliError, EXIT, act, fsReason, writeOut } from '../io';
import {
  MissingPackageFile,
  copyPackageFiles,
  packageFilesOf,
  packagesBeside,
} from './package-copies';

interface BackupOptions {
  dataDir: string;
  out: string;
}

export function registerInstanceBackup(instance: Command): void {
  const command = instance
    .command('backup')
    .description("copy an instance's database to FILE, safely while its server runs")
    .requiredOption('-d, --data-dir <dir>', 'data dir of the instance')
    .requiredOption('-o, --out <file>', 'backup file to create (refused if it exists)')
    .addHelpText(
      'after',
      '\nThe backup holds password and key hashes: it is created with mode 0600; keep it as safe as the data dir.\n' +
        'Package files go beside it, in FILE.packages/ (only when the instance has packages).\n' +
        'Exit codes: 0 backed up, 1 a package file vanished meanwhile (run it again), 2 bad input (not an instance, FILE exists, cannot write FILE), 3 internal error.\n' +
        'Example:\n  feedgate instance backup --data-dir /var/lib/feedgate --out /backup/feedgate-$(date +%F).db',
    );
  act(command, (options: BackupOptions) => runBackup(options));
}

/** Runs `PRAGMA integrity_check` on an open database; returns its problems (none = sound). */
export function integrityProblems(db: Database.Database): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check);
  return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
}

/** Makes a copied database a single file (rollback journal) and checks it is sound. */
function seal(file: string): void {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const problems = integrityProblems(copy);
    if (problems.length > 0)
      throw new Error(`the copy failed its integrity check: ${problems.slice(0, 3).join('; ')}`);
  } finally {
    copy.close();
  }
}

const sizeText = (bytes: number) =>
  bytes < 2 ** 20 ? `${bytes} bytes` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function revisionOf(file: string): number {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return instanceRow(copy).revision;
  } finally {
    copy.close();
  }
}

async function runBackup(options: BackupOptions): Promise<number> {
  const dataDir = path.resolve(options.dataDir);
  const out = path.resolve(options.out);
  if (!existsSync(databaseFile(dataDir)))
    throw new CliError(
      `data dir "${dataDir}" holds no feedgate instance (no ${path.basename(databaseFile(dataDir))})`,
    );
  const packagesOut = packagesBeside(out);
  for (const target of [out, packagesOut])
    if (existsSync(target)) throw new CliError(`"${target}" already exists: choose another --out`);
  try {
    if (!statSync(path.dirname(out)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new CliError(`cannot write "${out}": ${path.dirname(out)}: ${fsReason(error)}`);
  }
  let db;
  try {
    // Opened without migrating: a backup copies the database as it is, and changes nothing.
    db = openStore(dataDir, { migrate: false });
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message);
    throw error;
  }
  const temporary = `${out}.${process.pid}.tmp`;
  const temporaryPackages = `${packagesOut}.${process.pid}.tmp`;
  try {
    try {
      await db.backup(temporary);
    } catch (error) {
      throw new CliError(`cannot write "${out}": ${fsReason(error)}`);
    }
    chmodSync(temporary, 0o600);
    seal(temporary);
    // What the copy holds, not what the live database holds by now.
    const revision = revisionOf(temporary);
    const files = packageFilesOf(temporary);
    const lines = [`Backed up ${dataDir} (policy revision ${revision}) to ${out}.`];
    if (files.length > 0) {
      let bytes: number;
      try {
        bytes = copyPackageFiles(path.join(dataDir, PACKAGES_DIR), temporaryPackages, files);
      } catch (error) {
        if (error instanceof MissingPackageFile)
          throw new CliError(
            `${error.message} in ${dataDir} (deleted while the backup ran?): nothing was written; run the backup again`,
            EXIT.FAILED,
          );
        throw new CliError(`cannot copy package files to "${packagesOut}": ${fsReason(error)}`);
      }
      renameSync(temporaryPackages, packagesOut);
      lines.push(
        `Its ${files.length} package files (${sizeText(bytes)}) are in ${packagesOut}: keep the two together.`,
      );
    }
    // The database file last: when it is there, the backup is complete.
    renameSync(temporary, out);
    lines.push('It holds password and API key hashes: keep it as safe as the data dir.');
    writeOut(lines.join('\n'));
    return EXIT.OK;
  } finally {
    db.close();
    rmSync(temporary, { force: true });
    rmSync(`${temporary}-journal`, { force: true });
    rmSync(temporaryPackages, { recursive: true, force: true });
  }
}
