// API keys: an explicit full-control flag for system keys (rather than reading "no list of
// APIs" as "every API", which would make a forgotten value the most powerful one), and who
// created the key (for the audit trail and listings). Never edit this text once released.
import type { Migration } from '../migrate';

const up = `
ALTER TABLE api_keys ADD COLUMN full_control INTEGER NOT NULL DEFAULT 0
  CONSTRAINT full_control_system CHECK (full_control IN (0, 1) AND (full_control = 0 OR type = 'system'));
ALTER TABLE api_keys ADD COLUMN created_by TEXT;
`;

const down = `
ALTER TABLE api_keys DROP COLUMN created_by;
ALTER TABLE api_keys DROP COLUMN full_control;
`;

export const apiKeyDetails: Migration = { id: 2, name: 'api key details', up, down };
