// The instance's store: SQLite through better-sqlite3, migrations, named statements, and the
// policy as the core sees it.
export {
  openStore,
  openDatabase,
  databaseFile,
  DB_FILE,
  BUSY_TIMEOUT_MS,
  StoreError,
  type Db,
  type OpenOptions,
} from './database';
export {
  migrateUp,
  migrateDown,
  pendingMigrations,
  appliedMigrations,
  migrationHash,
  MigrationError,
  type Migration,
  type AppliedMigration,
} from './migrate';
export { MIGRATIONS } from './migrations/index';
export { readPolicy, storedPolicyFile, readSnapshot, resolveDirectory } from './policy-read';
export { writePolicy } from './policy-write';
export { instanceRow, policyRevision, markInitialized, type InstanceRow } from './sql/instance';
export {
  listDirectories,
  activeDirectory,
  addDirectory,
  directoryByName,
  setActiveDirectory,
  type DirectoryRow,
} from './sql/directories';
export {
  findPrincipal,
  userCredentials,
  setUserPassword,
  setUserEnabled,
  type StoredPassword,
  type UserCredentials,
} from './sql/principals';
export { appendAudit, auditAfter, auditBefore, type AuditEntry, type AuditRow } from './sql/audit';
export {
  apiKeyById,
  listApiKeys,
  revokeApiKey,
  removeApiKey,
  type ApiKeyRow,
  type ApiKeyType,
  type ApiKeyLogging,
} from './sql/api-keys';
