// LDAP directories keep their configuration in `directories.settings` (JSON, without the bind
// password) and their bind password sealed (AES-256-GCM, the key in the data dir, see
// directory/sealed-secret.ts) in a column of its own: the password must be usable to bind, so
// it cannot be a hash, and it is never stored in clear. `updated_at` tells when a directory's
// settings last changed. Never edit this text once released.
import type { Migration } from '../migrate';

const up = `
ALTER TABLE directories ADD COLUMN bind_password_sealed BLOB
  CONSTRAINT bind_password_ldap_only CHECK (bind_password_sealed IS NULL OR kind = 'ldap');
ALTER TABLE directories ADD COLUMN updated_at TEXT;
UPDATE directories SET updated_at = created_at;
`;

const down = `
ALTER TABLE directories DROP COLUMN updated_at;
ALTER TABLE directories DROP COLUMN bind_password_sealed;
`;

export const ldapDirectories: Migration = { id: 4, name: 'ldap directories', up, down };
