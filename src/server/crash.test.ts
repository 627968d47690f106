// SIGKILL in the middle of a stream of writes: a real `feedgate server` process is killed
// while sequential and concurrent writes are in flight. Every write that was acknowledged
// (2xx) is there after a restart on the same data dir, every stored write has its audit entry
// (write and audit are one transaction), the database passes `PRAGMA integrity_check`, and
// the lock left by the killed process is taken over by the new server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from './instance/lock';
import { databaseFile } from './store/index';
import {
  http,
  initializedDataDir,
  readAudit,
  serverProcessDir,
  startServerProcess,
  type ServerProcess,
} from '../../test/helpers/server-process';

const tmp = serverProcessDir();

/** Acknowledged writes before the kill, in the order the answers came. */
const KILL_AFTER = 60;

interface Acknowledged {
  users: string[];
  permissions: number[];
}

/**
 * Streams users/add (each followed by a grant to that user), one at a time with a batch of 4
 * concurrent ones every fifth step, and SIGKILLs the server from inside a concurrent batch once
 * KILL_AFTER writes are acknowledged, so that requests are in flight when it dies. Ends at the
 * first request that fails after the kill.
 */
async function streamAndKill(server: ServerProcess, auth: Record<string, string>) {
  const acknowledged: Acknowledged = { users: [], permissions: [] };
  let killed = false;
  let stopped = false;
  const post = async (target: string, body: unknown) => {
    try {
      const r = await http(server.url, target, { headers: auth, body });
      if (r.status < 200 || r.status > 299) throw new Error(`${target}: ${r.status} ${r.text}`);
      return r.json as { id?: number };
    } catch (error) {
      // Before the kill every write must succeed; after it, the first failure ends the stream.
      if (!killed) throw error;
      stopped = true;
      return undefined;
    }
  };
  const writeUser = async (name: string, concurrent: boolean) => {
    if ((await post('/api/security/users/add', { name })) === undefined) return;
    acknowledged.users.push(name);
    if (concurrent && !killed && acknowledged.users.length >= KILL_AFTER) {
      killed = true;
      server.child.kill('SIGKILL');
    }
    const grant = await post('/api/security/permissions/add', {
      user: name,
      task: 'View & Download Packages',
    });
    if (grant?.id !== undefined) acknowledged.permissions.push(grant.id);
  };
  for (let step = 0; !stopped && step < 10_000; step++) {
    if (step % 5 === 4)
      await Promise.all([0, 1, 2, 3].map((j) => writeUser(`par-${step}-${j}`, true)));
    else await writeUser(`seq-${step}`, false);
  }
  expect(killed).toBe(true);
  return acknowledged;
}

describe('SIGKILL in the middle of a stream of writes', () => {
  it('loses nothing acknowledged; a new server takes over the lock; integrity_check passes', async () => {
    const { dir, key } = await initializedDataDir(tmp.dir, 'data');
    const auth = { 'X-ApiKey': key };
    const first = await startServerProcess(['--data-dir', dir, '--port', '0']);
    const acknowledged = await streamAndKill(first, auth);
    expect(await first.exited).toBeNull(); // killed by the signal
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.users.length).toBeGreaterThanOrEqual(KILL_AFTER);
    // The dead process could not remove its lock.
    const lock = path.join(dir, LOCK_FILE);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: first.child.pid });

    const second = await startServerProcess(['--data-dir', dir, '--port', '0']);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: second.child.pid });

    const snapshot = (await http(second.url, '/api/feedgate/v1/snapshot', { headers: auth }))
      .json as { revision: number; users: { name: string }[]; permissions: { user?: string }[] };
    const stored = snapshot.users.map((u) => u.name).filter((name) => name !== 'Admin');
    for (const name of acknowledged.users) expect(stored, name).toContain(name);
    const listed = (await http(second.url, '/api/security/permissions/list', { headers: auth }))
      .json as { id: number }[];
    const ids = listed.map((p) => p.id);
    for (const id of acknowledged.permissions) expect(ids, `permission ${id}`).toContain(id);

    // Every stored write, acknowledged or cut off before its answer, came with its audit entry
    // and its revision; nothing half-written.
    const audit = await readAudit(second.url, auth);
    const auditedUsers = audit
      .filter((e) => e.action === 'security.users.add')
      .map((e) => e.detail.user);
    expect(auditedUsers.sort()).toEqual([...stored].sort());
    const grants = audit.filter((e) => e.action === 'security.permissions.add');
    expect(grants).toHaveLength(snapshot.permissions.filter((p) => p.user !== undefined).length);
    expect(snapshot.revision).toBe(1 + auditedUsers.length + grants.length);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const db = new Database(databaseFile(dir), { readonly: true });
    try {
      expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  }, 30_000);
});
