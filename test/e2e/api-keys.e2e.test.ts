// The API key journey in Chromium through the browser host, on a real workspace with a real
// embedded instance: a feed key created on the API keys screen is shown once, copied to the
// clipboard, and gone from the page once its panel is closed; it works against the
// instance's package API at once and is refused once revoked; the Audit screen lists the
// creation and the revocation, newest first.
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness';
import { InstanceHttp } from './instance-http';
import { ApiKeysPage } from './pages/api-keys';
import { AppShell } from './pages/app-shell';
import { AuditPage } from './pages/audit';

/** The status of a package-API request made with `key` (a feed key's own API). */
async function feedStatus(url: string, key: string): Promise<number> {
  const response = await fetch(`${url}/feeds/Staging/packages`, { headers: { 'X-ApiKey': key } });
  return response.status;
}

describe('the API key journey in Chromium', () => {
  // No keychain reachable: the embedded instance's key stays in this process (addEmbedded).
  const harness = useHarness({ keychain: 'none' });

  it('creates a feed key, shows it once, copies it, revokes it, and the audit lists both', async () => {
    const h = harness();
    const { url, adminPassword } = await h.addEmbedded();
    const instance = new InstanceHttp(url, adminPassword);
    await instance.change({
      operations: [{ op: 'add', kind: 'feed', item: { name: 'Staging', feedType: 'nuget' } }],
    });

    const { page } = h;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(h.host.appUrl).origin,
    });
    await page.reload();
    const shell = new AppShell(page);
    await shell.open('API keys');
    const keys = new ApiKeysPage(page);
    await keys.heading.waitFor();
    // The app's own key, made when the instance was added.
    await keys.row('feedgate desktop').waitFor();
    expect(await keys.cell('feedgate desktop', 'Scope')).toBe('full control');

    await keys.createFeedKey({
      feed: 'Staging',
      permissions: ['view', 'add'],
      description: 'CI upload',
    });
    await keys.createdPanel.waitFor();
    const text = await keys.newKey.inputValue();
    expect(text).toMatch(/^fgk_/);
    expect(await keys.createdPanel.textContent()).toContain('This is the only time it is shown');
    await keys.copyNewKey();
    await expect.poll(async () => (await keys.copyOutcome.textContent())?.trim()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);

    // The key works against the instance at once.
    expect(await feedStatus(url, text)).toBe(200);
    expect(await h.horizontalOverflow(page)).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'api-keys');

    await keys.closeNewKey();
    await keys.createdPanel.waitFor({ state: 'detached' });
    // Nowhere on the page anymore: not in the markup, not in any field.
    expect(await page.content()).not.toContain(text);
    const values = await page.evaluate(() =>
      [...document.querySelectorAll('input, textarea')].map((f) => (f as HTMLInputElement).value),
    );
    expect(values.join('\n')).not.toContain('fgk_');
    expect(await keys.cell('CI upload', 'Type')).toBe('feed');
    expect(await keys.cell('CI upload', 'Scope')).toBe('feed Staging');
    expect(await keys.cell('CI upload', 'Permissions')).toBe('view, add');
    expect(await keys.cell('CI upload', 'Owner')).toMatch(/^key \d+ \(system\)$/);
    expect(await keys.cell('CI upload', 'State')).toBe('active');

    await keys.revoke('CI upload');
    await expect.poll(() => keys.cell('CI upload', 'State')).toMatch(/^revoked/);
    // A revoked key is refused: the package API answers wrong credentials with 401
    // (docs/packages.md), the admin API with 403.
    expect(await feedStatus(url, text)).toBe(401);
    const admin = await fetch(`${url}/api/api-keys/list`, { headers: { 'X-ApiKey': text } });
    expect(admin.status).toBe(403);

    await shell.open('Audit');
    const audit = new AuditPage(page);
    await audit.heading.waitFor();
    await audit.table.waitFor();
    const [revoked, created] = await audit.rows();
    expect(revoked).toMatchObject({
      key: 'feedgate desktop · 1',
      action: 'api-keys.revoke',
      summary: expect.stringMatching(/^revoked key \d+ "CI upload"$/),
    });
    expect(revoked?.user).toMatch(/^key 1 \(system\)$/);
    expect(created).toMatchObject({
      action: 'api-keys.create',
      summary: expect.stringMatching(/^created feed key \d+ "CI upload"$/),
    });
    expect(await page.content()).not.toContain(text);
    expect(await h.horizontalOverflow(page)).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'audit');

    await audit.filterBy('revoke');
    await expect
      .poll(async () => (await audit.rows()).map((r) => r.action))
      .toEqual(['api-keys.revoke']);

    // Both screens in the dark theme.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await h.seriousViolations(page)).toEqual([]);
    await shell.open('API keys');
    await keys.row('CI upload').waitFor();
    expect(await h.seriousViolations(page)).toEqual([]);
  }, 180_000);
});
