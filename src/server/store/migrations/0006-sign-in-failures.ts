// The sign-in throttle's counts, shared by the worker processes of one server
// (`feedgate server --workers N`): kept in memory, N workers would allow N times the guesses.
// Times are milliseconds since the epoch. Never edit this text once released.
import type { Migration } from '../migrate';

const up = `
CREATE TABLE sign_in_failures (
  subject TEXT PRIMARY KEY,
  failures INTEGER NOT NULL CHECK (failures > 0),
  locked_until INTEGER NOT NULL,
  last_failure INTEGER NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_by_last_failure ON sign_in_failures (last_failure);
`;

const down = `
DROP TABLE sign_in_failures;
`;

export const signInFailures: Migration = { id: 6, name: 'sign-in failures', up, down };
