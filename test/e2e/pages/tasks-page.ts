// The Tasks screen: the list of tasks (built-in ones marked) and the task editor with its
// attributes by category and the lint findings shown live.
import type { Locator, Page } from '@playwright/test';

export class TasksPage {
  readonly list: Locator;
  readonly newTaskButton: Locator;
  /** The editor of the selected task (a form named by the task). */
  readonly editor: Locator;
  readonly lint: Locator;
  readonly saveButton: Locator;
  readonly description: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByRole('navigation', { name: 'Tasks' });
    this.newTaskButton = this.list.getByRole('button', { name: 'New task' });
    this.editor = page.locator('form.task-editor');
    this.lint = this.editor.getByRole('region', { name: /^Lint findings/ });
    this.saveButton = this.editor.getByRole('button', { name: 'Save task' });
    this.description = this.editor.getByRole('textbox', { name: 'Description' });
  }

  /** Selects a task in the list by its name. */
  async select(name: string): Promise<void> {
    await this.list.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  }

  /** The checkbox of an attribute (by its id, e.g. Feeds_ViewFeed). */
  attribute(id: string): Locator {
    return this.editor.getByRole('checkbox', { name: new RegExp(`\\b${id}\\b`) });
  }

  async tick(...ids: string[]): Promise<void> {
    for (const id of ids) await this.attribute(id).check();
  }

  async setDescription(text: string): Promise<void> {
    await this.description.fill(text);
  }
}
