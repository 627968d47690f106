// End to end in a real Chromium (Debian's /usr/bin/chromium, driven by Playwright): the page
// opened from the host's URL takes its session token from the fragment, asks the back end
// through the AppApi over HTTP, and keeps working after a reload; without the token it says so.
// Needs out/renderer (`npm run build`; a missing build fails) and Chromium (a missing one fails).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import axe from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy, resolve } from '../core/index';
import { SAMPLE_POLICY_TEXT, SAMPLE_QUERY } from '../renderer/src/lib/sample-policy';
import { Workspace } from '../workspace/workspace';
import { startHost, type RunningHost } from './server';

const rendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CLI_BUNDLE = fileURLToPath(new URL('../../dist/cli/feedgate.cjs', import.meta.url));
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

describe('the renderer in Chromium through the browser host', () => {
  let host: RunningHost;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(`${rendererDir}/index.html`)) {
      throw new Error(`${rendererDir}/index.html is missing: run \`npm run build\` first`);
    }
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    host = await startHost({ port: 0, rendererDir });
    // Playwright gives each launch a temporary profile of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  async function withContext<T>(run: (context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await browser.newContext();
    try {
      return await run(context);
    } finally {
      await context.close();
    }
  }

  it('checks the example through the AppApi, hides the token and survives a reload', async () => {
    const expected = resolve(parsePolicy(SAMPLE_POLICY_TEXT), SAMPLE_QUERY).allowed
      ? 'Allowed'
      : 'Denied';
    await withContext(async (context) => {
      const page = await context.newPage();
      const apiCalls: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/api/')) apiCalls.push(decodeURIComponent(request.url()));
      });
      await page.goto(host.appUrl);
      await expect.poll(() => page.locator('.decision .badge').textContent()).toContain(expected);
      expect(apiCalls.some((url) => url.endsWith('/api/app/policy:check'))).toBe(true);
      // The token left the address bar (and so the history); the tab keeps it for reloads.
      expect(new URL(page.url()).hash).toBe('');
      expect(await page.evaluate(() => sessionStorage.getItem('feedgate.sessionToken'))).toBe(
        host.token,
      );
      expect(await page.locator('.chip', { hasText: 'Browser host' }).count()).toBe(1);

      await page.reload();
      await expect.poll(() => page.locator('.decision .badge').textContent()).toContain(expected);

      // A new question goes to the back end as well.
      await page.fill('#query-user', 'carol');
      await page.selectOption('#query-attribute', 'Admin_ConfigureProGet');
      await page.selectOption('#query-feed', '');
      await page.click('button[type=submit]');
      await expect.poll(() => page.locator('.decision .question').textContent()).toContain('carol');
      const carol = resolve(parsePolicy(SAMPLE_POLICY_TEXT), {
        user: 'carol',
        attribute: 'Admin_ConfigureProGet',
      });
      expect(await page.locator('.decision .badge').textContent()).toContain(
        carol.allowed ? 'Allowed' : 'Denied',
      );
    });
  }, 60_000);

  it('says plainly when the page was opened without its token', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      await page.goto(host.url);
      await expect
        .poll(() => page.locator('.failure').textContent())
        .toBe('the session token is missing');
      expect(await page.locator('.decision').count()).toBe(0);
    });
  }, 60_000);
});

/** Serious or critical axe violations of the page as laid out, colour contrast included. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const results = await run(document);
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

// The admin's first journey against a real workspace (mirror in a temp data dir) and a real
// embedded instance started by it: first launch, pull, an edited grant, its diff, the push.
describe('the workspace journey in Chromium through the browser host', () => {
  let dataDir: string;
  let workspace: Workspace;
  let host: RunningHost;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(`${rendererDir}/index.html`)) {
      throw new Error(`${rendererDir}/index.html is missing: run \`npm run build\` first`);
    }
    dataDir = mkdtempSync(join(tmpdir(), 'feedgate-ui-journey-'));
    workspace = new Workspace({ appDataDir: dataDir, cliBundle: CLI_BUNDLE });
    host = await startHost({ port: 0, rendererDir, workspace });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await workspace?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens on Connections, creates the embedded default, edits a grant and pushes it', async () => {
    // bypassCSP only lets the test inject axe-core; the app itself runs under its policy.
    const context = await browser.newContext({
      viewport: { width: 1024, height: 700 },
      bypassCSP: true,
    });
    try {
      const page = await context.newPage();
      await page.goto(host.appUrl);
      await page.getByRole('heading', { name: 'No connection yet' }).waitFor();
      expect(new URL(page.url()).hash).toBe('#/connections');

      // The key stays in this process (no keychain in the test machine's session).
      await page.getByRole('button', { name: 'Create it, key in memory only' }).click();
      const row = page.getByRole('row').filter({ has: page.getByRole('rowheader') });
      await expect.poll(() => row.count(), { timeout: 60_000 }).toBe(1);
      await expect.poll(() => row.getByRole('cell').nth(2).textContent()).toContain('running');
      // First launch pulled: a draft with no edits yet, and the Admin password shown once.
      await expect.poll(() => row.getByRole('cell').nth(4).textContent()).toBe('0');
      expect(await page.getByText(/Admin password, shown this once/).count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('link', { name: 'Grants' }).click();
      const addGrant = page.locator('form.add-grant');
      const principal = addGrant.getByRole('combobox', { name: 'Principal' });
      await principal.fill('Admin');
      await page.getByRole('option').first().waitFor();
      await principal.press('ArrowDown');
      await principal.press('Enter');
      await addGrant.getByRole('combobox', { name: 'Task' }).selectOption('Publish Packages');
      await addGrant.getByRole('button', { name: 'Add', exact: true }).click();
      await expect.poll(() => page.locator('.chip.draft').textContent()).toBe('1 draft change');
      // Ctrl+Z and Ctrl+Shift+Z undo and redo it in the workspace's draft (focus on the button).
      await page.keyboard.press('Control+z');
      await expect.poll(() => page.locator('.chip.draft').count()).toBe(0);
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(() => page.locator('.chip.draft').textContent()).toBe('1 draft change');

      await page.getByRole('link', { name: 'Changes' }).click();
      await page.getByRole('button', { name: 'Push 1 change' }).waitFor();
      await page
        .locator('.diff-view')
        .getByRole('button', { name: /^▸? *Grants/ })
        .click();
      expect(await page.locator('.diff-view').textContent()).toContain('Publish Packages');
      await page.getByRole('button', { name: 'Push 1 change' }).click();
      const report = page.getByRole('status').filter({ hasText: 'Push result' });
      await report.waitFor({ timeout: 30_000 });
      const reportText = (await report.textContent())?.replace(/\s+/g, ' ');
      expect(reportText).toMatch(
        /Applied 1 change: the server is at revision \d+\. A re-pull verified/,
      );
      await page.getByRole('button', { name: 'Push 0 changes' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      // The dark theme (following the OS) holds as well.
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Connections' }).click();
      await page.getByRole('heading', { name: 'Add a server' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
