// The Recovery wizard over its store and a fake back end: for an embedded instance, the steps
// from choosing it to the new password shown once (confirmation required, progress while the
// reset runs, a failure back at the confirm step); for a remote server, the command to run
// there with a copy button and the steps.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelResult } from '../../../shared/app-api';
import type { AppApiClient } from '../lib/app-api-client';
import { RecoveryStore } from '../lib/recovery.svelte';
import { expectNoSeriousViolations } from '../testing/axe';
import { FakeWorkspace } from '../testing/fake-workspace';
import RecoveryScreen from './RecoveryScreen.svelte';

const EMBEDDED_PLAN: ChannelResult<'recovery:plan'> = {
  kind: 'embedded',
  connectionName: 'This computer',
  host: 'this computer',
  command: 'feedgate recover reset-directory --data-dir /home/a/.local/share/feedgate/local',
  steps: [
    'Stop the embedded instance if it runs.',
    'Reset it to the built-in directory with a new, generated Admin password.',
    'Start it again.',
    'Show the new Admin password, once.',
  ],
  effects: ['No directory, grant or API key is removed.'],
};

const REMOTE_PLAN: ChannelResult<'recovery:plan'> = {
  kind: 'remote',
  connectionName: 'Prod',
  host: 'feedgate.example.com',
  command: 'feedgate recover reset-directory --data-dir DATA_DIR',
  fillIn: 'DATA_DIR: the --data-dir that this server’s `feedgate server` runs with.',
  steps: ['Open a shell on feedgate.example.com as the account that owns the data dir.'],
  effects: ['No directory, grant or API key is removed.'],
};

function setup() {
  const fake = new FakeWorkspace();
  fake.addConnection({ id: 'local', name: 'This computer', kind: 'embedded' });
  fake.addConnection({ id: 'prod', name: 'Prod', url: 'https://feedgate.example.com' });
  fake.answer('recovery:plan', (args) => (args.id === 'prod' ? REMOTE_PLAN : EMBEDDED_PLAN));
  return fake;
}

/** The fake's client, with `recovery:reset` held until the test lets it go. */
function withHeldReset(fake: FakeWorkspace) {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const client: Pick<AppApiClient, 'invoke'> = {
    invoke: async (channel, args) => {
      if (channel === 'recovery:reset') await held;
      return fake.client.invoke(channel, args);
    },
  };
  return { client, release: () => release() };
}

function renderWizard(fake: FakeWorkspace, client: Pick<AppApiClient, 'invoke'> = fake.client) {
  const store = new RecoveryStore(client);
  const view = render(RecoveryScreen, {
    store,
    connections: fake.connections,
    currentId: 'local',
  });
  return { store, ...view };
}

const copied: string[] = [];
Object.defineProperty(navigator, 'clipboard', {
  configurable: true,
  value: { writeText: async (text: string) => void copied.push(text) },
});
afterEach(() => void copied.splice(0));

const currentStep = () =>
  document.querySelector('[aria-current="step"]')?.textContent?.replace(/\s+/g, ' ').trim();

describe('RecoveryScreen', () => {
  it('resets an embedded instance: explained, confirmed, in progress, the new password once', async () => {
    const fake = setup();
    fake.answer('recovery:reset', (args) => {
      expect(args).toEqual({ id: 'local' });
      return { kind: 'embedded', adminPassword: 'new-admin-pw-77', url: 'http://127.0.0.1:9001' };
    });
    const { client, release } = withHeldReset(fake);
    const { container } = renderWizard(fake, client);
    expect(currentStep()).toBe('1 Connection');
    expect((screen.getByLabelText(/This computer/) as HTMLInputElement).checked).toBe(true);
    await expectNoSeriousViolations(container);

    await fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: 'What the reset does to This computer' });
    expect(currentStep()).toBe('2 What it does');
    expect(screen.getByText('Start it again.')).toBeTruthy();
    expect(screen.getByText(/No directory, grant or API key is removed/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    expect(currentStep()).toBe('3 Confirm');
    const reset = screen.getByRole('button', { name: 'Reset now' }) as HTMLButtonElement;
    expect(reset.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText(/Reset This computer to the built-in directory/));
    await fireEvent.click(reset);

    await screen.findByRole('heading', { name: 'Resetting This computer…' });
    expect(currentStep()).toBe('4 Reset');
    expect(screen.getByRole('progressbar', { name: 'Reset in progress' })).toBeTruthy();
    await expectNoSeriousViolations(container);
    release();

    const password = await screen.findByLabelText('New Admin password');
    expect((password as HTMLInputElement).value).toBe('new-admin-pw-77');
    expect(currentStep()).toBe('5 New password');
    await fireEvent.click(screen.getByRole('button', { name: 'Copy the password' }));
    await waitFor(() => expect(copied).toEqual(['new-admin-pw-77']));
    expect(screen.getByText('Copied')).toBeTruthy();
    await expectNoSeriousViolations(container);

    await fireEvent.click(screen.getByRole('button', { name: 'I have saved it' }));
    expect(screen.queryByLabelText('New Admin password')).toBeNull();
    expect(document.body.textContent).not.toContain('new-admin-pw-77');
    expect(screen.getByRole('link', { name: 'Directory' })).toBeTruthy();
  });

  it('a failed reset goes back to the confirm step and says what to do', async () => {
    const fake = setup();
    fake.answer('recovery:reset', () => {
      throw new Error('feedgate recover ended (exit code 1)');
    });
    renderWizard(fake);
    await fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Next' }));
    await fireEvent.click(screen.getByLabelText(/Reset This computer/));
    await fireEvent.click(screen.getByRole('button', { name: 'Reset now' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'feedgate recover ended (exit code 1). Read the instance log (Connections) for the reason, then try again.',
      ),
    );
    expect(currentStep()).toBe('3 Confirm');
  });

  it('gives the exact command for a remote server, with a copy button and the steps', async () => {
    const fake = setup();
    const { container } = renderWizard(fake);
    await fireEvent.click(screen.getByLabelText(/Prod/));
    await fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: 'Run this on feedgate.example.com' });
    expect((screen.getByLabelText('Recovery command') as HTMLInputElement).value).toBe(
      'feedgate recover reset-directory --data-dir DATA_DIR',
    );
    expect(screen.getByText(/DATA_DIR: the --data-dir/)).toBeTruthy();
    expect(screen.getByText(/Open a shell on feedgate.example.com/)).toBeTruthy();
    // No reset from here: the wizard's last step is the command.
    expect(screen.queryByRole('button', { name: 'Next' })).toBeNull();
    expect(document.querySelectorAll('.steps li').length).toBe(2);
    expect(fake.callsTo('recovery:reset')).toEqual([]);

    await fireEvent.click(screen.getByRole('button', { name: 'Copy the command' }));
    await waitFor(() =>
      expect(copied).toEqual(['feedgate recover reset-directory --data-dir DATA_DIR']),
    );
    await expectNoSeriousViolations(container);
    await fireEvent.click(screen.getByRole('button', { name: 'Start over' }));
    expect(currentStep()).toBe('1 Connection');
  });
});
