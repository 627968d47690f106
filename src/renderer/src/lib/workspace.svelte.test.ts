// The renderer's workspace store over a fake back end that speaks the real AppApi contract
// and edits with the real engine: what it loads, how edits, undo and redo reach the draft,
// and how failures become one line with what to do next (never the API key).
import { describe, expect, it } from 'vitest';
import { FakeWorkspace } from '../testing/fake-workspace';
import { WorkspaceStore } from './workspace.svelte';

const ALICE_GRANT = {
  op: 'add' as const,
  kind: 'permission' as const,
  item: { user: 'alice', task: 'Publish Packages', feed: 'Staging', deny: false },
};

async function connectedStore(): Promise<{ fake: FakeWorkspace; store: WorkspaceStore }> {
  const fake = new FakeWorkspace();
  fake.addConnection({ id: 'local', kind: 'embedded', url: 'http://127.0.0.1:9001' });
  fake.addConnection({ id: 'prod', isDefault: false });
  const store = new WorkspaceStore(fake.client);
  await store.load();
  await store.pull('local');
  return { fake, store };
}

describe('WorkspaceStore', () => {
  it('loads the connections and opens the default one with its draft', async () => {
    const fake = new FakeWorkspace();
    fake.addConnection({ id: 'prod' });
    fake.addConnection({ id: 'local', kind: 'embedded', url: 'http://127.0.0.1:9001' });
    await fake.client.invoke('sync:pull', { id: 'prod' });
    const store = new WorkspaceStore(fake.client);
    await store.load();

    expect(store.available).toBe(true);
    expect(store.currentId).toBe('prod');
    expect(store.policy?.users.length).toBeGreaterThan(0);
    // 'local' was never pulled: no draft, no edit count.
    expect(store.edits).toEqual({ prod: 0, local: null });
    expect(store.instances.local).toEqual({ state: 'stopped' });
  });

  it('falls back to the sample when the host has no workspace', async () => {
    const fake = new FakeWorkspace();
    fake.answer('connections:list', () => {
      throw new Error('no workspace is open in this host');
    });
    const store = new WorkspaceStore(fake.client);
    await store.load();
    expect(store.available).toBe(false);
    expect(store.policy).toBeNull();
    expect(store.errors.load).toBe('no workspace is open in this host');
  });

  it('edits the draft through draft:edit, then undoes and redoes it', async () => {
    const { fake, store } = await connectedStore();
    expect(store.canUndo).toBe(false);

    expect(await store.edit('Grant add', { operations: [ALICE_GRANT] })).toBe(true);
    expect(fake.callsTo('draft:edit')).toEqual([
      { id: 'local', label: 'Grant add', changeSet: { operations: [ALICE_GRANT] } },
    ]);
    expect(store.policy?.permissions).toContainEqual(ALICE_GRANT.item);
    expect(store.edits.local).toBe(1);
    expect(store.canUndo).toBe(true);

    await store.undo();
    expect(store.policy?.permissions).not.toContainEqual(ALICE_GRANT.item);
    expect(store.canRedo).toBe(true);
    await store.redo();
    expect(store.policy?.permissions).toContainEqual(ALICE_GRANT.item);
    expect(store.canRedo).toBe(false);
  });

  it('keeps the draft and says so when an edit does not apply', async () => {
    const { store } = await connectedStore();
    const before = store.draft;
    const ok = await store.edit('Remove', {
      operations: [{ op: 'remove', kind: 'user', key: 'nobody-such' }],
    });
    expect(ok).toBe(false);
    expect(store.draft).toBe(before);
    expect(store.errors.edit).toMatch(/nobody-such.*Nothing was changed\.$/);
  });

  it('reviews the draft: structural diff, access diff and lint from sync:diff', async () => {
    const { store } = await connectedStore();
    await store.edit('Grant add', { operations: [ALICE_GRANT] });
    await store.refreshReview();
    expect(store.review?.diff.summary).toEqual({ added: 1, removed: 0, updated: 0 });
    expect(store.review?.diff.entries[0]).toMatchObject({ kind: 'permission', change: 'added' });
    expect(store.review?.access.totals.granted).toBeGreaterThan(0);
    // A later edit refreshes the open review.
    await store.undo();
    expect(store.review?.diff.summary).toEqual({ added: 0, removed: 0, updated: 0 });
  });

  it('keeps a remote server only when its test passes, and never holds the key', async () => {
    const fake = new FakeWorkspace();
    const store = new WorkspaceStore(fake.client);
    await store.load();
    fake.answer('connections:test', () => ({
      ok: false,
      kind: 'unauthorized',
      message: 'the server refused the API key (401)',
    }));
    const added = await store.addRemote({
      name: 'Prod',
      url: 'https://proget.example.com',
      apiKey: 'sekrit-key-123',
      keyStorage: 'memory',
    });
    expect(added).toBe(false);
    expect(fake.connections).toEqual([]);
    expect(fake.callsTo('connections:remove')).toHaveLength(1);
    expect(store.errors['add-remote']).toBe(
      'the server did not answer as expected (unauthorized): the server refused the API key (401). Check the URL and the key, then try again; nothing was saved.',
    );
    expect(JSON.stringify(store)).not.toContain('sekrit');

    fake.overrides.delete('connections:test');
    expect(
      await store.addRemote({
        name: 'Prod',
        url: 'https://proget.example.com',
        apiKey: 'sekrit-key-123',
        keyStorage: 'memory',
      }),
    ).toBe(true);
    expect(store.connections.map((c) => c.name)).toEqual(['Prod']);
    expect(store.current?.name).toBe('Prod');
  });

  it('reports push outcomes, sends allowLockout only when confirmed, and shows progress', async () => {
    const { fake, store } = await connectedStore();
    await store.edit('Grant add', { operations: [ALICE_GRANT] });
    let progressSeen: unknown = null;
    fake.answer('sync:push', (args) => {
      fake.emit('sync:progress', { connectionId: 'prod', phase: 'push', done: 9, total: 9 });
      fake.emit('sync:progress', { connectionId: 'local', phase: 'push', done: 1, total: 2 });
      progressSeen = store.progress;
      return args.allowLockout
        ? { status: 'pushed', revision: 2, applied: 1, verified: true, notApplied: [] }
        : { status: 'lockout-refused', findings: [] };
    });

    await store.push();
    // Only the current connection's progress is shown; it is cleared when the push ends.
    expect(progressSeen).toEqual({ connectionId: 'local', phase: 'push', done: 1, total: 2 });
    expect(store.progress).toBeNull();
    expect(store.pushResult?.status).toBe('lockout-refused');
    await store.push(true);
    expect(fake.callsTo('sync:push')).toEqual([
      { id: 'local' },
      { id: 'local', allowLockout: true },
    ]);
    expect(store.pushResult).toMatchObject({ status: 'pushed', verified: true });
  });

  it('keeps the conflicts of a moved server and resolves them with a choice each', async () => {
    const { fake, store } = await connectedStore();
    const conflict = (id: string) => ({
      id,
      kind: 'user',
      key: id,
      reason: 'both sides changed it',
      base: null,
      ours: { name: id },
      theirs: null,
    });
    fake.answer('sync:push', () => ({
      status: 'server-moved',
      merge: { merged: false, baseRevision: 1, conflicts: [conflict('u1'), conflict('u2')] },
    }));
    await store.push();
    expect(store.conflicts.map((c) => c.id)).toEqual(['u1', 'u2']);

    fake.answer('sync:resolve', () => ({ merged: true, baseRevision: 3, conflicts: [] }));
    await store.resolve({ u1: 'ours', u2: 'theirs' });
    expect(fake.callsTo('sync:resolve')).toEqual([
      { id: 'local', choices: { u1: 'ours', u2: 'theirs' } },
    ]);
    expect(store.conflicts).toEqual([]);
  });
});
