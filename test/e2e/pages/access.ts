// The Access screen: its tabs (Matrix, Who can …, What can … do), the matrix's cells, and the
// "who can" search with its answer.
import type { Locator, Page } from '@playwright/test';

export class AccessPage {
  readonly matrix: Locator;
  readonly matrixSubject: Locator;
  /** The matrix's "Why" panel: the chosen cell's decisions. */
  readonly matrixWhy: Locator;
  readonly whoSubject: Locator;
  readonly whoScope: Locator;
  readonly whoSearchButton: Locator;
  /** The "who can" answer: one item per user or group. */
  readonly whoAnswers: Locator;
  readonly whoSummary: Locator;
  /** "What can … do": the principal picker, the feed, and the two answer tables. */
  readonly whatPrincipal: Locator;
  readonly whatFeed: Locator;
  readonly whatAllowed: Locator;
  readonly whatDenied: Locator;

  constructor(readonly page: Page) {
    this.matrix = page.getByRole('grid', { name: 'Effective access' });
    this.matrixSubject = page.getByRole('combobox', { name: 'Attribute or task' });
    this.matrixWhy = page.getByRole('complementary', { name: 'Why' });
    const who = page.getByRole('region', { name: 'Who can' });
    this.whoSubject = who.getByRole('combobox', { name: 'Attribute or task' });
    this.whoScope = who.getByRole('combobox', { name: 'Feed or feed group' });
    this.whoSearchButton = who.getByRole('button', { name: /^Search/ });
    this.whoAnswers = who.getByRole('listitem');
    this.whoSummary = who.locator('.summary');
    const what = page.getByRole('region', { name: 'What can … do' });
    this.whatPrincipal = what.getByRole('combobox', { name: 'User or group' });
    this.whatFeed = what.getByRole('combobox', { name: 'on feed' });
    this.whatAllowed = what.getByRole('table', { name: /^Allowed/ });
    this.whatDenied = what.getByRole('table', { name: /^Denied/ });
  }

  async openTab(name: 'Matrix' | 'Who can …' | 'What can … do'): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }

  /** Asks who can `subject` (an attribute id, or `task:<name>`) on a feed. */
  async whoCan(subject: string, feed: string): Promise<void> {
    await this.whoSubject.selectOption(
      subject.startsWith('task:') ? subject : `attribute:${subject}`,
    );
    await this.whoScope.selectOption(`feed:${feed}`);
    await this.whoSearchButton.click();
  }

  /** Asks what a user or group (typed, first suggestion) can do on a feed. */
  async whatCan(principal: string, feed: string): Promise<void> {
    const what = this.page.getByRole('region', { name: 'What can … do' });
    await this.whatPrincipal.fill(principal);
    await what.getByRole('option').first().waitFor();
    await this.whatPrincipal.press('ArrowDown');
    await this.whatPrincipal.press('Enter');
    await this.whatFeed.selectOption(feed);
    await what.getByRole('button', { name: /^Search/ }).click();
  }

  /**
   * The matrix cell of a row (user or group) and a feed column, once the back end has named
   * the column (its state may still be loading: see matrixCellState).
   */
  async matrixCell(row: string, feed: string): Promise<Locator> {
    await this.matrix.getByRole('columnheader', { name: feed, exact: true }).waitFor();
    const headers = await this.matrix.getByRole('columnheader').allTextContents();
    const column = headers.findIndex((h) => h.trim() === feed);
    if (column < 1)
      throw new Error(`no column for feed ${feed} in the matrix: ${headers.join(', ')}`);
    return this.matrix
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: row, exact: true }) })
      .locator(`[role="gridcell"][aria-colindex="${column + 1}"]`);
  }

  /** The state of a matrix cell once the back end has answered it for the current draft. */
  async matrixCellState(row: string, feed: string): Promise<string | null> {
    const cell = await this.matrixCell(row, feed);
    await cell.and(this.page.locator('[aria-busy="false"]')).waitFor();
    return cell.getAttribute('data-state');
  }
}
