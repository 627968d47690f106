// `feedgate instance restore --data-dir DIR --from FILE`: puts a backup back in place. Refused
// while a server serves DIR (it holds feedgate.lock; restore takes the same lock, so no server
// can start halfway through). FILE is copied into DIR first and the copy is checked: SQLite's
// integrity check, then a feedgate database with only migrations this version knows,
// unedited, and an initialized instance; the package files it refers to must be in
// FILE.packages/ with their sizes. Only then are the current database (with its -wal and
// -shm, which may hold committed data) and packages/ moved aside and the copies renamed in.
import Database from 'better-sqlite3';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InstanceError } from '../../server/instance/init';
import { acquireLock } from '../../server/instance/lock';
import {
  DB_FILE,
  MIGRATIONS,
  MigrationError,
  appendAudit,
  appliedMigrations,
  databaseFile,
  instanceRow,
  pendingMigrations,
} from '../../server/store/index';
import { PACKAGES_DIR } from '../../server/feeds/package-files';
import { storedPackageFiles, type StoredPackageFile } from '../../server/store/sql/packages';
import { CliError, EXIT, act, fsReason, writeOut } from '../io';
import { copyPackageFiles, missingFile, packagesBeside } from './package-copies';
import { integrityProblems } from './backup';

interface RestoreOptions {
  dataDir: string;
  from: string;
}

export function registerInstanceRestore(instance: Command): void {
  const command = instance
    .command('restore')
    .description(
      "replace an instance's database with a backup (stop its server first); the current one is kept aside",
    )
    .requiredOption('-d, --data-dir <dir>', 'data dir of the instance (created if missing)')
    .requiredOption('-f, --from <file>', 'backup file (from `feedgate instance backup`)')
    .addHelpText(
      'after',
      '\nExit codes: 0 restored, 1 refused (a server is serving the data dir), 2 bad input (FILE missing, damaged or not a feedgate instance database), 3 internal error.\n' +
        'Example:\n  feedgate instance restore --data-dir /var/lib/feedgate --from /backup/feedgate-2026-11-23.db',
    );
  act(command, (options: RestoreOptions) => runRestore(options));
}

/** A database file and the files SQLite keeps beside it: they move together or not at all. */
const SIDE_FILES = ['', '-wal', '-shm', '-journal'] as const;

/**
 * Checks that `file` is a sound feedgate instance database (else CliError); returns its
 * revision and the package files it refers to.
 */
function checkBackup(
  file: string,
  shownAs: string,
): { revision: number; files: StoredPackageFile[] } {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (error) {
    throw new CliError(`${shownAs} cannot be opened as a database: ${fsReason(error)}`);
  }
  const refuse = (why: string) => new CliError(`${shownAs} ${why}; nothing was changed`);
  try {
    let problems: string[];
    try {
      problems = integrityProblems(db);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_NOTADB')
        throw refuse('is not a SQLite database');
      throw refuse(`failed its integrity check: ${(error as Error).message}`);
    }
    if (problems.length > 0)
      throw refuse(`failed its integrity check: ${problems.slice(0, 3).join('; ')}`);
    try {
      pendingMigrations(db, MIGRATIONS); // refuses an edited or unknown (newer) migration
    } catch (error) {
      if (error instanceof MigrationError) throw refuse(`is not usable: ${error.message}`);
      throw error;
    }
    if (appliedMigrations(db).length === 0) throw refuse('is not a feedgate instance database');
    let initialized: boolean;
    let revision = 0;
    try {
      const row = instanceRow(db);
      initialized = row.initializedAt !== null;
      revision = row.revision;
    } catch {
      initialized = false;
    }
    if (!initialized) throw refuse('holds no initialized feedgate instance');
    return { revision, files: storedPackageFiles(db) };
  } finally {
    db.close();
  }
}

/** The restore goes in the restored database's own audit log: the trail says it happened. */
function recordRestore(file: string, detail: Record<string, unknown>): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    appendAudit(db, { actor: 'feedgate instance restore', action: 'instance.restore', detail });
  } finally {
    db.close();
  }
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

async function runRestore(options: RestoreOptions): Promise<number> {
  const dataDir = path.resolve(options.dataDir);
  const from = path.resolve(options.from);
  try {
    if (!statSync(from).isFile()) throw new CliError(`backup "${from}" is not a file`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read backup "${from}": ${fsReason(error)}`);
  }
  const created = !existsSync(dataDir);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new CliError(`cannot create data dir "${dataDir}": ${fsReason(error)}`);
  }
  let lock;
  try {
    lock = acquireLock(dataDir);
  } catch (error) {
    if (error instanceof InstanceError) throw new CliError(error.message, EXIT.FAILED);
    throw new CliError(`cannot lock data dir "${dataDir}": ${fsReason(error)}`);
  }
  let restored = false;
  const target = databaseFile(dataDir);
  const incoming = path.join(dataDir, `${DB_FILE}.restore-${process.pid}.tmp`);
  const packages = path.join(dataDir, PACKAGES_DIR);
  const packagesFrom = packagesBeside(from);
  const incomingPackages = `${packages}.restore-${process.pid}.tmp`;
  try {
    try {
      copyFileSync(from, incoming);
      chmodSync(incoming, 0o600);
    } catch (error) {
      throw new CliError(`cannot copy "${from}" into "${dataDir}": ${fsReason(error)}`);
    }
    const { revision, files } = checkBackup(incoming, `backup "${from}"`);
    if (files.length > 0) {
      const missing = missingFile(packagesFrom, files);
      if (missing !== undefined)
        throw new CliError(
          `backup "${from}" refers to ${files.length} package files, but ${path.join(packagesFrom, missing)} is missing or of the wrong size; nothing was changed`,
        );
      try {
        copyPackageFiles(packagesFrom, incomingPackages, files);
      } catch (error) {
        throw new CliError(`cannot copy package files into "${dataDir}": ${fsReason(error)}`);
      }
    }
    const time = stamp();
    const aside = existsSync(target) ? `${target}.before-restore-${time}` : undefined;
    const packagesAside = existsSync(packages) ? `${packages}.before-restore-${time}` : undefined;
    recordRestore(incoming, {
      from,
      revision,
      previous: aside ?? null,
      previousPackages: packagesAside ?? null,
    });
    if (aside !== undefined)
      for (const suffix of SIDE_FILES)
        if (existsSync(target + suffix)) renameSync(target + suffix, aside + suffix);
    if (packagesAside !== undefined) renameSync(packages, packagesAside);
    if (files.length > 0) renameSync(incomingPackages, packages);
    renameSync(incoming, target);
    const lines = [`Restored ${dataDir} from ${from} (policy revision ${revision}).`];
    if (files.length > 0) lines.push(`Its ${files.length} package files are in ${packages}.`);
    if (aside)
      lines.push(
        `The previous database is kept as ${aside} (remove it once the restored instance is checked).`,
      );
    if (packagesAside) lines.push(`The previous package files are kept in ${packagesAside}.`);
    restored = true;
    writeOut(lines.join('\n'));
    return EXIT.OK;
  } finally {
    for (const suffix of SIDE_FILES) rmSync(incoming + suffix, { force: true });
    rmSync(incomingPackages, { recursive: true, force: true });
    lock.release();
    // A refused restore into a new data dir leaves no empty directory behind.
    if (created && !restored) rmSync(dataDir, { recursive: true, force: true });
  }
}
