// The Changes screen: the structural and access diff, lint findings, conflicts, push.
import type { Locator, Page } from '@playwright/test';

export class ChangesPage {
  readonly diffView: Locator;
  /** The push result report, once a push ran. */
  readonly pushReport: Locator;

  constructor(readonly page: Page) {
    this.diffView = page.locator('.diff-view');
    this.pushReport = page.getByRole('status').filter({ hasText: 'Push result' });
  }

  /** "Push N change(s)". */
  pushButton(changes: number): Locator {
    return this.page.getByRole('button', {
      name: `Push ${changes} change${changes === 1 ? '' : 's'}`,
    });
  }

  /** Opens a group of the structural diff (Grants, Tasks, Feeds, ...). */
  async expandDiffGroup(group: string): Promise<void> {
    await this.diffView.getByRole('button', { name: new RegExp(`^▸? *${group}`) }).click();
  }
}
