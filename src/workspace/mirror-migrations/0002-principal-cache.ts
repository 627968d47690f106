// The principal cache: the users and groups the connected server's directory (built-in or
// LDAP) answered to principal searches, so the principal picker still finds them offline.
// Names and display data only: a directory never sends a secret here. Never edit this text
// once released.
import type { Migration } from '../../server/store/migrate';

const up = `
CREATE TABLE principal_cache (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  directory TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'group')),
  name TEXT NOT NULL,
  display_name TEXT,
  email TEXT,
  seen_at TEXT NOT NULL,
  PRIMARY KEY (connection_id, directory, kind, name)
) STRICT;

CREATE TABLE principal_cache_directories (
  connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  directory TEXT NOT NULL,
  searched_at TEXT NOT NULL
) STRICT;
`;

const down = `
DROP TABLE principal_cache_directories;
DROP TABLE principal_cache;
`;

export const mirrorPrincipalCache: Migration = { id: 2, name: 'principal cache', up, down };
