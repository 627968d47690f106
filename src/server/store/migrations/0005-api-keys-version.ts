// A counter of API key changes on the instance row, bumped by triggers in the writing
// transaction, whoever writes (this server, another worker, the CLI): a process keeps the key
// rows it verified for as long as the counter (and the policy revision) stay the same, so a
// revoked key is refused on the next request. Recording last use does not count as a change.
// Never edit this text once released.
import type { Migration } from '../migrate';

// Every column but last_used_at: a column added to api_keys later must be added here too.
const KEY_COLUMNS = `type, display_name, description, key_hash, system_apis, package_permissions,
  feed_id, feed_group_id, user_id, logging, created_at, expires_at, revoked_at, full_control,
  created_by`;
const BUMP = 'UPDATE instance SET api_keys_version = api_keys_version + 1 WHERE id = 1;';

const up = `
ALTER TABLE instance ADD COLUMN api_keys_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER api_keys_version_insert AFTER INSERT ON api_keys BEGIN ${BUMP} END;
CREATE TRIGGER api_keys_version_delete AFTER DELETE ON api_keys BEGIN ${BUMP} END;
CREATE TRIGGER api_keys_version_update AFTER UPDATE OF ${KEY_COLUMNS} ON api_keys
  BEGIN ${BUMP} END;
`;

const down = `
DROP TRIGGER api_keys_version_update;
DROP TRIGGER api_keys_version_delete;
DROP TRIGGER api_keys_version_insert;
ALTER TABLE instance DROP COLUMN api_keys_version;
`;

export const apiKeysVersion: Migration = { id: 5, name: 'api keys version', up, down };
