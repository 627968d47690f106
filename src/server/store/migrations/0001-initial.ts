// The instance's initial schema. Never edit this text once released: the store records a
// hash of it and refuses to open a database whose applied migrations were edited. Change the
// schema with a new migration instead.
import type { Migration } from '../migrate';

const up = `
CREATE TABLE instance (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
  created_at TEXT NOT NULL,
  initialized_at TEXT
) STRICT;
INSERT INTO instance (id, revision, created_at)
  VALUES (1, 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TABLE directories (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 256),
  kind TEXT NOT NULL CHECK (kind IN ('builtin', 'ldap')),
  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE UNIQUE INDEX directories_one_active ON directories (active) WHERE active = 1;
CREATE UNIQUE INDEX directories_one_builtin ON directories (kind) WHERE kind = 'builtin';
INSERT INTO directories (name, kind, active) VALUES ('Built-in', 'builtin', 1);

CREATE TABLE principals (
  id INTEGER PRIMARY KEY,
  directory_id INTEGER NOT NULL REFERENCES directories (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'group')),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
  virtual INTEGER NOT NULL DEFAULT 0 CHECK (virtual IN (0, 1)),
  UNIQUE (directory_id, kind, name),
  UNIQUE (id, kind),
  UNIQUE (id, directory_id),
  UNIQUE (id, kind, directory_id)
) STRICT;

CREATE TABLE users (
  principal_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL DEFAULT 'user' CHECK (kind = 'user'),
  display_name TEXT,
  email TEXT,
  password_hash BLOB,
  password_salt BLOB,
  password_params TEXT CHECK (password_params IS NULL OR json_valid(password_params)),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CONSTRAINT password_complete CHECK (
    (password_hash IS NULL) = (password_salt IS NULL)
    AND (password_hash IS NULL) = (password_params IS NULL)
  ),
  FOREIGN KEY (principal_id, kind) REFERENCES principals (id, kind) ON DELETE CASCADE
) STRICT;

CREATE TABLE memberships (
  directory_id INTEGER NOT NULL,
  group_id INTEGER NOT NULL,
  group_kind TEXT NOT NULL DEFAULT 'group' CHECK (group_kind = 'group'),
  member_id INTEGER NOT NULL,
  PRIMARY KEY (group_id, member_id),
  CONSTRAINT not_self CHECK (group_id <> member_id),
  FOREIGN KEY (group_id, group_kind, directory_id)
    REFERENCES principals (id, kind, directory_id) ON DELETE CASCADE,
  FOREIGN KEY (member_id, directory_id)
    REFERENCES principals (id, directory_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX memberships_member ON memberships (member_id);
CREATE INDEX memberships_directory ON memberships (directory_id);

CREATE TABLE feed_groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 256)
) STRICT;

CREATE TABLE feeds (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 256),
  feed_type TEXT NOT NULL DEFAULT 'universal',
  feed_group_id INTEGER REFERENCES feed_groups (id),
  access TEXT NOT NULL DEFAULT 'private'
    CHECK (access IN ('private', 'public', 'community', 'organization'))
) STRICT;
CREATE INDEX feeds_feed_group ON feeds (feed_group_id);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 256),
  description TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE task_attributes (
  task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  attribute TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (task_id, attribute)
) STRICT, WITHOUT ROWID;

CREATE TABLE permissions (
  id INTEGER PRIMARY KEY,
  directory_id INTEGER NOT NULL REFERENCES directories (id) ON DELETE CASCADE,
  user_id INTEGER,
  user_kind TEXT NOT NULL DEFAULT 'user' CHECK (user_kind = 'user'),
  group_id INTEGER,
  group_kind TEXT NOT NULL DEFAULT 'group' CHECK (group_kind = 'group'),
  task_id INTEGER NOT NULL REFERENCES tasks (id),
  feed_id INTEGER REFERENCES feeds (id),
  feed_group_id INTEGER REFERENCES feed_groups (id),
  deny INTEGER NOT NULL DEFAULT 0 CHECK (deny IN (0, 1)),
  CONSTRAINT one_principal CHECK ((user_id IS NULL) <> (group_id IS NULL)),
  CONSTRAINT one_scope CHECK (feed_id IS NULL OR feed_group_id IS NULL),
  FOREIGN KEY (user_id, user_kind, directory_id)
    REFERENCES principals (id, kind, directory_id) ON DELETE CASCADE,
  FOREIGN KEY (group_id, group_kind, directory_id)
    REFERENCES principals (id, kind, directory_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX permissions_directory ON permissions (directory_id);
CREATE INDEX permissions_user ON permissions (user_id);
CREATE INDEX permissions_group ON permissions (group_id);
CREATE INDEX permissions_task ON permissions (task_id);
CREATE INDEX permissions_feed ON permissions (feed_id);
CREATE INDEX permissions_feed_group ON permissions (feed_group_id);

CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('system', 'feed', 'personal')),
  display_name TEXT,
  description TEXT,
  key_hash BLOB NOT NULL UNIQUE CHECK (length(key_hash) = 32),
  system_apis TEXT CHECK (system_apis IS NULL OR json_valid(system_apis)),
  package_permissions TEXT CHECK (package_permissions IS NULL OR json_valid(package_permissions)),
  feed_id INTEGER REFERENCES feeds (id) ON DELETE CASCADE,
  feed_group_id INTEGER REFERENCES feed_groups (id) ON DELETE CASCADE,
  user_id INTEGER REFERENCES users (principal_id) ON DELETE CASCADE,
  logging TEXT NOT NULL DEFAULT 'none' CHECK (logging IN ('none', 'request', 'response', 'both')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  expires_at TEXT,
  revoked_at TEXT,
  last_used_at TEXT,
  CONSTRAINT personal_has_user CHECK (type <> 'personal' OR user_id IS NOT NULL),
  CONSTRAINT feed_scope CHECK (
    CASE type
      WHEN 'feed' THEN (feed_id IS NULL) <> (feed_group_id IS NULL)
      ELSE feed_id IS NULL AND feed_group_id IS NULL
    END
  )
) STRICT;
CREATE INDEX api_keys_user ON api_keys (user_id);
CREATE INDEX api_keys_feed ON api_keys (feed_id);
CREATE INDEX api_keys_feed_group ON api_keys (feed_group_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT,
  key_id INTEGER,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
`;

const down = `
DROP TABLE audit_log;
DROP TABLE api_keys;
DROP TABLE permissions;
DROP TABLE task_attributes;
DROP TABLE tasks;
DROP TABLE feeds;
DROP TABLE feed_groups;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE principals;
DROP TABLE directories;
DROP TABLE instance;
`;

export const initialSchema: Migration = { id: 1, name: 'initial schema', up, down };
