// The API keys screen: the list, the create form, the one-time panel of a new key, and
// revoking a key after its confirmation.
import type { Locator, Page } from '@playwright/test';

export interface FeedKeyInput {
  feed: string;
  permissions: ('view' | 'add' | 'promote' | 'delete')[];
  description: string;
}

export class ApiKeysPage {
  readonly heading: Locator;
  readonly table: Locator;
  readonly createButton: Locator;
  /** The panel that shows a new key once. */
  readonly createdPanel: Locator;
  readonly newKey: Locator;
  readonly copyButton: Locator;
  readonly copyOutcome: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'API keys', level: 2 });
    this.table = page.getByRole('table', { name: /API keys of/ });
    this.createButton = page.getByRole('button', { name: 'Create key' });
    this.createdPanel = page.getByRole('dialog', { name: /Key \d+ created/ });
    this.newKey = this.createdPanel.getByRole('textbox', { name: 'The new API key' });
    this.copyButton = this.createdPanel.getByRole('button', { name: /^Copy/ });
    this.copyOutcome = this.createdPanel.getByRole('status');
  }

  /** The row of a key, by its description. */
  row(description: string): Locator {
    return this.table.getByRole('row', { name: new RegExp(description) });
  }

  /** A row's cell by its column header ("State", "Scope", ...). */
  async cell(description: string, column: string): Promise<string> {
    const headers = await this.table.getByRole('columnheader').allTextContents();
    const index = headers.findIndex((h) => h.trim() === column);
    // The row header (Key) is the first column: cells start at the second.
    const text = await this.row(description)
      .getByRole('cell')
      .nth(index - 1)
      .textContent();
    return (text ?? '').replace(/\s+/g, ' ').trim();
  }

  async createFeedKey(input: FeedKeyInput): Promise<void> {
    await this.page.getByRole('radio', { name: /^Feed/ }).check();
    await this.page.getByRole('combobox', { name: 'Reaches' }).selectOption('feed');
    await this.page.getByRole('combobox', { name: 'Feed', exact: true }).fill(input.feed);
    for (const permission of ['view', 'add', 'promote', 'delete'] as const) {
      const box = this.page.getByRole('checkbox', { name: new RegExp(`^${permission}`) });
      await box.setChecked(input.permissions.includes(permission));
    }
    await this.page.getByRole('textbox', { name: 'Description' }).fill(input.description);
    await this.createButton.click();
  }

  async copyNewKey(): Promise<void> {
    await this.copyButton.click();
  }

  async closeNewKey(): Promise<void> {
    await this.createdPanel.getByRole('button', { name: 'I have saved it, close' }).click();
  }

  async revoke(description: string): Promise<void> {
    await this.row(description)
      .getByRole('button', { name: /^Revoke/ })
      .click();
    await this.page
      .getByRole('button', { name: new RegExp(`^Yes, revoke ${description}`) })
      .click();
  }
}
