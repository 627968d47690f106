// A connection's audit log against a real instance over HTTP on 127.0.0.1: newest first in
// pages, each entry with its key's description and a summary, never a key text; the summary
// of each kind of entry; a key that may not read the log.
import { describe, expect, it } from 'vitest';
import { useConnectedInstance } from '../../test/helpers/remote-connection';
import { createKey, revokeKey } from './api-keys';
import { readAudit, summarize } from './audit';
import { RemoteError } from './remote-client';

const instance = useConnectedInstance();

describe('the audit log of a connection', () => {
  it('reads newest first in pages, with the acting key described and never a key text', async () => {
    const { admin, connections, id, connect } = instance();
    const ci = await createKey(connections, id, { type: 'system', description: 'CI pipeline' });
    // The CI key acts: its entries name it by its description.
    const asCiId = await connect('AsCI', ci.text);
    const made = await createKey(connections, asCiId, {
      type: 'feed',
      scope: { feed: 'Staging' },
      permissions: ['view'],
      description: 'upload',
    });
    await revokeKey(connections, id, made.info.id);

    const first = await readAudit(connections, id, { limit: 2 });
    expect(first.entries).toMatchObject([
      {
        action: 'api-keys.revoke',
        keyId: admin.keyId,
        actor: `key ${admin.keyId} (system)`,
        summary: `revoked key ${made.info.id} "upload"`,
      },
      {
        action: 'api-keys.create',
        keyId: ci.info.id,
        keyDescription: 'CI pipeline',
        summary: `created feed key ${made.info.id} "upload"`,
      },
    ]);
    // The admin key of the test instance has no description: no keyDescription is made up.
    expect(first.entries[0]).not.toHaveProperty('keyDescription');
    expect(first.next).toBe(first.entries[1]?.id);

    const rest = await readAudit(connections, id, { before: first.next as number });
    expect(rest.next).toBeNull();
    expect(rest.entries[0]?.summary).toBe(`created system key ${ci.info.id} "CI pipeline"`);
    expect(rest.entries.at(-1)).toMatchObject({
      action: 'instance.init',
      keyId: null,
      summary: 'instance created; administrator Admin in Built-in',
    });
    const text = JSON.stringify([first, rest]);
    for (const secret of [ci.text, made.text, admin.key]) expect(text).not.toContain(secret);
  });

  it('summarizes each kind of entry in one line', () => {
    expect(
      summarize({
        action: 'policy.change',
        detail: {
          fromRevision: 3,
          revision: 4,
          applied: 5,
          operations: ['add user dave', 'add group Testers', 'remove permission x', 'y'],
        },
      }),
    ).toBe('revision 3 → 4: 5 changes (add user dave, add group Testers, remove permission x, …)');
    expect(
      summarize({
        action: 'policy.change',
        detail: { fromRevision: 1, revision: 2, applied: 1, operations: ['add user dave'] },
      }),
    ).toBe('revision 1 → 2: 1 change (add user dave)');
    expect(
      summarize({
        action: 'directory.switch',
        detail: { from: 'Built-in', to: 'LDAP', forced: true, lockedOut: ['Admin'] },
      }),
    ).toBe('active directory Built-in → LDAP (forced)');
    expect(
      summarize({ action: 'feeds.create', detail: { feed: 'Tools', feedType: 'npm', x: {} } }),
    ).toBe('feed Tools, feedType npm');
    expect(summarize({ action: 'api-keys.revoke', detail: { id: 9 } })).toBe('revoked key 9');
  });

  it('says which right a key lacks when it may not read the log', async () => {
    const { connections, id, connect } = instance();
    const feedKey = await createKey(connections, id, {
      type: 'feed',
      scope: { feed: 'Staging' },
      permissions: ['view'],
    });
    const weakId = await connect('FeedKey', feedKey.text);
    const error = await readAudit(connections, weakId).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).message).toBe(
      "access denied: the connection's key may not read the audit log (it needs full control, or a user with Admin_ConfigureProGet)",
    );
  });
});
