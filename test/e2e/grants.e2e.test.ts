// Feeds, privilege presets and the access searches in Chromium through the browser host, on a
// real workspace with a real embedded instance: a feed created on the Grants screen, a user
// found through the server's directory given "Can contribute packages" on it, and the Access
// screen's "who can" answer and matrix cell changing with it; with the instance stopped, the
// principal picker answers from the workspace's cache and says so. Then, with the real slapd
// fixture as the server's active directory, the picker lists LDAP users (searched by the
// server) and one of them joins the draft with a preset. Screenshots of both screens; axe
// scans at 1024x700.
import { describe, expect, it } from 'vitest';
import { corpConfig } from '../helpers/directories-cli';
import { useHarness, useSlapd } from './harness';
import { AccessPage } from './pages/access';
import { AppShell } from './pages/app-shell';
import { ConnectionsPage } from './pages/connections-page';
import { GrantsPage } from './pages/grants-page';

describe('feeds, presets and access searches in Chromium', () => {
  // No keychain reachable: the embedded instance's key stays in this process.
  const harness = useHarness({ keychain: 'none' });

  it('applies a preset on a feed and sees who can add packages change', async () => {
    const h = harness();
    const { id } = await h.addEmbedded('Lab');
    // A user added on the server (not by this draft): the pull brings her in.
    const client = await h.workspace.connections.client(id);
    await client.addUser({ name: 'dana', displayName: 'Dana Reviewer' });
    await h.workspace.sync.pull(id);

    const { page } = h;
    await page.reload();
    const shell = new AppShell(page);
    const grants = new GrantsPage(page);
    const access = new AccessPage(page);

    await shell.open('Grants');
    await grants.openTab('Feeds & privileges');
    await grants.createFeed({ name: 'Apps', feedType: 'npm', access: 'private' });
    await expect.poll(() => shell.draftChip.textContent()).toBe('1 draft change');
    await grants.privileges.getByRole('heading', { name: 'Privileges on Apps' }).waitFor();

    // Before: only the Administrators (Admin) may add packages to Apps.
    await shell.open('Access');
    await access.openTab('Who can …');
    await access.whoCan('Feeds_AddPackage', 'Apps');
    await expect
      .poll(async () => (await access.whoSummary.textContent())?.replace(/\s+/g, ' '))
      .toMatch(/1 user and 1 group can Feeds_AddPackage on Apps/);
    expect(await access.whoAnswers.allTextContents()).not.toContainEqual(
      expect.stringContaining('dana'),
    );

    await shell.open('Grants');
    await grants.openTab('Feeds & privileges');
    await grants.applyPreset('dan', 'Can contribute packages');
    await expect.poll(() => shell.draftChip.textContent()).toBe('2 draft changes');
    await expect
      .poll(() =>
        grants
          .presetOf('user dana')
          .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent),
      )
      .toBe('Can contribute packages');
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(await h.horizontalOverflow(page)).toBe(0);
    await h.screenshot(page, 'grants');

    await shell.open('Access');
    await access.openTab('Who can …');
    await access.whoCan('Feeds_AddPackage', 'Apps');
    await expect
      .poll(async () => (await access.whoSummary.textContent())?.replace(/\s+/g, ' '))
      .toMatch(/2 users and 1 group can Feeds_AddPackage on Apps/);
    const dana = access.whoAnswers.filter({ hasText: 'dana' });
    expect((await dana.textContent())?.replace(/\s+/g, ' ')).toMatch(
      /permission: user dana · Publish Packages · feed Apps/,
    );
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(await h.horizontalOverflow(page)).toBe(0);
    await h.screenshot(page, 'access');

    await access.openTab('What can … do');
    await access.whatCan('dana', 'Apps');
    await access.whatAllowed.waitFor();
    expect(
      (await access.whatAllowed.getByRole('rowheader').allTextContents()).map((t) => t.trim()),
    ).toEqual(['Feeds_ViewFeed', 'Feeds_DownloadPackage', 'Feeds_AddPackage', 'Feeds_PullPackage']);
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(await h.horizontalOverflow(page)).toBe(0);
    await h.screenshot(page, 'access-what-can');

    // The dark theme (following the OS) passes the scan too, on both screens.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await h.seriousViolations(page)).toEqual([]);
    await shell.open('Grants');
    await grants.openTab('Feeds & privileges');
    await grants.privileges.waitFor();
    expect(await h.seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    await shell.open('Access');
    await access.openTab('Matrix');
    await access.matrixSubject.selectOption('attribute:Feeds_AddPackage');
    expect(await access.matrixCellState('dana', 'Apps')).toBe('allow');
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(await h.horizontalOverflow(page)).toBe(0);
    // Why: the back end explains the cell with the grant that decided.
    await (await access.matrixCell('dana', 'Apps')).click();
    await expect
      .poll(async () => (await access.matrixWhy.textContent())?.replace(/\s+/g, ' '))
      .toMatch(/dana on Apps: Allowed.*Permission.*user dana/);
    await h.screenshot(page, 'access-matrix');

    // Undo the preset: dana's cell is back to no grant.
    await shell.undo();
    await expect.poll(() => shell.draftChip.textContent()).toBe('1 draft change');
    await expect.poll(() => access.matrixCellState('dana', 'Apps')).toBe('none');
    await shell.redo();

    // The server stopped: the picker answers from the workspace's cache, and says so.
    await h.workspace.connections.instance(id).stop();
    await shell.open('Grants');
    await grants.openTab('Feeds & privileges');
    await grants.presetPrincipal.fill('dan');
    await expect
      .poll(() => grants.presetPickerNote.textContent(), { timeout: 15_000 })
      .toMatch(/From the cache/);
    expect(await page.getByRole('option', { name: /dana/ }).count()).toBe(1);
  }, 180_000);

  describe('with an LDAP directory active on the server', () => {
    const fixture = useSlapd();

    it('finds LDAP users in the picker (searched by the server) and gives one a preset', async () => {
      const h = harness();
      const slapd = fixture();
      const { id } = await h.addEmbedded('Corp-lab');
      const client = await h.workspace.connections.client(id);
      await client.addDirectory(corpConfig(slapd));
      await client.activateDirectory('Corp', { force: true });
      await h.workspace.sync.pull(id);
      expect(h.workspace.mirror.draft(id)?.policy.directory).toBe('Corp');

      const { page } = h;
      await page.reload();
      const shell = new AppShell(page);
      const grants = new GrantsPage(page);
      // Make Corp-lab the current connection (Lab, made first, is the default one).
      await shell.open('Connections');
      const connections = new ConnectionsPage(page);
      await page
        .getByRole('banner')
        .getByRole('link', { name: /draft on revision/ })
        .waitFor();
      const use = connections.action(connections.row('Corp-lab'), 'Use');
      if ((await use.count()) > 0) await use.click();
      await page
        .getByRole('banner')
        .getByRole('link', { name: /Corp-lab/ })
        .waitFor();
      await shell.open('Grants');
      await grants.openTab('Feeds & privileges');
      await grants.createFeed({ name: 'Corp-npm', feedType: 'npm', access: 'private' });
      await grants.privileges.getByRole('heading', { name: 'Privileges on Corp-npm' }).waitFor();

      // The draft names no LDAP user: every option comes from the directory through the server.
      await grants.presetPrincipal.fill('user00');
      const options = page.getByRole('listbox', { name: 'User or group' }).getByRole('option');
      await expect.poll(() => options.count(), { timeout: 15_000 }).toBe(9);
      expect(await options.first().textContent()).toMatch(/user\s*user001\s*User 001/);
      await grants.presetPrincipal.press('ArrowDown');
      await grants.presetPrincipal.press('ArrowDown');
      await grants.presetPrincipal.press('ArrowDown');
      await grants.presetPrincipal.press('Enter');
      await grants.presetChoice.selectOption({ label: 'Can consume (view & download)' });
      await grants.applyPresetButton.click();
      await expect
        .poll(() =>
          grants
            .presetOf('user user003')
            .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent),
        )
        .toBe('Can consume (view & download)');
      // The LDAP user joined the draft's Corp policy with the display name LDAP gave.
      const draft = h.workspace.mirror.draft(id)?.policy;
      expect(draft?.users.find((u) => u.name === 'user003')).toMatchObject({
        displayName: 'User 003',
      });
      expect(draft?.permissions).toContainEqual({
        user: 'user003',
        task: 'View & Download Packages',
        feed: 'Corp-npm',
        deny: false,
      });
      expect(await h.seriousViolations(page)).toEqual([]);
    }, 180_000);
  });
});
