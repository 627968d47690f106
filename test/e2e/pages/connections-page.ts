// The Connections screen: the list of connections, the embedded default, the add-server form.
import type { Locator, Page } from '@playwright/test';

export class ConnectionsPage {
  readonly heading: Locator;
  /** The embedded default under way (the back end makes it at launch). */
  readonly settingUpHeading: Locator;
  /** No keychain reachable: the explicit choice to keep the key in memory. */
  readonly noKeychainHeading: Locator;
  /** No connection and nothing being made (all connections removed). */
  readonly noConnectionHeading: Locator;
  /** Rows of the connections table (one per connection). */
  readonly rows: Locator;
  /** The embedded instance's Admin password card, shown once; the password in it. */
  readonly adminPasswordCard: Locator;
  readonly adminPassword: Locator;
  readonly addServerHeading: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Connections', level: 2 });
    this.settingUpHeading = page.getByRole('heading', {
      name: 'Setting up feedgate on this computer',
    });
    this.noKeychainHeading = page.getByRole('heading', { name: 'No keychain on this computer' });
    this.noConnectionHeading = page.getByRole('heading', { name: 'No connection yet' });
    this.rows = page.getByRole('row').filter({ has: page.getByRole('rowheader') });
    this.adminPasswordCard = page.getByRole('region', {
      name: "The embedded instance's Admin password",
    });
    this.adminPassword = this.adminPasswordCard.locator('code.secret');
    this.addServerHeading = page.getByRole('heading', { name: 'Add a server' });
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('rowheader', { name }) });
  }

  /** The row's Status cell (cells after the name: Kind, URL, Status, Last pull, Draft edits). */
  status(row: Locator): Locator {
    return row.getByRole('cell').nth(2);
  }

  url(row: Locator): Locator {
    return row.getByRole('cell').nth(1);
  }

  lastPull(row: Locator): Locator {
    return row.getByRole('cell').nth(3);
  }

  draftEdits(row: Locator): Locator {
    return row.getByRole('cell').nth(4);
  }

  /** A row action: Use, Test, Pull, Start, Stop, Log, Remove. */
  action(row: Locator, verb: string): Locator {
    return row.getByRole('button', { name: new RegExp(`^${verb}\\b`) });
  }

  async keepKeyInMemory(): Promise<void> {
    await this.page
      .getByRole('button', { name: 'Keep the key in memory for this session' })
      .click();
  }

  /** Waits for the embedded instance's Admin password card and reads the password. */
  async readAdminPassword(): Promise<string> {
    await this.adminPasswordCard.waitFor({ timeout: 60_000 });
    return ((await this.adminPassword.textContent()) ?? '').trim();
  }

  async passwordSaved(): Promise<void> {
    await this.adminPasswordCard.getByRole('button', { name: 'I have saved it' }).click();
  }
}
