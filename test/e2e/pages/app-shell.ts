// The frame around every screen: the sidebar's sections and the draft chip.
import type { Locator, Page } from '@playwright/test';

export class AppShell {
  /** "N draft change(s)" in the header, absent without draft edits. */
  readonly draftChip: Locator;
  /** The current connection in the header: "Local · draft on revision 2". */
  readonly connectionChip: Locator;

  constructor(readonly page: Page) {
    this.draftChip = page.locator('.chip.draft');
    this.connectionChip = page.locator('header a.connection');
  }

  /**
   * Opens a section by its sidebar link (Connections, Tasks, Grants, Access, Changes, ...).
   * A link with a badge is named "Changes, 1 pending".
   */
  async open(section: string): Promise<void> {
    const name = new RegExp(`^${section}(, \\d+ pending)?$`);
    await this.page.getByRole('navigation').getByRole('link', { name }).click();
  }

  /** The main landmark, named after the open section. */
  main(section: string): Locator {
    return this.page.getByRole('main', { name: section });
  }

  /** Undo and redo of the draft, as a person does it (Ctrl+Z, Ctrl+Shift+Z). */
  async undo(): Promise<void> {
    await this.page.keyboard.press('Control+z');
  }

  async redo(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+z');
  }
}
