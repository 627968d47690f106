// The Recovery wizard's state: choose a connection, read what the reset does, confirm, wait,
// and see the new Admin password once (embedded); or the command to run on the server
// (remote). The password lives here until the admin says it is saved, nowhere else.
import type { ChannelResult } from '../../../shared/app-api';
import type { AppApiClient } from './app-api-client';

export type RecoveryPlan = ChannelResult<'recovery:plan'>;

export const WIZARD_STEPS = [
  { id: 'choose', label: 'Connection' },
  { id: 'explain', label: 'What it does' },
  { id: 'confirm', label: 'Confirm' },
  { id: 'progress', label: 'Reset' },
  { id: 'done', label: 'New password' },
] as const;

export type WizardStep = (typeof WIZARD_STEPS)[number]['id'];

type Client = Pick<AppApiClient, 'invoke'>;

export class RecoveryStore {
  step = $state<WizardStep>('choose');
  plan = $state<RecoveryPlan | null>(null);
  /** Shown once, then dropped by `forgetPassword`. */
  adminPassword = $state<string | null>(null);
  url = $state<string | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  #client: Client;
  #connectionId: string | null = null;

  constructor(client: Client) {
    this.#client = client;
  }

  /** Reads what recovery will do for `connectionId`; moves on to the explanation. */
  async choose(connectionId: string): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      this.plan = await this.#client.invoke('recovery:plan', { id: connectionId });
      this.#connectionId = connectionId;
      this.step = 'explain';
    } catch (error) {
      this.error = `${messageOf(error)}. Choose another connection, or refresh Connections.`;
    } finally {
      this.busy = false;
    }
  }

  goTo(step: WizardStep): void {
    this.error = null;
    this.step = step;
  }

  /** Runs the reset of the chosen embedded instance (stop, reset, start). */
  async reset(): Promise<void> {
    const id = this.#connectionId;
    if (id === null) return;
    this.step = 'progress';
    this.busy = true;
    this.error = null;
    try {
      const result = await this.#client.invoke('recovery:reset', { id });
      if (result.kind !== 'embedded')
        throw new Error('this connection is not an embedded instance');
      this.adminPassword = result.adminPassword;
      this.url = result.url;
      this.step = 'done';
    } catch (error) {
      this.error = `${messageOf(error)}. Read the instance log (Connections) for the reason, then try again.`;
      this.step = 'confirm';
    } finally {
      this.busy = false;
    }
  }

  forgetPassword(): void {
    this.adminPassword = null;
  }

  /** Back to the first step, forgetting everything. */
  startOver(): void {
    this.step = 'choose';
    this.plan = null;
    this.adminPassword = null;
    this.url = null;
    this.error = null;
    this.#connectionId = null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
