// The Grants screen: the add-grant form (principal picker, task, scope, effect) and the table.
import type { Locator, Page } from '@playwright/test';

export class GrantsPage {
  readonly addForm: Locator;
  readonly principal: Locator;
  readonly task: Locator;
  readonly addButton: Locator;

  constructor(readonly page: Page) {
    this.addForm = page.locator('form.add-grant');
    this.principal = this.addForm.getByRole('combobox', { name: 'Principal' });
    this.task = this.addForm.getByRole('combobox', { name: 'Task' });
    this.addButton = this.addForm.getByRole('button', { name: 'Add', exact: true });
  }

  /** Picks a principal in the picker by typing and choosing the first suggestion. */
  async pickPrincipal(text: string): Promise<void> {
    await this.principal.fill(text);
    await this.page.getByRole('option').first().waitFor();
    await this.principal.press('ArrowDown');
    await this.principal.press('Enter');
  }

  async addGrant(input: { principal: string; task: string }): Promise<void> {
    await this.pickPrincipal(input.principal);
    await this.task.selectOption(input.task);
    await this.addButton.click();
  }
}
