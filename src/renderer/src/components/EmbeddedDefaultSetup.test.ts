// The embedded default on the Connections side, over its store and a fake back end whose
// launch:default-status answers are scripted: progress while the back end works, the Admin
// password shown once (and asked for once), the explicit memory choice when no keychain is
// reachable, a failure with "Try again".
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ChannelResult } from '../../../shared/app-api';
import { EmbeddedDefaultStore } from '../lib/embedded-default.svelte';
import { expectNoSeriousViolations } from '../testing/axe';
import { FakeWorkspace } from '../testing/fake-workspace';
import EmbeddedDefaultSetup from './EmbeddedDefaultSetup.svelte';

type Status = ChannelResult<'launch:default-status'>;

/** The back end's answers in order; the last one repeats. */
function scriptStatus(fake: FakeWorkspace, answers: Status[]): void {
  let next = 0;
  fake.answer('launch:default-status', () => {
    const answer = answers[Math.min(next, answers.length - 1)] as Status;
    next += 1;
    return answer;
  });
}

function setup(fake: FakeWorkspace) {
  let connected = 0;
  const connections = {
    pulledAt: {} as Record<string, string>,
    load: async () => {
      connected += 1;
    },
  };
  const store = new EmbeddedDefaultStore(fake.client, connections);
  const view = render(EmbeddedDefaultSetup, { store, connectionCount: 0 });
  return { store, connections, connected: () => connected, ...view };
}

const PULLED_AT = '2026-11-23T17:00:00.000Z';

const MESSAGE =
  'no OS keychain is reachable (a write probe failed). feedgate keeps API keys and passwords only in the OS keychain';

describe('EmbeddedDefaultSetup', () => {
  it('shows progress while the back end makes the instance, then the password once', async () => {
    const fake = new FakeWorkspace();
    scriptStatus(fake, [
      { state: 'creating', keyStorage: 'keychain' },
      {
        state: 'created',
        keyStorage: 'keychain',
        connectionId: 'c1',
        pulledAt: PULLED_AT,
        adminPassword: 'pw-9x',
      },
      { state: 'created', keyStorage: 'keychain', connectionId: 'c1', pulledAt: PULLED_AT },
    ]);
    const { store, connections, connected, container } = setup(fake);
    await store.watch();
    expect(screen.getByRole('heading', { name: 'Setting up feedgate on this computer' }));
    expect(screen.getByRole('progressbar', { name: 'Creating the embedded instance' }));
    expect(screen.getByRole('status').textContent).toContain('Creating and starting');
    // Nothing to click: no button while the back end works.
    expect(screen.queryAllByRole('button')).toEqual([]);
    await expectNoSeriousViolations(container);

    await waitFor(() => expect(screen.getByText('pw-9x')).toBeTruthy(), { timeout: 3000 });
    expect(connected()).toBe(1);
    // The back end pulled it: the connections learn when.
    expect(connections.pulledAt).toEqual({ c1: PULLED_AT });
    expect(screen.getByText('It will not be shown again.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy the Admin password' })).toBeTruthy();
    await expectNoSeriousViolations(container);
    // The status is not asked again once the back end is done: one password, fetched once.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(fake.callsTo('launch:default-status')).toHaveLength(2);

    await fireEvent.click(screen.getByRole('button', { name: 'I have saved it' }));
    expect(screen.queryByText('pw-9x')).toBeNull();
    expect(store.adminPassword).toBeNull();
    store.dispose();
  });

  it('without a keychain, says so and creates nothing until the memory choice', async () => {
    const fake = new FakeWorkspace();
    scriptStatus(fake, [{ state: 'needs-key-choice', message: MESSAGE }]);
    fake.answer('connections:first-launch', (args) => {
      expect(args).toEqual({ keyStorage: 'memory' });
      const connection = fake.addConnection({ id: 'local', name: 'Local', kind: 'embedded' });
      scriptStatus(fake, [{ state: 'created', keyStorage: 'memory', connectionId: 'local' }]);
      return { created: true, connection, adminPassword: 'pw-mem-1' };
    });
    const { store, connected, container, rerender } = setup(fake);
    await store.watch();
    expect(screen.getByRole('heading', { name: 'No keychain on this computer' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('No OS keychain is reachable');
    expect(screen.getByText(/in memory for this session only/)).toBeTruthy();
    expect(fake.callsTo('connections:first-launch')).toEqual([]);
    await expectNoSeriousViolations(container);

    await fireEvent.click(
      screen.getByRole('button', { name: 'Keep the key in memory for this session' }),
    );
    await waitFor(() => expect(screen.getByText('pw-mem-1')).toBeTruthy());
    expect(connected()).toBe(1);
    expect(store.status).toEqual({ state: 'created', keyStorage: 'memory', connectionId: 'local' });
    // With a connection, the setup card is gone; the password stays until saved.
    await rerender({ connectionCount: fake.connections.length });
    expect(screen.getByText('pw-mem-1')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'No keychain on this computer' })).toBeNull();
    store.dispose();
  });

  it('says why it failed, and tries again with the keychain', async () => {
    const fake = new FakeWorkspace();
    scriptStatus(fake, [{ state: 'failed', message: 'port 40123 is already in use' }]);
    fake.answer('connections:first-launch', () => {
      throw new Error('port 40123 is already in use');
    });
    const { store } = setup(fake);
    await store.watch();
    expect(screen.getByRole('alert').textContent).toContain(
      'Port 40123 is already in use. Try again, or add a remote server below.',
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(fake.callsTo('connections:first-launch')).toHaveLength(1));
    expect(fake.callsTo('connections:first-launch')[0]).toEqual({ keyStorage: 'keychain' });
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    store.dispose();
  });

  it('shows nothing in a host without a workspace', async () => {
    const fake = new FakeWorkspace();
    fake.answer('launch:default-status', () => {
      throw new Error('no workspace is open in this host');
    });
    const { store, container } = setup(fake);
    await store.watch();
    expect(store.status).toBeNull();
    expect(container.textContent?.trim()).toBe('');
  });
});
