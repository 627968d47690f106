// Every migration of the instance's database, in order. Append; never edit or reorder.
import type { Migration } from '../migrate';
import { initialSchema } from './0001-initial';
import { apiKeyDetails } from './0002-api-key-details';
import { feedsPackages } from './0003-feeds-packages';
import { ldapDirectories } from './0004-ldap-directories';
import { apiKeysVersion } from './0005-api-keys-version';
import { signInFailures } from './0006-sign-in-failures';

export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  apiKeyDetails,
  feedsPackages,
  ldapDirectories,
  apiKeysVersion,
  signInFailures,
];
