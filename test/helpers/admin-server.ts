// A test instance holding the promote example, with a full-control system key.
import { createApiKey } from '../../src/server/auth/api-keys';
import { startTestInstance, writePromoteExample, type TestInstance } from './server';

export interface AdminTestInstance {
  server: TestInstance;
  key: string;
  keyId: number;
  /** The header that sends the key. */
  auth: Record<string, string>;
}

export async function startAdminTestInstance(): Promise<AdminTestInstance> {
  const server = await startTestInstance();
  await writePromoteExample(server.db);
  const created = createApiKey(server.db, { type: 'system', fullControl: true });
  return {
    server,
    key: created.key,
    keyId: created.info.id as number,
    auth: { 'X-ApiKey': created.key },
  };
}
