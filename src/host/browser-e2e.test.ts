// End to end in a real Chromium (Debian's /usr/bin/chromium, driven by Playwright): the page
// opened from the host's URL takes its session token from the fragment, asks the back end
// through the AppApi over HTTP, and keeps working after a reload; without the token it says so.
// Needs out/renderer (`npm run build`; a missing build fails) and Chromium (a missing one fails).
// The workspace journeys run on the shared harness in test/e2e/.
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  RENDERER_DIR,
  requireRendererAndChromium,
} from '../../test/e2e/harness';
import { parsePolicy, resolve } from '../core/index';
import { SAMPLE_POLICY_TEXT, SAMPLE_QUERY } from '../renderer/src/lib/sample-policy';
import { startHost, type RunningHost } from './server';

describe('the renderer in Chromium through the browser host', () => {
  let host: RunningHost;
  let browser: Browser;

  beforeAll(async () => {
    requireRendererAndChromium();
    host = await startHost({ port: 0, rendererDir: RENDERER_DIR });
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
