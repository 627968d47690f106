// The Audit screen: the log newest first, its filter and "Load more".
import type { Locator, Page } from '@playwright/test';

export interface AuditRow {
  time: string;
  user: string;
  key: string;
  action: string;
  summary: string;
}

export class AuditPage {
  readonly heading: Locator;
  readonly table: Locator;
  readonly filter: Locator;
  readonly loadMore: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Audit log', level: 2 });
    this.table = page.getByRole('table', { name: /Audit log of/ });
    this.filter = page.getByRole('searchbox', { name: 'Filter' });
    this.loadMore = page.getByRole('button', { name: 'Load more' });
  }

  /** The rows shown, top (newest) first. */
  async rows(): Promise<AuditRow[]> {
    const rows = this.table.locator('tbody tr');
    const out: AuditRow[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = (await rows.nth(i).getByRole('cell').allTextContents()).map((t) => t.trim());
      const [time = '', user = '', key = '', action = '', summary = ''] = cells;
      out.push({ time, user, key, action, summary });
    }
    return out;
  }

  async filterBy(text: string): Promise<void> {
    await this.filter.fill(text);
  }
}
