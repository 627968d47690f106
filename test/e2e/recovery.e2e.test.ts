// The directory and recovery journey in Chromium through the browser host, on a real workspace
// with a real embedded instance and the real slapd fixture: an LDAP directory added, its
// connection and a fixture user's sign-in tested, the switch refused for a lockout and then
// confirmed; then the recovery wizard resets the instance: the built-in directory is active
// again, and the new Admin password works against the instance's HTTP API while the old one
// does not.
import { describe, expect, it } from 'vitest';
import { GROUPS_BASE, PEOPLE_BASE, READER_DN, READER_PASSWORD } from '../helpers/slapd';
import { useHarness, useSlapd } from './harness';
import { AppShell } from './pages/app-shell';
import { DirectoryPage } from './pages/directory';
import { RecoveryPage } from './pages/recovery';

/** The active directory as the instance says, asked with the `X-ApiKey` given. */
async function activeDirectory(url: string, apiKey: string): Promise<string | number> {
  const response = await fetch(`${url}/api/feedgate/v1/directories`, {
    headers: { 'X-ApiKey': apiKey },
  });
  if (!response.ok) return response.status;
  const directories = (await response.json()) as { name: string; active: boolean }[];
  return directories.find((d) => d.active)?.name ?? 'none';
}

describe('the directory and recovery journey in Chromium', () => {
  // No keychain reachable: the embedded instance's key stays in this process.
  const harness = useHarness({ keychain: 'none' });
  const fixture = useSlapd();

  it('adds and tests an LDAP directory, switches to it past the lockout warning, and recovers', async () => {
    const h = harness();
    const slapd = fixture();
    const { url, adminPassword: oldPassword } = await h.addEmbedded('Lab');
    expect(await activeDirectory(url, `Admin:${oldPassword}`)).toBe('Built-in');

    const { page } = h;
    await page.reload();
    const shell = new AppShell(page);
    await shell.open('Directory');
    const directory = new DirectoryPage(page);
    await directory.heading.waitFor();
    await expect.poll(() => directory.activeLine.textContent()).toMatch(/Lab: Built-in/);

    await directory.addLdapDirectory({
      name: 'Corp',
      url: slapd.url,
      bindDn: READER_DN,
      bindPassword: READER_PASSWORD,
      userBase: PEOPLE_BASE,
      groupBase: GROUPS_BASE,
    });
    await directory.form('Corp').waitFor();
    expect(await directory.form('Corp').getByLabel('Bind password').inputValue()).toBe('');

    await directory.testConnection();
    await expect.poll(() => directory.connectionTest.textContent()).toMatch(/Connected/);
    await directory.testSignIn('user010', 'pw-user010');
    await expect
      .poll(() => directory.signInTest.textContent(), { timeout: 15_000 })
      .toMatch(/Found user010.*signed in with that password/s);
    expect(await directory.signInTest.textContent()).toMatch(/databases.*engineering/s);
    expect(await h.seriousViolations(page)).toEqual([]);

    await directory.switchToOpenDirectory();
    await directory.refusal.waitFor();
    expect(await directory.refusal.textContent()).toContain(
      'It would lock out: Admin (directory "Built-in")',
    );
    expect(await directory.switchAnyway.isDisabled()).toBe(true);
    await directory.refusal.scrollIntoViewIfNeeded();
    await h.screenshot(page, 'directory-lockout');
    await directory.confirmLockoutAndSwitch();
    await directory.switched.waitFor();
    await expect.poll(() => directory.activeLine.textContent()).toMatch(/Lab: Corp/);
    expect(await h.horizontalOverflow(page)).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'directory');
    // Admin is locked out now: the password binds against LDAP, which has no Admin.
    expect(await activeDirectory(url, `Admin:${oldPassword}`)).toBe(403);

    await directory.switched.getByRole('link', { name: 'Recovery' }).click();
    const recovery = new RecoveryPage(page);
    await recovery.heading.waitFor();
    await recovery.choose('Lab');
    await page.getByText('Stop the embedded instance if it runs.').waitFor();
    await recovery.next();
    expect(await recovery.resetNow.isDisabled()).toBe(true);
    await recovery.confirmAndReset();
    await recovery.newPassword.waitFor({ timeout: 60_000 });
    const newPassword = await recovery.newPassword.inputValue();
    expect(newPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await recovery.currentStep.textContent()).toMatch(/New password/);
    expect(await h.horizontalOverflow(page)).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'recovery');

    expect(await activeDirectory(url, `Admin:${newPassword}`)).toBe('Built-in');
    expect(await activeDirectory(url, `Admin:${oldPassword}`)).toBe(403);
    await recovery.forgetPassword();
    expect(await recovery.newPassword.count()).toBe(0);

    // The Directory screen agrees, in the dark theme too.
    await page.emulateMedia({ colorScheme: 'dark' });
    await shell.open('Directory');
    await expect.poll(() => directory.activeLine.textContent()).toMatch(/Lab: Built-in/);
    expect(await directory.switched.count()).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);
  }, 180_000);
});
