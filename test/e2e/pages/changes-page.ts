// The Changes screen: the structural and access diff, lint findings, conflicts, push.
import type { Locator, Page } from '@playwright/test';

export class ChangesPage {
  readonly diffView: Locator;
  /** The structural diff ("Changes") and the access diff ("Access") panes. */
  readonly structuralPane: Locator;
  readonly accessPane: Locator;
  readonly lint: Locator;
  /** The push result report, once a push ran. */
  readonly pushReport: Locator;
  /** The conflicts form after a merge, one fieldset per conflicting item. */
  readonly conflicts: Locator;
  readonly resolveButton: Locator;
  readonly mergeButton: Locator;

  constructor(readonly page: Page) {
    this.diffView = page.locator('.diff-view');
    this.structuralPane = this.diffView.getByRole('region', { name: 'Changes', exact: true });
    this.accessPane = this.diffView.getByRole('region', { name: 'Access', exact: true });
    this.lint = this.diffView.getByRole('region', { name: /^Lint findings/ });
    this.pushReport = page.getByRole('status').filter({ hasText: 'Push result' });
    this.conflicts = page.getByRole('form', { name: /^Conflicts/ });
    this.resolveButton = this.conflicts.getByRole('button', { name: 'Resolve conflicts' });
    this.mergeButton = page.getByRole('button', { name: "Merge the server's changes" });
  }

  /** The push report's text on one line ('' before any push). */
  async reportText(): Promise<string> {
    if ((await this.pushReport.count()) === 0) return '';
    return ((await this.pushReport.textContent()) ?? '').replace(/\s+/g, ' ').trim();
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

  /** Opens every cause of the access diff. */
  async expandAccessCauses(): Promise<void> {
    const causes = this.accessPane.getByRole('button', { expanded: false });
    while ((await causes.count()) > 0) await causes.first().click();
  }

  /** Chooses, for the conflict whose legend holds `item`, keep mine or take theirs. */
  async choose(item: string, choice: 'Keep mine' | 'Take theirs'): Promise<void> {
    await this.conflicts
      .getByRole('group')
      .filter({ hasText: item })
      .getByRole('radio', { name: new RegExp(`^${choice}`) })
      .check();
  }
}
