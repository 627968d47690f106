// The keyboard-only journey in Chromium through the browser host: with page.keyboard alone
// (Tab, Shift+Tab, Enter, Space, arrows, Escape; no click) the admin skips to the content,
// reaches every screen from the sidebar and does a real task on the main ones: ticks a task's
// attribute and saves it, adds a grant with the principal picker, selects a row of the grants
// table with arrows and Space, moves to the Feeds tab with an arrow and cancels a feed's
// deletion with Escape, opens a matrix cell's "why", undoes and redoes on Changes, cancels a
// revocation with Escape and closes a new key's once-panel. Every Tab stop shows a focus ring,
// and after every step the focus is not lost to <body>. Then the header's theme toggle pins
// the dark theme and every screen is saved as <screen>-dark.png, axe-scanned (colour contrast
// included) and checked for horizontal overflow at 1024x700.
import type { Locator, Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { useHarness, type E2eHarness } from './harness';
import { InstanceHttp, PROMOTE_EXAMPLE_SEED } from './instance-http';
import { AccessPage } from './pages/access';
import { ApiKeysPage } from './pages/api-keys';
import { AppShell } from './pages/app-shell';
import { ConnectionsPage } from './pages/connections-page';
import { GrantsPage } from './pages/grants-page';
import { KeyboardUser, type FocusState } from './pages/keyboard';
import { TasksPage } from './pages/tasks-page';

/** Every section of the sidebar and the name of its screenshot. */
const SCREENS = [
  ['Connections', 'connections'],
  ['Tasks', 'tasks'],
  ['Grants', 'grants'],
  ['Access', 'access'],
  ['Changes', 'changes'],
  ['API keys', 'api-keys'],
  ['Directory', 'directory'],
  ['Recovery', 'recovery'],
  ['Audit', 'audit'],
  ['Playground', 'playground'],
] as const;

describe('the keyboard-only journey in Chromium', () => {
  const harness = useHarness();

  it('reaches every screen and does the main tasks with the keyboard alone, focus always shown', async () => {
    const h = harness();
    const { page } = h;
    const keys = new KeyboardUser(page);
    const shell = new AppShell(page);
    /** After each step, once the page settles: the focus is on a control and its ring shows. */
    const focusHolds = async (step: string): Promise<void> => {
      let where = '';
      await expect
        .poll(async () => {
          const state = await keys.focused();
          where = state.element;
          return { step, onBody: state.onBody, ring: state.ring };
        })
        .toEqual({ step, onBody: false, ring: true })
        .catch((error: unknown) => {
          throw new Error(`${step}: the focus is on ${where}`, { cause: error });
        });
    };

    /** Every Tab stop on the way shows its ring (none falls to <body>). */
    const everyStopShown = (stops: FocusState[]): void => {
      expect(stops.filter((stop) => stop.onBody || !stop.ring).map((stop) => stop.element)).toEqual(
        [],
      );
    };
    const reach = async (target: Locator, options?: { backwards?: boolean }): Promise<void> =>
      everyStopShown(await keys.tabTo(target, options));
    const open = async (section: string): Promise<void> =>
      everyStopShown(await keys.openSection(section));

    // Set up as another admin would (over HTTP): feeds, Developers with alice, then a pull.
    const connections = new ConnectionsPage(page);
    const password = await connections.readAdminPassword();
    const url = ((await connections.url(connections.row('Local')).textContent()) ?? '').trim();
    await new InstanceHttp(url, password).change(PROMOTE_EXAMPLE_SEED);

    // The Admin password's card is closed with Enter; the focus stays on the screen.
    await reach(connections.adminPasswordCard.getByRole('button', { name: 'I have saved it' }));
    await keys.press('Enter');
    await expect.poll(() => connections.adminPasswordCard.count()).toBe(0);
    await focusHolds('after the password card closed');

    // The first Tab stop is "Skip to content"; Enter moves the focus to the main area.
    await reach(page.getByRole('link', { name: 'Skip to content' }), { backwards: true });
    await focusHolds('skip link');
    await keys.press('Enter');
    expect(await keys.has(shell.main('Connections'))).toBe(true);
    await focusHolds('main after skip');

    // Connections: the row's Pull, with Enter.
    const pulledBefore = h.pulledAt('Local');
    await reach(connections.action(connections.row('Local'), 'Pull'));
    await focusHolds('Pull');
    await keys.press('Enter');
    await expect.poll(() => h.pulledAt('Local')).not.toBe(pulledBefore);
    await expect.poll(() => shell.connectionChip.textContent()).toContain('draft on revision 2');
    await focusHolds('after pull');

    // Tasks: a new task, an attribute ticked with Space, saved with Enter.
    await open('Tasks');
    await shell.main('Tasks').waitFor();
    await focusHolds('Tasks link');
    const tasks = new TasksPage(page);
    await reach(tasks.newTaskButton);
    await keys.press('Enter');
    await tasks.editor.getByRole('heading', { name: 'New task 1' }).waitFor();
    await focusHolds('after New task');
    const view = tasks.attribute('Feeds_ViewFeed');
    await reach(view);
    await focusHolds('attribute checkbox');
    await keys.press('Space');
    expect(await view.isChecked()).toBe(true);
    await reach(tasks.saveButton, { backwards: true });
    await keys.press('Enter');
    // Two edits: the new task, then its attribute.
    await expect.poll(() => shell.draftChip.textContent()).toBe('2 draft changes');
    await focusHolds('after Save task');

    // Grants: the principal picker (type, arrow, Enter), the task select (arrows), Add.
    await open('Grants');
    const grants = new GrantsPage(page);
    await reach(grants.principal);
    await focusHolds('principal picker');
    await keys.type('Develo');
    await page
      .locator(`[id="${await grants.principal.getAttribute('aria-controls')}"]`)
      .getByRole('option', { name: /Developers/ })
      .waitFor();
    await keys.press('ArrowDown', 'Enter');
    expect(await grants.principal.inputValue()).toContain('Developers');
    await reach(grants.task);
    await keys.press('ArrowDown');
    expect(await grants.task.inputValue()).not.toBe('');
    await reach(grants.addButton);
    await keys.press('Enter');
    await expect.poll(() => shell.draftChip.textContent()).toBe('3 draft changes');
    await focusHolds('after Add grant');

    // The table is one tab stop: ↓ moves the cursor row, Space selects it, Escape clears.
    const table = page.getByRole('grid', { name: /^Grants/ });
    await reach(table);
    await keys.press('ArrowDown', 'Space');
    const chosen = table.locator('[role="row"][aria-selected="true"]');
    await expect.poll(() => chosen.count()).toBe(1);
    await keys.press('Escape');
    await expect.poll(() => chosen.count()).toBe(0);
    await focusHolds('grants table');

    // The screen's tabs are one tab stop (→ selects the next); on Feeds & privileges a feed's
    // deletion asks first with the focus on "Keep it", and Escape keeps the feed.
    const feedsTab = page.getByRole('tab', { name: 'Feeds & privileges' });
    await reach(page.getByRole('tab', { name: 'Grants' }), { backwards: true });
    await keys.press('ArrowRight');
    expect(await feedsTab.getAttribute('aria-selected')).toBe('true');
    expect(await keys.has(feedsTab)).toBe(true);
    const deleteStaging = page.getByRole('button', { name: 'Delete feed Staging' });
    await reach(deleteStaging);
    await keys.press('Enter');
    const keepIt = page.getByRole('alertdialog').getByRole('button', { name: 'Keep it' });
    await keepIt.waitFor();
    expect(await keys.has(keepIt)).toBe(true);
    await keys.press('Escape');
    await expect.poll(() => page.getByRole('alertdialog').count()).toBe(0);
    expect(await keys.has(deleteStaging)).toBe(true);
    await focusHolds('after Escape on the deletion');
    expect(await shell.draftChip.textContent()).toBe('3 draft changes');

    // Access: the matrix is one tab stop; arrows move the cursor, Enter explains, Escape closes.
    await open('Access');
    const access = new AccessPage(page);
    await reach(access.matrix);
    await focusHolds('matrix');
    await keys.press('ArrowDown', 'ArrowRight', 'Enter');
    const why = page.getByRole('complementary', { name: 'Why' });
    await expect.poll(() => why.textContent()).toMatch(/ on (Production|Staging)/);
    await focusHolds('after explain');
    await keys.press('Escape');
    await expect.poll(() => why.textContent()).toContain('press Enter');
    await focusHolds('after Escape in the matrix');

    // Changes: Ctrl+Z undoes the grant, Ctrl+Shift+Z redoes it (focus on the sidebar link).
    await open('Changes');
    await page.getByRole('button', { name: /^Push \d+ change/ }).waitFor();
    await shell.undo();
    await expect.poll(() => shell.draftChip.textContent()).toBe('2 draft changes');
    await focusHolds('after undo');
    await shell.redo();
    await expect.poll(() => shell.draftChip.textContent()).toBe('3 draft changes');
    await focusHolds('after redo');

    // API keys: the revocation's confirmation opens with Enter and Escape cancels it; the
    // focus returns to the key's Revoke button.
    await open('API keys');
    const revoke = page.getByRole('button', { name: /^Revoke feedgate desktop/ });
    await reach(revoke);
    await keys.press('Enter');
    const confirm = page.getByRole('button', { name: /^Yes, revoke/ });
    await confirm.waitFor();
    expect(await keys.has(confirm)).toBe(true);
    await focusHolds('confirmation');
    await keys.press('Escape');
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await keys.has(revoke)).toBe(true);
    await focusHolds('after Escape on the confirmation');

    // A feed key made with the form's controls alone (every stop shows its ring, the date
    // field's calendar button too); its once-panel takes the focus, and closing it with Enter
    // leaves the focus on the list.
    const apiKeys = new ApiKeysPage(page);
    await reach(page.getByRole('radio', { name: /^Feed/ }));
    await keys.press('Tab', 'Tab');
    await keys.type('Staging');
    await reach(apiKeys.createButton);
    await keys.press('Enter');
    await apiKeys.createdPanel.waitFor();
    expect(await keys.has(apiKeys.createdPanel)).toBe(true);
    await focusHolds('once-panel');
    await reach(apiKeys.createdPanel.getByRole('button', { name: 'I have saved it, close' }));
    await keys.press('Enter');
    await expect.poll(() => apiKeys.createdPanel.count()).toBe(0);
    expect(await keys.has(page.getByRole('heading', { name: 'Keys of Local' }))).toBe(true);
    await focusHolds('after the once-panel closed');

    // The other screens: reached from the sidebar, their first control reached with Tab.
    for (const section of ['Directory', 'Recovery', 'Audit', 'Playground', 'Connections']) {
      await open(section);
      await shell.main(section).waitFor();
      await focusHolds(`${section} link`);
      await keys.tabInto(shell.main(section));
      await focusHolds(`first control of ${section}`);
    }

    // The dark theme, pinned with the header's toggle (system → light → dark).
    const toggle = page.getByRole('button', { name: /^Theme:/ });
    await reach(toggle, { backwards: true });
    await keys.press('Enter', 'Enter');
    expect(await toggle.getAttribute('aria-label')).toBe('Theme: dark');
    await focusHolds('theme toggle');
    for (const [section, name] of SCREENS) {
      await open(section);
      await shell.main(section).waitFor();
      await reviewDark(h, page, `${name}-dark`);
    }
    // Errors in the dark theme too: a key asked for with no feed says what is missing, there.
    await open('API keys');
    await page.getByRole('radio', { name: /^Feed/ }).waitFor();
    await reach(apiKeys.createButton);
    await keys.press('Enter');
    const problems = page.getByRole('alert').filter({ hasText: /feed/i });
    await problems.first().waitFor();
    // Under the form, and scrolled into the window rather than below it.
    await expect
      .poll(() =>
        problems.first().evaluate((node) => {
          const box = node.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    await focusHolds('after a refused create');
    await reviewDark(h, page, 'api-keys-errors-dark');
  }, 120_000);
});

/** Saved for review, no serious axe violation, no horizontal overflow, in the dark theme. */
async function reviewDark(h: E2eHarness, page: Page, name: string): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  expect(await h.inspect(page, name), name).toEqual({ violations: [], overflow: 0 });
}
