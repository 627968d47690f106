// The full journey in Chromium through the browser host, on a real workspace with a private
// keychain: the app makes the embedded default on its own at first launch and shows its Admin
// password once; another admin seeds the instance over HTTP (feeds, Developers); the admin
// pulls, makes a task (lint shown live while ticking), drafts "Developers may promote packages
// except to Production", reads the lint and the access diff on Changes, pushes, and the
// instance's check endpoint decides as drafted. On the way every screen is scanned (axe), held
// at 1024x700 without horizontal overflow, and saved to test-results/screenshots/.
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { useHarness, type E2eHarness } from './harness';
import { InstanceHttp, PROMOTE_EXAMPLE_SEED } from './instance-http';
import { AppShell } from './pages/app-shell';
import { ChangesPage } from './pages/changes-page';
import { ConnectionsPage } from './pages/connections-page';
import { GrantsPage } from './pages/grants-page';
import { TasksPage } from './pages/tasks-page';

const PROMOTE = 'Feeds_AcceptPackagePromotions';

/** The screen as it is: saved for review, no serious axe violation, no horizontal overflow. */
async function review(h: E2eHarness, page: Page, name: string): Promise<void> {
  expect(await h.inspect(page, name), name).toEqual({ violations: [], overflow: 0 });
}

describe('the full journey in Chromium', () => {
  const harness = useHarness();

  it('starts on the embedded default, drafts the promotion rule, pushes it and checks it', async () => {
    const h = harness();
    const { page } = h;
    const shell = new AppShell(page);
    const connections = new ConnectionsPage(page);

    // Made at launch without a click: the row, running and pulled, and the password once.
    const password = await connections.readAdminPassword();
    const row = connections.row('Local');
    await expect.poll(() => connections.status(row).textContent()).toContain('running');
    await expect.poll(() => connections.draftEdits(row).textContent()).toBe('0');
    expect(await connections.adminPasswordCard.textContent()).toContain(
      'It will not be shown again.',
    );
    expect(await page.getByRole('button', { name: /Keep the key in memory/ }).count()).toBe(0);
    const instance = new InstanceHttp(
      ((await connections.url(row).textContent()) ?? '').trim(),
      password,
    );
    await review(h, page, 'connections-first-launch');

    // Another admin sets up feeds and people on the server; the admin pulls them.
    await instance.change(PROMOTE_EXAMPLE_SEED);
    await connections.passwordSaved();
    expect(await connections.adminPasswordCard.count()).toBe(0);
    const pulledBefore = h.pulledAt('Local');
    await connections.action(row, 'Pull').click();
    await expect.poll(() => h.pulledAt('Local')).not.toBe(pulledBefore);
    await review(h, page, 'connections');
    // The draft had nothing to push, so the pull moved it onto the server's revision.
    await expect.poll(() => shell.connectionChip.textContent()).toContain('draft on revision 2');
    const changes = new ChangesPage(page);

    // A task that promotes: the lint speaks while ticking, and is quiet once it is complete.
    await shell.open('Tasks');
    const tasks = new TasksPage(page);
    await tasks.newTaskButton.click();
    await tasks.select('New task 1');
    await tasks.tick(PROMOTE);
    await expect.poll(() => tasks.lint.textContent()).toContain('promotion-without-view-download');
    await review(h, page, 'tasks');
    await tasks.tick('Feeds_ViewFeed', 'Feeds_DownloadPackage', 'Feeds_AddPackage');
    await expect.poll(() => tasks.lint.textContent()).toContain('No hazards');
    await tasks.saveButton.click();
    await expect.poll(() => shell.draftChip.textContent()).toBe('2 draft changes');

    // Developers may promote packages, except to Production.
    await shell.open('Grants');
    const grants = new GrantsPage(page);
    await grants.addGrant({ principal: 'Developers', task: 'New task 1' });
    await expect.poll(() => shell.draftChip.textContent()).toBe('3 draft changes');
    await grants.addGrant({
      principal: 'Developers',
      task: 'New task 1',
      scope: 'Production',
      restriction: true,
    });
    await expect.poll(() => shell.draftChip.textContent()).toBe('4 draft changes');
    await review(h, page, 'grants-promotion-rule');

    await shell.open('Changes');
    await changes.pushButton(3).waitFor();
    await changes.expandDiffGroup('Grants');
    await changes.expandAccessCauses();
    expect(await changes.structuralPane.textContent()).toContain('Developers');
    // alice (in Developers) gains promotion on Staging, and not on Production.
    const access = (await changes.accessPane.textContent()) ?? '';
    expect(access).toContain('alice');
    expect(access).toContain(PROMOTE);
    expect(access).toContain('Staging');
    expect(access).not.toContain('bob');
    expect(await changes.lint.textContent()).toMatch(/Lint findings/);
    await review(h, page, 'changes');

    await changes.pushButton(3).click();
    await changes.pushReport.waitFor({ timeout: 30_000 });
    expect((await changes.pushReport.textContent())?.replace(/\s+/g, ' ')).toMatch(
      /Applied 3 changes: the server is at revision \d+\. A re-pull verified/,
    );

    // The server decides as drafted.
    const staging = await instance.check('alice', PROMOTE, 'Staging');
    expect(staging).toMatchObject({
      allowed: true,
      decidedBy: { group: 'Developers', task: 'New task 1', deny: false },
    });
    const production = await instance.check('alice', PROMOTE, 'Production');
    expect(production).toMatchObject({
      allowed: false,
      decidedBy: { group: 'Developers', feed: 'Production', deny: true },
    });
    expect((await instance.check('bob', PROMOTE, 'Staging')).allowed).toBe(false);

    // The other screens, connected: scanned, held at 1024x700, saved for review.
    for (const [section, name] of [
      ['Access', 'access'],
      ['API keys', 'api-keys'],
      ['Directory', 'directory'],
      ['Recovery', 'recovery'],
      ['Audit', 'audit'],
      ['Playground', 'playground'],
    ] as const) {
      await shell.open(section);
      await shell.main(section).waitFor();
      await review(h, page, `${name}-after-push`);
    }

    // The dark theme, as the OS asks for it.
    await page.emulateMedia({ colorScheme: 'dark' });
    await shell.open('Changes');
    await changes.pushButton(0).waitFor();
    await review(h, page, 'changes-dark');
  }, 120_000);
});
