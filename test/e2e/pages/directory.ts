// The Directory screen: the active directory, the list, an LDAP directory's settings form with
// its two tests, and the switch with the lockout confirmation.
import type { Locator, Page } from '@playwright/test';

export interface LdapDirectoryInput {
  name: string;
  url: string;
  bindDn: string;
  bindPassword: string;
  userBase: string;
  groupBase: string;
}

export class DirectoryPage {
  readonly heading: Locator;
  /** "Active directory on <connection>: <name>". */
  readonly activeLine: Locator;
  readonly connectionTest: Locator;
  readonly signInTest: Locator;
  /** The instance's refusal of a switch, with its reason. */
  readonly refusal: Locator;
  readonly acceptLockout: Locator;
  readonly switchAnyway: Locator;
  /** The notice after a switch, with the way back (Recovery). */
  readonly switched: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Directory', level: 2 });
    this.activeLine = page.locator('p.active-line');
    this.connectionTest = page.getByRole('status', { name: 'Connection test' });
    this.signInTest = page.getByRole('status', { name: 'Sign-in test' });
    this.refusal = page.getByRole('alert').filter({ hasText: 'The instance refused the switch' });
    this.acceptLockout = page.getByLabel(/nobody may be able to administer/);
    this.switchAnyway = page.getByRole('button', { name: 'Switch anyway' });
    this.switched = page.getByRole('status').filter({ hasText: 'is the active directory now' });
  }

  /** The settings form: "Add an LDAP directory" or "LDAP settings of <name>". */
  form(name?: string): Locator {
    return this.page.getByRole('form', {
      name: name === undefined ? 'Add an LDAP directory' : `LDAP settings of ${name}`,
    });
  }

  row(name: string): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name }) });
  }

  async open(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name }).click();
  }

  async addLdapDirectory(input: LdapDirectoryInput): Promise<void> {
    const form = this.form();
    await form.getByLabel('Name', { exact: true }).fill(input.name);
    await form.getByLabel('URL', { exact: true }).fill(input.url);
    await form.getByLabel('Bind DN', { exact: true }).fill(input.bindDn);
    await form.getByLabel('Bind password', { exact: true }).fill(input.bindPassword);
    await form.getByLabel('User base', { exact: true }).fill(input.userBase);
    await form.getByLabel('Group base', { exact: true }).fill(input.groupBase);
    await form.getByRole('button', { name: 'Add directory' }).click();
  }

  async testConnection(): Promise<void> {
    await this.page.getByRole('button', { name: 'Test connection' }).click();
  }

  async testSignIn(user: string, password: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Test sign-in as' });
    await form.getByLabel('Test sign-in as', { exact: true }).fill(user);
    await form.getByLabel('Password', { exact: true }).fill(password);
    await form.getByRole('button', { name: 'Test sign-in' }).click();
  }

  async switchToOpenDirectory(): Promise<void> {
    await this.page.getByRole('button', { name: 'Switch to this directory' }).click();
  }

  /** After a refusal: ticks the confirmation and switches anyway. */
  async confirmLockoutAndSwitch(): Promise<void> {
    await this.acceptLockout.check();
    await this.switchAnyway.click();
  }
}
