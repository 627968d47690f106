// The Grants screen: the Grants tab (the add-grant form: principal picker, task, scope,
// effect; the table) and the Feeds & privileges tab (feeds by feed group, the privileges of
// people on the chosen feed, set with presets).
import type { Locator, Page } from '@playwright/test';

export class GrantsPage {
  readonly addForm: Locator;
  readonly principal: Locator;
  readonly task: Locator;
  readonly addButton: Locator;
  /** Feeds & privileges: the privileges panel of the chosen feed. */
  readonly privileges: Locator;
  /** Its principal picker, preset choice and apply button (give a person a preset). */
  readonly presetPrincipal: Locator;
  readonly presetChoice: Locator;
  readonly applyPresetButton: Locator;
  /** The line under a principal picker: searching, offline, from the cache. */
  readonly presetPickerNote: Locator;

  constructor(readonly page: Page) {
    this.addForm = page.locator('form.add-grant');
    this.principal = this.addForm.getByRole('combobox', { name: 'Principal' });
    this.task = this.addForm.getByRole('combobox', { name: 'Task' });
    this.addButton = this.addForm.getByRole('button', { name: 'Add', exact: true });
    this.privileges = page.getByRole('region', { name: /^Privileges on / });
    const presetForm = page.getByRole('form', { name: /^Give a user or group a preset on / });
    this.presetPrincipal = presetForm.getByRole('combobox', { name: 'User or group' });
    this.presetChoice = presetForm.getByRole('combobox', { name: 'Privileges' });
    this.applyPresetButton = presetForm.getByRole('button', { name: 'Apply preset' });
    this.presetPickerNote = presetForm.locator('.status');
  }

  /** Picks a principal in the picker by typing and choosing the first suggestion. */
  async pickPrincipal(text: string, picker: Locator = this.principal): Promise<void> {
    await picker.fill(text);
    // The picker's own listbox (the screen's selects have options too).
    const list = this.page.locator(`[id="${await picker.getAttribute('aria-controls')}"]`);
    await list.getByRole('option').first().waitFor();
    await picker.press('ArrowDown');
    await picker.press('Enter');
  }

  /** Adds a grant; `scope` is an option's label (a feed or feed group name; global if absent). */
  async addGrant(input: {
    principal: string;
    task: string;
    scope?: string;
    restriction?: boolean;
  }): Promise<void> {
    await this.pickPrincipal(input.principal);
    await this.task.selectOption(input.task);
    if (input.scope !== undefined)
      await this.addForm.getByRole('combobox', { name: 'Scope' }).selectOption(input.scope);
    await this.addForm
      .getByRole('checkbox', { name: 'Restriction' })
      .setChecked(input.restriction === true);
    await this.addButton.click();
  }

  /** A tab of the screen: Grants, or Feeds & privileges. */
  async openTab(name: 'Grants' | 'Feeds & privileges'): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }

  async createFeed(input: { name: string; feedType: string; access: string }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'New feed', exact: true });
    await form.getByRole('textbox', { name: 'New feed name' }).fill(input.name);
    await form.getByRole('combobox', { name: 'Feed type' }).selectOption(input.feedType);
    await form.getByRole('combobox', { name: 'Access type' }).selectOption(input.access);
    await form.getByRole('button', { name: 'Create feed', exact: true }).click();
  }

  /** The feed's row in the feeds table. */
  feedRow(feed: string): Locator {
    return this.page.getByRole('row').filter({
      has: this.page.getByRole('button', { name: `Privileges on ${feed}`, exact: true }),
    });
  }

  /** Shows the privileges of people on `feed`. */
  async chooseFeed(feed: string): Promise<void> {
    await this.page.getByRole('button', { name: `Privileges on ${feed}`, exact: true }).click();
  }

  /** Gives a person (typed into the picker, first suggestion) a preset by its label. */
  async applyPreset(person: string, preset: string): Promise<void> {
    await this.pickPrincipal(person, this.presetPrincipal);
    await this.presetChoice.selectOption({ label: preset });
    await this.applyPresetButton.click();
  }

  /** The preset select of a person's row in the privileges panel ("user dana"). */
  presetOf(person: string): Locator {
    return this.privileges.getByRole('combobox', { name: `Privileges of ${person}` });
  }
}
