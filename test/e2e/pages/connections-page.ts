// The Connections screen: the list of connections, the embedded default, the add-server form.
import type { Locator, Page } from '@playwright/test';

export class ConnectionsPage {
  readonly heading: Locator;
  readonly firstLaunchHeading: Locator;
  /** Rows of the connections table (one per connection). */
  readonly rows: Locator;
  /** The embedded instance's Admin password card, shown once. */
  readonly adminPasswordCard: Locator;
  readonly addServerHeading: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Connections', level: 2 });
    this.firstLaunchHeading = page.getByRole('heading', { name: 'No connection yet' });
    this.rows = page.getByRole('row').filter({ has: page.getByRole('rowheader') });
    this.adminPasswordCard = page.getByText(/Admin password, shown this once/);
    this.addServerHeading = page.getByRole('heading', { name: 'Add a server' });
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('rowheader', { name }) });
  }

  /** The row's Status cell (cells after the name: Kind, URL, Status, Last pull, Draft edits). */
  status(row: Locator): Locator {
    return row.getByRole('cell').nth(2);
  }

  draftEdits(row: Locator): Locator {
    return row.getByRole('cell').nth(4);
  }

  /** A row action: Use, Test, Pull, Start, Stop, Log, Remove. */
  action(row: Locator, verb: string): Locator {
    return row.getByRole('button', { name: new RegExp(`^${verb}\\b`) });
  }

  async createEmbeddedWithKeyInMemory(): Promise<void> {
    await this.page.getByRole('button', { name: 'Create it, key in memory only' }).click();
  }
}
