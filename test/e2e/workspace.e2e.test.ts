// The admin's first journey against a real workspace (mirror in a temp data dir) and a real
// embedded instance started by it, in Chromium through the browser host: first launch, pull,
// an edited grant with undo and redo, its diff, the push, axe scans in both themes.
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness';
import { AppShell } from './pages/app-shell';
import { ChangesPage } from './pages/changes-page';
import { ConnectionsPage } from './pages/connections-page';
import { GrantsPage } from './pages/grants-page';

describe('the workspace journey in Chromium through the browser host', () => {
  // No keychain reachable: the key stays in this process, by an explicit choice.
  const harness = useHarness({ keychain: 'none' });

  it('opens on Connections, creates the embedded default, edits a grant and pushes it', async () => {
    const { page } = harness();
    const shell = new AppShell(page);
    const connections = new ConnectionsPage(page);
    // No keychain: nothing is made until the explicit choice.
    await connections.noKeychainHeading.waitFor();
    expect(new URL(page.url()).hash).toBe('#/connections');
    expect(await harness().inspect(page, 'connections-no-keychain')).toEqual({
      violations: [],
      overflow: 0,
    });

    await connections.keepKeyInMemory();
    await expect.poll(() => connections.rows.count(), { timeout: 60_000 }).toBe(1);
    const row = connections.rows.first();
    await expect.poll(() => connections.status(row).textContent()).toContain('running');
    // First launch pulled: a draft with no edits yet, and the Admin password shown once.
    await expect.poll(() => connections.draftEdits(row).textContent()).toBe('0');
    expect(await connections.adminPassword.textContent()).toMatch(/\S{12,}/);
    expect(await harness().seriousViolations(page)).toEqual([]);

    await shell.open('Grants');
    const grants = new GrantsPage(page);
    await grants.addGrant({ principal: 'Admin', task: 'Publish Packages' });
    await expect.poll(() => shell.draftChip.textContent()).toBe('1 draft change');
    // Ctrl+Z and Ctrl+Shift+Z undo and redo it in the workspace's draft (focus on the button).
    await shell.undo();
    await expect.poll(() => shell.draftChip.count()).toBe(0);
    await shell.redo();
    await expect.poll(() => shell.draftChip.textContent()).toBe('1 draft change');

    await shell.open('Changes');
    const changes = new ChangesPage(page);
    await changes.pushButton(1).waitFor();
    await changes.expandDiffGroup('Grants');
    expect(await changes.diffView.textContent()).toContain('Publish Packages');
    await changes.pushButton(1).click();
    await changes.pushReport.waitFor({ timeout: 30_000 });
    expect((await changes.pushReport.textContent())?.replace(/\s+/g, ' ')).toMatch(
      /Applied 1 change: the server is at revision \d+\. A re-pull verified/,
    );
    await changes.pushButton(0).waitFor();
    expect(await harness().seriousViolations(page)).toEqual([]);
    // The dark theme (following the OS) holds as well.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await harness().seriousViolations(page)).toEqual([]);
    await shell.open('Connections');
    await connections.addServerHeading.waitFor();
    expect(await harness().seriousViolations(page)).toEqual([]);
  }, 120_000);
});
