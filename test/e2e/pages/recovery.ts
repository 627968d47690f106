// The Recovery wizard: choose a connection, read what the reset does, confirm, wait, and the
// new Admin password shown once (embedded); or the command to run (remote).
import type { Locator, Page } from '@playwright/test';

export class RecoveryPage {
  readonly heading: Locator;
  /** The wizard's current step ("3 Confirm"). */
  readonly currentStep: Locator;
  readonly confirmReset: Locator;
  readonly resetNow: Locator;
  readonly progress: Locator;
  readonly newPassword: Locator;
  readonly command: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Recovery', level: 2 });
    this.currentStep = page.locator('[aria-current="step"]');
    this.confirmReset = page.getByLabel(/to the built-in directory with a new Admin password/);
    this.resetNow = page.getByRole('button', { name: 'Reset now' });
    this.progress = page.getByRole('progressbar', { name: 'Reset in progress' });
    this.newPassword = page.getByLabel('New Admin password');
    this.command = page.getByLabel('Recovery command');
  }

  async choose(connectionName: string): Promise<void> {
    await this.page.getByRole('radio', { name: new RegExp(connectionName) }).check();
    await this.next();
  }

  async next(): Promise<void> {
    await this.page.getByRole('button', { name: 'Next' }).click();
  }

  async confirmAndReset(): Promise<void> {
    await this.confirmReset.check();
    await this.resetNow.click();
  }

  async forgetPassword(): Promise<void> {
    await this.page.getByRole('button', { name: 'I have saved it' }).click();
  }
}
