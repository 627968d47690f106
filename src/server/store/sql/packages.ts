// Packages of the instance's feeds: one row per (feed, name, version), with who uploaded it
// (a user and their directory; null when a feed or system key did), its size and SHA-256 (the
// file's name under the data dir), and whether it is listed. Feeds' own details beyond the
// policy (description, creation time) and what depends on a feed are read here too.
import type { Db } from '../database';
import { bit, now, prepared } from '../statements';

const COLUMNS = `p.id, f.name AS feed, p.feed_id AS feedId, p.name, p.version,
  p.uploader, p.uploader_directory AS uploaderDirectory, p.size, p.sha256, p.listed,
  p.created_at AS createdAt, p.updated_at AS updatedAt`;

const SQL = {
  feedId: 'SELECT id FROM feeds WHERE name = ?',
  feedByName: `SELECT f.id, f.name, g.name AS feedGroup
    FROM feeds f LEFT JOIN feed_groups g ON g.id = f.feed_group_id WHERE f.name = ?`,
  feedDetails: `SELECT f.id, f.name, f.feed_type AS feedType, g.name AS feedGroup, f.access,
      f.description, f.created_at AS createdAt,
      (SELECT count(*) FROM packages p WHERE p.feed_id = f.id) AS packageCount
    FROM feeds f LEFT JOIN feed_groups g ON g.id = f.feed_group_id ORDER BY f.name`,
  setFeedDescription: 'UPDATE feeds SET description = ? WHERE name = ?',
  feedPackageCount: 'SELECT count(*) AS n FROM packages WHERE feed_id = ?',
  feedKeyCount: 'SELECT count(*) AS n FROM api_keys WHERE feed_id = ?',
  feedGroupKeyCount: 'SELECT count(*) AS n FROM api_keys WHERE feed_group_id = ?',
  get: `SELECT ${COLUMNS} FROM packages p JOIN feeds f ON f.id = p.feed_id
    WHERE f.name = ? AND p.name = ? AND p.version = ?`,
  list: `SELECT ${COLUMNS} FROM packages p JOIN feeds f ON f.id = p.feed_id
    WHERE f.name = ? ORDER BY p.name, p.created_at, p.version`,
  insert: `INSERT INTO packages (feed_id, name, version, uploader, uploader_directory, size, sha256,
      listed, created_at, updated_at)
    VALUES (@feedId, @name, @version, @uploader, @uploaderDirectory, @size, @sha256, 1, @at, @at)`,
  replace: `UPDATE packages SET uploader = @uploader, uploader_directory = @uploaderDirectory,
      size = @size, sha256 = @sha256, listed = 1, updated_at = @at WHERE id = @id`,
  remove: 'DELETE FROM packages WHERE id = ?',
  setListed: 'UPDATE packages SET listed = ?, updated_at = ? WHERE id = ?',
  fileUsers: 'SELECT count(*) AS n FROM packages WHERE feed_id = ? AND sha256 = ?',
} as const;

export interface PackageRow {
  id: number;
  feed: string;
  feedId: number;
  name: string;
  version: string;
  uploader: string | null;
  uploaderDirectory: string | null;
  size: number;
  sha256: string;
  listed: 0 | 1;
  createdAt: string;
  updatedAt: string;
}

export interface FeedDetailsRow {
  id: number;
  name: string;
  feedType: string;
  feedGroup: string | null;
  access: string;
  description: string;
  createdAt: string | null;
  packageCount: number;
}

export interface PackageFile {
  uploader: string | null;
  uploaderDirectory: string | null;
  size: number;
  sha256: string;
}

const count = (row: unknown) => (row as { n: number }).n;

export function feedIdByName(db: Db, name: string): number | undefined {
  return (prepared(db, SQL).feedId.get(name) as { id: number } | undefined)?.id;
}

/** A feed's id and group, by name: what each package request needs. */
export function feedByName(
  db: Db,
  name: string,
): { id: number; name: string; feedGroup: string | null } | undefined {
  return prepared(db, SQL).feedByName.get(name) as
    { id: number; name: string; feedGroup: string | null } | undefined;
}

/** Every feed with its details and how many packages it holds, by name. */
export function listFeedDetails(db: Db): FeedDetailsRow[] {
  return prepared(db, SQL).feedDetails.all() as FeedDetailsRow[];
}

export function setFeedDescription(db: Db, feed: string, description: string): void {
  prepared(db, SQL).setFeedDescription.run(description, feed);
}

/** What still depends on a feed beyond grants: its packages and feed keys. */
export function feedDependents(db: Db, feedId: number): { packages: number; feedKeys: number } {
  const statements = prepared(db, SQL);
  return {
    packages: count(statements.feedPackageCount.get(feedId)),
    feedKeys: count(statements.feedKeyCount.get(feedId)),
  };
}

export function feedGroupKeyCount(db: Db, feedGroupId: number): number {
  return count(prepared(db, SQL).feedGroupKeyCount.get(feedGroupId));
}

export function packageRow(
  db: Db,
  feed: string,
  name: string,
  version: string,
): PackageRow | undefined {
  return prepared(db, SQL).get.get(feed, name, version) as PackageRow | undefined;
}

export function listPackages(db: Db, feed: string): PackageRow[] {
  return prepared(db, SQL).list.all(feed) as PackageRow[];
}

export function insertPackage(
  db: Db,
  feedId: number,
  name: string,
  version: string,
  file: PackageFile,
): number {
  const result = prepared(db, SQL).insert.run({ feedId, name, version, ...file, at: now() });
  return Number(result.lastInsertRowid);
}

/** Overwrites a version in place: new file, new uploader, listed again. */
export function replacePackage(db: Db, id: number, file: PackageFile): void {
  prepared(db, SQL).replace.run({ id, ...file, at: now() });
}

export function removePackage(db: Db, id: number): void {
  prepared(db, SQL).remove.run(id);
}

export function setPackageListed(db: Db, id: number, listed: boolean): void {
  prepared(db, SQL).setListed.run(bit(listed), now(), id);
}

/** How many versions of a feed are stored as this file (a file is removed at zero). */
export function packageFileUsers(db: Db, feedId: number, sha256: string): number {
  return count(prepared(db, SQL).fileUsers.get(feedId, sha256));
}

const FILES_SQL = {
  hasPackages: "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'packages'",
} as const;
const STORED_FILES_SQL = {
  files: 'SELECT DISTINCT feed_id AS feedId, sha256, size FROM packages ORDER BY feed_id, sha256',
} as const;

/** A package file as the database knows it: DATA_DIR/packages/<feedId>/<sha256>, `size` bytes. */
export interface StoredPackageFile {
  feedId: number;
  sha256: string;
  size: number;
}

/** Every package file the database refers to (none before the packages migration), for backups. */
export function storedPackageFiles(db: Db): StoredPackageFile[] {
  if (count(prepared(db, FILES_SQL).hasPackages.get()) === 0) return [];
  return prepared(db, STORED_FILES_SQL).files.all() as StoredPackageFile[];
}
