// A conflict resolved in Chromium through the browser host, on a real workspace with a private
// keychain: the admin pulls two tasks; another admin changes both on the server over HTTP; the
// admin changes the same two in the app; the push is refused as server-moved and the merge
// shows a conflict per task; the admin keeps theirs for one and takes the server's for the
// other, pushes, and the server holds exactly those choices.
import { describe, expect, it } from 'vitest';
import type { ChangeSet } from '../../src/core/index';
import { useHarness } from './harness';
import { embeddedDefaultOverHttp } from './instance-http';
import { AppShell } from './pages/app-shell';
import { ChangesPage } from './pages/changes-page';
import { ConnectionsPage } from './pages/connections-page';
import { TasksPage } from './pages/tasks-page';

const TASKS: ChangeSet = {
  operations: [
    {
      op: 'add',
      kind: 'task',
      item: { name: 'Deploy', description: 'Deploy packages', attributes: ['Feeds_ViewFeed'] },
    },
    {
      op: 'add',
      kind: 'task',
      item: { name: 'Review', description: 'Review packages', attributes: ['Feeds_ViewFeed'] },
    },
  ],
};

const describeTask = (name: string, from: string, to: string): ChangeSet['operations'][number] => ({
  op: 'update',
  kind: 'task',
  key: name,
  changes: { description: { from, to } },
});

describe('a conflict resolved in Chromium', () => {
  const harness = useHarness();

  it('refuses the push as server-moved, shows a conflict per item, and pushes the choices', async () => {
    const h = harness();
    const { page } = h;
    const shell = new AppShell(page);
    const connections = new ConnectionsPage(page);
    const instance = await embeddedDefaultOverHttp(connections);
    await instance.change(TASKS);

    // Pull: the server's two tasks come into the draft.
    const row = connections.row('Local');
    const pulledBefore = h.pulledAt('Local');
    await connections.action(row, 'Pull').click();
    await expect.poll(() => h.pulledAt('Local')).not.toBe(pulledBefore);
    // The draft had nothing to push, so the pull moved it onto the server's revision.
    await expect.poll(() => shell.connectionChip.textContent()).toContain('draft on revision 2');
    const changes = new ChangesPage(page);

    // Meanwhile, on the server.
    await instance.change({
      operations: [
        describeTask('Deploy', 'Deploy packages', 'Deploy to Staging only'),
        describeTask('Review', 'Review packages', 'Review before promotion'),
      ],
    });

    // In the app, the same two items.
    await shell.open('Tasks');
    const tasks = new TasksPage(page);
    for (const [name, description] of [
      ['Deploy', 'Deploy to every feed'],
      ['Review', 'Review anything'],
    ] as const) {
      await tasks.select(name);
      await tasks.setDescription(description);
      await tasks.saveButton.click();
    }
    await expect.poll(() => shell.draftChip.textContent()).toBe('2 draft changes');

    // The push is refused: the server moved; the merge shows one conflict per task.
    await shell.open('Changes');
    await changes.pushButton(2).click();
    await expect
      .poll(() => changes.reportText(), { timeout: 30_000 })
      .toContain('The server moved while you edited');
    expect(await changes.reportText()).toContain('except 2 conflicts to decide below');
    await changes.conflicts.waitFor();
    const conflictsText = (await changes.conflicts.textContent()) ?? '';
    expect(conflictsText).toContain('Deploy to Staging only');
    expect(conflictsText).toContain('Deploy to every feed');
    expect(await h.inspect(page, 'changes-conflicts')).toEqual({ violations: [], overflow: 0 });

    // One choice per item.
    await changes.choose('Deploy', 'Keep mine');
    await changes.choose('Review', 'Take theirs');
    await changes.resolveButton.click();
    await expect.poll(() => changes.conflicts.count()).toBe(0);
    await changes.pushButton(1).click();
    await expect
      .poll(() => changes.reportText(), { timeout: 30_000 })
      .toMatch(/Applied 1 change: the server is at revision 4\. A re-pull verified/);

    const { policy } = await instance.client.getSnapshot();
    const descriptions = Object.fromEntries(
      (policy.tasks as { name: string; description: string }[]).map((t) => [t.name, t.description]),
    );
    expect(descriptions).toMatchObject({
      Deploy: 'Deploy to every feed',
      Review: 'Review before promotion',
    });
  }, 120_000);
});
