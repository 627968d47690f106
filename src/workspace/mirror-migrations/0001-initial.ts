// The mirror's first schema: connection profiles (no secret: API keys live in the keychain),
// per connection the last pulled snapshot, the draft with the base it was made against, and
// the operation log behind undo/redo. Never edit this text once released.
import type { Migration } from '../../server/store/migrate';

const up = `
CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL CHECK (kind IN ('remote', 'embedded')),
  url TEXT,
  data_dir TEXT,
  port INTEGER,
  autostart INTEGER NOT NULL DEFAULT 0 CHECK (autostart IN (0, 1)),
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  created_at TEXT NOT NULL,
  CHECK ((kind = 'remote' AND url IS NOT NULL) OR (kind = 'embedded' AND data_dir IS NOT NULL AND port IS NOT NULL))
) STRICT;

CREATE TABLE snapshots (
  connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  policy TEXT NOT NULL,
  pulled_at TEXT NOT NULL
) STRICT;

CREATE TABLE drafts (
  connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  base_revision INTEGER NOT NULL,
  base_policy TEXT NOT NULL,
  policy TEXT NOT NULL,
  cursor INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE draft_operations (
  connection_id TEXT NOT NULL REFERENCES drafts (connection_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  label TEXT NOT NULL,
  forward TEXT NOT NULL,
  inverse TEXT NOT NULL,
  made_at TEXT NOT NULL,
  PRIMARY KEY (connection_id, seq)
) STRICT;
`;

const down = `
DROP TABLE draft_operations;
DROP TABLE drafts;
DROP TABLE snapshots;
DROP TABLE connections;
`;

export const mirrorInitialSchema: Migration = { id: 1, name: 'mirror initial', up, down };
