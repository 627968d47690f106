// Offline edit, restart, push in Chromium through the browser host, on a real workspace with a
// private keychain: pull, stop the embedded instance, edit the draft with the server down (a
// push then fails and says so, keeping the draft), restart the app on the same data dir, find
// the draft intact, the instance started again with the app, push, and read the result back
// from the instance over HTTP.
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness';
import { embeddedDefaultOverHttp } from './instance-http';
import { AppShell } from './pages/app-shell';
import { ChangesPage } from './pages/changes-page';
import { ConnectionsPage } from './pages/connections-page';
import { GrantsPage } from './pages/grants-page';
import { TasksPage } from './pages/tasks-page';

describe('offline edit, restart, push in Chromium', () => {
  const harness = useHarness();

  it('keeps an offline draft across a restart of the app and pushes it once the server is back', async () => {
    const h = harness();
    let page = h.page;
    let connections = new ConnectionsPage(page);
    const instance = await embeddedDefaultOverHttp(connections);
    let row = connections.row('Local');
    const pulledBefore = h.pulledAt('Local');
    await connections.action(row, 'Pull').click();
    await expect.poll(() => h.pulledAt('Local')).not.toBe(pulledBefore);

    // The server goes down; the admin keeps working.
    await connections.action(row, 'Stop').click();
    await expect.poll(() => connections.status(row).textContent()).toContain('stopped');
    let shell = new AppShell(page);
    await shell.open('Tasks');
    const tasks = new TasksPage(page);
    await tasks.newTaskButton.click();
    await tasks.select('New task 1');
    await tasks.setDescription('Read-only access to the feeds');
    await tasks.tick('Feeds_ViewFeed', 'Feeds_DownloadPackage');
    await tasks.saveButton.click();
    await shell.open('Grants');
    await new GrantsPage(page).addGrant({ principal: 'Administrators', task: 'New task 1' });
    await expect.poll(() => shell.draftChip.textContent()).toBe('3 draft changes');

    // A push with the server down fails where it happened, and keeps the draft.
    await shell.open('Changes');
    let changes = new ChangesPage(page);
    await changes.pushButton(2).click();
    await expect
      .poll(() => changes.reportText(), { timeout: 30_000 })
      .toMatch(/The push failed .*The draft is as it was/);
    expect(await shell.draftChip.textContent()).toBe('3 draft changes');
    const offline = await h.inspect(page, 'changes-offline');
    expect(offline).toEqual({ violations: [], overflow: 0 });

    // The app restarts on the same data dir: the draft is intact.
    page = await h.restartHost();
    shell = new AppShell(page);
    connections = new ConnectionsPage(page);
    row = connections.row('Local');
    await expect.poll(() => connections.draftEdits(row).textContent()).toBe('3');
    await expect.poll(() => shell.draftChip.textContent()).toBe('3 draft changes');
    // The default is started with the app (autostart), its key read from the keychain.
    await expect
      .poll(() => connections.status(row).textContent(), { timeout: 30_000 })
      .toContain('running');
    expect(await connections.noKeychainHeading.count()).toBe(0);

    await shell.open('Changes');
    changes = new ChangesPage(page);
    await changes.expandDiffGroup('Tasks');
    expect(await changes.structuralPane.textContent()).toContain('New task 1');
    await changes.pushButton(2).click();
    await expect
      .poll(() => changes.reportText(), { timeout: 30_000 })
      .toMatch(/Applied 2 changes: the server is at revision 2\. A re-pull verified/);

    const { policy } = await instance.client.getSnapshot();
    const pushed = policy.tasks as { name: string; attributes: string[] }[];
    const task = pushed.find((t) => t.name === 'New task 1');
    expect(task).toEqual({
      name: 'New task 1',
      description: 'Read-only access to the feeds',
      attributes: expect.any(Array),
    });
    expect(new Set(task?.attributes)).toEqual(new Set(['Feeds_ViewFeed', 'Feeds_DownloadPackage']));
    expect(policy.permissions).toContainEqual(
      expect.objectContaining({ group: 'Administrators', task: 'New task 1' }),
    );
  }, 120_000);
});
