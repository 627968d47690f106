// The workspace's connections with one remote connection (key kept in memory) to a real test
// instance on 127.0.0.1 that holds the promote example: for the tests of what the workspace
// does on a connected instance (API keys, audit).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { Connections } from '../../src/workspace/connections';
import { Mirror } from '../../src/workspace/mirror';
import { RemoteError } from '../../src/workspace/remote-client';
import { startAdminTestInstance, type AdminTestInstance } from './admin-server';
import { ROOT } from './cli';

export interface ConnectedInstance {
  admin: AdminTestInstance;
  connections: Connections;
  /** The connection to `admin` with its full-control key. */
  id: string;
  /** Adds another connection to the same instance with `apiKey`; returns its id. */
  connect(name: string, apiKey: string): Promise<string>;
}

/** Started before the file's tests, closed after them; the getter fails outside a test. */
export function useConnectedInstance(): () => ConnectedInstance {
  let connected: ConnectedInstance | undefined;
  let dir: string;
  let mirror: Mirror;
  beforeAll(async () => {
    const admin = await startAdminTestInstance();
    dir = mkdtempSync(path.join(tmpdir(), 'feedgate-connected-'));
    mirror = Mirror.open(path.join(dir, 'workspace.db'));
    const connections = new Connections({
      mirror,
      cliBundle: path.join(ROOT, 'dist/cli/feedgate.cjs'),
      appDataDir: dir,
    });
    const connect = async (name: string, apiKey: string) =>
      (await connections.addRemote({ name, url: admin.server.base, apiKey, keyStorage: 'memory' }))
        .id;
    connected = { admin, connections, id: await connect('Test', admin.key), connect };
  });
  afterAll(async () => {
    mirror?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await connected?.admin.server.close();
  });
  return () => {
    if (connected === undefined) throw new Error('the instance is connected in beforeAll');
    return connected;
  };
}

/** The RemoteError `work` fails with (fails the test when it does not). */
export async function remoteFailure(work: () => Promise<unknown>): Promise<RemoteError> {
  const error = await work().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}
