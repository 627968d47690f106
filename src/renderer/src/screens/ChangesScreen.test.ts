// The Changes screen over the store and a fake back end that edits with the real engine: the
// draft's diff from sync:diff, undo, the lockout confirmation, and a choice per conflict.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { WorkspaceStore } from '../lib/workspace.svelte';
import { expectNoSeriousViolations } from '../testing/axe';
import { FakeWorkspace } from '../testing/fake-workspace';
import ChangesScreen from './ChangesScreen.svelte';

async function renderEdited() {
  const fake = new FakeWorkspace();
  fake.addConnection({ id: 'local', name: 'This computer', kind: 'embedded' });
  const store = new WorkspaceStore(fake.client);
  await store.load();
  await store.pull('local');
  await store.edit('Grant add', {
    operations: [
      {
        op: 'add',
        kind: 'permission',
        item: { user: 'alice', task: 'Publish Packages', feed: 'Staging', deny: false },
      },
    ],
  });
  const view = render(ChangesScreen, { store });
  await waitFor(() => expect(screen.getByRole('button', { name: 'Push 1 change' })).toBeTruthy());
  return { fake, store, ...view };
}

describe('ChangesScreen', () => {
  it('shows the diff of the draft and undoes an edit', async () => {
    const { container } = await renderEdited();
    expect(screen.getByText(/Publish Packages/, { selector: '.diff-view *' })).toBeTruthy();
    await expectNoSeriousViolations(container);
    await fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Push 0 changes' })).toBeTruthy(),
    );
    expect((screen.getByRole('button', { name: 'Redo' }) as HTMLButtonElement).disabled).toBe(
      false,
    );
  });

  it('asks before pushing a lockout, then pushes with allowLockout and reports', async () => {
    const { fake, container } = await renderEdited();
    fake.answer('sync:push', (args) =>
      args.allowLockout
        ? { status: 'pushed', revision: 2, applied: 1, verified: true, notApplied: [] }
        : {
            status: 'lockout-refused',
            findings: [
              {
                id: 'lockout-risk',
                severity: 'error',
                message: 'No user can administer the instance',
                items: [],
              },
            ],
          },
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Push 1 change' }));
    await waitFor(() =>
      expect(screen.getByText(/would lock every administrator out/)).toBeTruthy(),
    );
    expect(screen.getByText('No user can administer the instance')).toBeTruthy();
    await expectNoSeriousViolations(container);

    await fireEvent.click(
      screen.getByRole('button', { name: 'Push anyway, I accept the lockout risk' }),
    );
    await waitFor(() => expect(screen.getByText(/Applied 1 change/)).toBeTruthy());
    expect(screen.getByText(/verified the server now equals the draft/)).toBeTruthy();
    expect(fake.callsTo('sync:push')).toEqual([
      { id: 'local' },
      { id: 'local', allowLockout: true },
    ]);
  });

  it('resolves conflicts with the choice made for each', async () => {
    const { fake, container } = await renderEdited();
    const conflict = (key: string) => ({
      id: `user:${key}`,
      kind: 'user',
      key,
      reason: 'changed on both sides',
      base: { name: key },
      ours: { name: key, displayName: 'Mine' },
      theirs: null,
    });
    fake.answer('sync:push', () => ({
      status: 'server-moved',
      merge: { merged: false, baseRevision: 1, conflicts: [conflict('alice'), conflict('bob')] },
    }));
    fake.answer('sync:resolve', () => ({ merged: true, baseRevision: 3, conflicts: [] }));
    await fireEvent.click(screen.getByRole('button', { name: 'Push 1 change' }));
    await waitFor(() =>
      expect(screen.getByRole('heading', { name: 'Conflicts (2)' })).toBeTruthy(),
    );
    await expectNoSeriousViolations(container);

    const bob = screen.getByRole('group', { name: /user bob/ });
    await fireEvent.click(bob.querySelector('input[value=theirs]')!);
    await fireEvent.click(screen.getByRole('button', { name: 'Resolve conflicts' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: /Conflicts/ })).toBeNull());
    expect(fake.callsTo('sync:resolve')).toEqual([
      { id: 'local', choices: { 'user:alice': 'ours', 'user:bob': 'theirs' } },
    ]);
  });

  it('says when the diff fails and computes it again on request', async () => {
    const fake = new FakeWorkspace();
    fake.addConnection({ id: 'local', name: 'This computer', kind: 'embedded' });
    const store = new WorkspaceStore(fake.client);
    await store.load();
    await store.pull('local');
    fake.answer('sync:diff', () => {
      throw new Error('the draft cannot be read');
    });
    render(ChangesScreen, { store });
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toMatch(/the draft cannot be read/),
    );
    expect(fake.callsTo('sync:diff')).toHaveLength(1);

    fake.overrides.delete('sync:diff');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Push 0 changes' })).toBeTruthy(),
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
