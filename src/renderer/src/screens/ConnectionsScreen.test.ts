// The Connections screen over the store and a fake back end: the embedded default made at
// launch (EmbeddedDefaultSetup.test.ts covers its states), the list
// with status and draft edits, adding a server (tested before saving, the key never shown
// back), and the embedded instance's start and log.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../core/index';
import { EmbeddedDefaultStore } from '../lib/embedded-default.svelte';
import { SAMPLE_POLICY_TEXT } from '../lib/sample-policy';
import { WorkspaceStore } from '../lib/workspace.svelte';
import { expectNoSeriousViolations } from '../testing/axe';
import { FakeWorkspace } from '../testing/fake-workspace';
import ConnectionsScreen from './ConnectionsScreen.svelte';

async function renderWith(fake: FakeWorkspace) {
  const store = new WorkspaceStore(fake.client);
  const embeddedDefault = new EmbeddedDefaultStore(fake.client, store);
  await store.load();
  const view = render(ConnectionsScreen, { store, embeddedDefault });
  return { store, embeddedDefault, ...view };
}

describe('ConnectionsScreen', () => {
  it('shows the embedded default being made, then its row and its password once', async () => {
    const fake = new FakeWorkspace();
    let made = false;
    fake.answer('launch:default-status', () => {
      if (!made) {
        // The back end finishes between two questions: the instance exists and was pulled.
        made = true;
        fake.addConnection({
          id: 'embedded',
          name: 'Local',
          kind: 'embedded',
          url: 'http://127.0.0.1:9001',
        });
        const pulled = parsePolicy(SAMPLE_POLICY_TEXT);
        fake.drafts.set('embedded', { base: pulled, revision: 1, states: [pulled], cursor: 0 });
        return { state: 'creating', keyStorage: 'keychain' };
      }
      return {
        state: 'created',
        keyStorage: 'keychain',
        connectionId: 'embedded',
        pulledAt: '2026-11-23T17:00:00.000Z',
        adminPassword: 'generated-pw-1',
      };
    });
    const { embeddedDefault, container } = await renderWith(fake);
    await embeddedDefault.watch();
    expect(screen.getByRole('heading', { name: 'Setting up feedgate on this computer' }));
    await expectNoSeriousViolations(container);

    await waitFor(() => expect(screen.getByRole('rowheader', { name: /Local/ })).toBeTruthy(), {
      timeout: 3000,
    });
    const row = screen.getByRole('row', { name: /Local/ });
    expect(within(row).getAllByRole('cell')[4]!.textContent).toBe('0');
    // Pulled by the back end as it made it: the row says when, not "not this session".
    expect(within(row).getAllByRole('cell')[3]!.textContent).toBe(
      new Date('2026-11-23T17:00:00.000Z').toLocaleString(),
    );
    expect(screen.getByText('generated-pw-1')).toBeTruthy();
    expect(screen.getByText('It will not be shown again.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'I have saved it' }));
    expect(screen.queryByText('generated-pw-1')).toBeNull();
    await expectNoSeriousViolations(container);
    embeddedDefault.dispose();
  });

  it('tests a server before saving it and clears the key field whatever the outcome', async () => {
    const fake = new FakeWorkspace();
    fake.addConnection({ id: 'local', name: 'This computer', kind: 'embedded' });
    fake.answer('connections:test', () => ({
      ok: false,
      kind: 'unreachable',
      message: 'connect ECONNREFUSED 10.0.0.9:443',
    }));
    await renderWith(fake);

    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Prod' } });
    await fireEvent.input(screen.getByLabelText('URL'), {
      target: { value: 'proget.example.com' },
    });
    const key = screen.getByLabelText('API key') as HTMLInputElement;
    await fireEvent.input(key, { target: { value: 'sekrit-key-123' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Test and save' }));
    expect(screen.getByRole('alert').textContent).toBe('The URL starts with http:// or https://.');
    expect(fake.callsTo('connections:add-remote')).toEqual([]);

    await fireEvent.input(screen.getByLabelText('URL'), {
      target: { value: 'https://proget.example.com' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Test and save' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toMatch(
        /ECONNREFUSED.*Check the URL and the key, then try again; nothing was saved\./,
      ),
    );
    expect(key.value).toBe('');
    expect(fake.connections.map((c) => c.name)).toEqual(['This computer']);
    expect(document.body.innerHTML).not.toContain('sekrit');
  });

  it('starts the embedded instance and shows its log', async () => {
    const fake = new FakeWorkspace();
    fake.addConnection({ id: 'local', name: 'This computer', kind: 'embedded' });
    fake.answer('instance:start', () => ({ state: 'running', url: 'http://127.0.0.1:9001' }));
    fake.answer('instance:log', () => ({ lines: ['feedgate server listening on 127.0.0.1:9001'] }));
    const { container } = await renderWith(fake);
    const row = screen.getByRole('row', { name: /This computer/ });
    expect(within(row).getByText('stopped')).toBeTruthy();
    expect(within(row).getAllByRole('cell')[4]!.textContent).toBe('not pulled');

    await fireEvent.click(within(row).getByRole('button', { name: 'Start This computer' }));
    await waitFor(() => expect(within(row).getByText('running')).toBeTruthy());
    expect(within(row).getByRole('button', { name: 'Stop This computer' })).toBeTruthy();

    await fireEvent.click(within(row).getByRole('button', { name: 'Log of This computer' }));
    await waitFor(() =>
      expect(
        (screen.getByRole('textbox', { name: 'Instance log' }) as HTMLTextAreaElement).value,
      ).toContain('listening'),
    );
    // A status event from the back end updates the row.
    fake.emit('instance:status', {
      connectionId: 'local',
      state: 'failed',
      message: 'port in use',
    });
    await waitFor(() => expect(within(row).getByText('failed')).toBeTruthy());
    expect(within(row).getByText(/port in use/)).toBeTruthy();
    await expectNoSeriousViolations(container);
  });

  it('says what to do next when a start or a removal fails, in its row, with the busy button back', async () => {
    const fake = new FakeWorkspace();
    fake.addConnection({ id: 'local', name: 'This computer', kind: 'embedded' });
    fake.answer('instance:start', () => {
      throw new Error('the instance exited at start (exit code 1)');
    });
    fake.answer('instance:log', () => ({ lines: ['port 9001 in use'] }));
    fake.answer('connections:remove', () => {
      throw new Error('the mirror is locked by another feedgate');
    });
    const { container } = await renderWith(fake);
    const row = screen.getByRole('row', { name: /This computer/ });

    await fireEvent.click(within(row).getByRole('button', { name: 'Start This computer' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'the instance exited at start (exit code 1). Open its Log for the reason, then try again.',
      ),
    );
    // Under the connection it ran on.
    expect(screen.getByRole('alert').closest('tr')?.previousElementSibling).toBe(row);
    expect(
      (within(row).getByRole('button', { name: 'Start This computer' }) as HTMLButtonElement)
        .disabled,
    ).toBe(false);

    await fireEvent.click(within(row).getByRole('button', { name: 'Remove This computer' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() =>
      expect(screen.getAllByRole('alert').map((a) => a.textContent)).toContain(
        'the mirror is locked by another feedgate. The connection is kept: try again.',
      ),
    );
    expect(screen.getByRole('row', { name: /This computer/ })).toBeTruthy();
    await expectNoSeriousViolations(container);
  });

  it('removes a connection only after a confirmation that says what goes', async () => {
    const fake = new FakeWorkspace();
    fake.addConnection({ id: 'prod', name: 'Prod', url: 'https://feeds.example' });
    const pulled = parsePolicy(SAMPLE_POLICY_TEXT);
    fake.drafts.set('prod', { base: pulled, revision: 1, states: [pulled, pulled], cursor: 1 });
    const removals = () => fake.calls.filter((c) => c.channel === 'connections:remove').length;
    const { store, container } = await renderWith(fake);
    await store.select('prod');
    const remove = () => screen.getByRole('button', { name: 'Remove Prod' });

    remove().focus(); // as a click does in a browser
    await fireEvent.click(remove());
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('1 unpushed edit is lost');
    expect(dialog.textContent).toContain('https://feeds.example itself is not touched');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep it' }));
    await expectNoSeriousViolations(container);
    // Escape keeps it and gives the focus back to Remove.
    await fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(document.activeElement).toBe(remove());
    expect(removals()).toBe(0);

    await fireEvent.click(remove());
    await fireEvent.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' }),
    );
    await waitFor(() => expect(removals()).toBe(1));
    await waitFor(() => expect(screen.queryByRole('row', { name: /Prod/ })).toBeNull());
  });

  it("shows a remote server's status from a test", async () => {
    const fake = new FakeWorkspace();
    fake.addConnection({ id: 'prod', name: 'Prod' });
    await renderWith(fake);
    const row = screen.getByRole('row', { name: /Prod/ });
    expect(within(row).getByText('not tested')).toBeTruthy();
    await fireEvent.click(within(row).getByRole('button', { name: 'Test Prod' }));
    await waitFor(() => expect(within(row).getByText('answers')).toBeTruthy());
    expect(within(row).getByText(/revision 1/)).toBeTruthy();

    fake.answer('connections:test', () => ({
      ok: false,
      kind: 'no-key',
      message: 'the key was kept in memory and the app has restarted',
    }));
    await fireEvent.click(within(row).getByRole('button', { name: 'Test Prod' }));
    await waitFor(() => expect(within(row).getByText('no-key')).toBeTruthy());
    expect(within(row).getByText(/app has restarted/)).toBeTruthy();
  });
});
