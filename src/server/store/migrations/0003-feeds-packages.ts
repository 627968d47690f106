// Feeds get what the policy file does not carry (a description and when they were created),
// and packages get a table: one row per (feed, name, version), with who uploaded it (community
// feeds let people manage only their own), its size and SHA-256 (the file lives under
// DATA_DIR/packages/<feed id>/ by checksum), and whether it is listed. A feed that still holds
// packages cannot be deleted by the database (no cascade: files would be orphaned silently).
// Never edit this text once released.
import type { Migration } from '../migrate';

const up = `
ALTER TABLE feeds ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN created_at TEXT;
UPDATE feeds SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE created_at IS NULL;
-- ALTER TABLE cannot add a column with a non-constant default: feeds created by any path
-- (policy pushes included) get their creation time from this trigger.
CREATE TRIGGER feeds_created_at AFTER INSERT ON feeds WHEN NEW.created_at IS NULL
BEGIN
  UPDATE feeds SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;

CREATE TABLE packages (
  id INTEGER PRIMARY KEY,
  feed_id INTEGER NOT NULL REFERENCES feeds (id),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
  version TEXT NOT NULL CHECK (length(version) BETWEEN 1 AND 128),
  uploader TEXT CHECK (uploader IS NULL OR length(uploader) BETWEEN 1 AND 256),
  uploader_directory TEXT,
  size INTEGER NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  listed INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT uploader_directory_with_uploader CHECK ((uploader IS NULL) = (uploader_directory IS NULL)),
  UNIQUE (feed_id, name, version)
) STRICT;
CREATE INDEX packages_sha256 ON packages (feed_id, sha256);
`;

const down = `
DROP TABLE packages;
DROP TRIGGER feeds_created_at;
ALTER TABLE feeds DROP COLUMN created_at;
ALTER TABLE feeds DROP COLUMN description;
`;

export const feedsPackages: Migration = { id: 3, name: 'feeds packages', up, down };
