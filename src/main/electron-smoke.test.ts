// Electron smoke test with Playwright's _electron: the real app (out/, from `npm run build`)
// starts, shows the playground, exposes only the AppApi, answers through main, blocks
// navigation and new windows, and remembers its window. Electron's binary cannot be
// downloaded on every machine: without it this test reports itself skipped, with the reason
// (the only skip allowed; the same renderer and AppApi run through the browser host tests).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication } from '@playwright/test';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The Electron binary, or why there is none (the npm package throws when it was never downloaded). */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    if (typeof path === 'string') return { path };
    return { missing: 'the electron package did not name a binary' };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { missing: `Electron's binary is not installed (${reason})` };
  }
}

async function launch(binary: string, configHome: string): Promise<ElectronApplication> {
  const args = [root];
  // Chromium refuses to run as root with its process sandbox; the renderer sandbox stays on.
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  if (!process.env.DISPLAY) args.unshift('--ozone-platform=headless');
  return _electron.launch({
    executablePath: binary,
    args,
    // userData is $XDG_CONFIG_HOME/feedgate on Linux: a throwaway one per run.
    env: { ...process.env, XDG_CONFIG_HOME: configHome },
    timeout: 60_000,
  });
}

describe('Electron app (smoke)', () => {
  const binary = electronBinary();

  it('starts sandboxed, exposes only the AppApi and keeps the page in place', async (context) => {
    if ('missing' in binary) {
      console.warn(`Electron smoke test skipped: ${binary.missing}`);
      context.skip(`skipped: ${binary.missing}`);
    }
    if (!('path' in binary)) return;
    const configHome = mkdtempSync(join(tmpdir(), 'feedgate-electron-'));
    let app: ElectronApplication | undefined;
    try {
      app = await launch(binary.path, configHome);
      const page = await app.firstWindow();
      // With a workspace (Electron always opens one) the app opens on Connections.
      await page.waitForSelector('#connections-title');

      const surface = await page.evaluate(() => ({
        bridge: Object.getOwnPropertyNames(
          (window as unknown as { feedgate: object }).feedgate,
        ).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(surface).toEqual({
        bridge: ['invoke', 'on'],
        require: 'undefined',
        process: 'undefined',
      });

      const info = await page.evaluate(() =>
        (
          window as unknown as { feedgate: { invoke(c: string, a: unknown): Promise<unknown> } }
        ).feedgate.invoke('app:info', {}),
      );
      expect(info).toMatchObject({ ok: true, value: { name: 'feedgate', host: 'electron' } });
      const refused = await page.evaluate(() =>
        (
          window as unknown as { feedgate: { invoke(c: string, a: unknown): Promise<unknown> } }
        ).feedgate.invoke('policy:check', { policyText: 1 }),
      );
      expect(refused).toMatchObject({ ok: false, error: { code: 'bad-arguments' } });

      const before = page.url();
      const opened = await page.evaluate(() => window.open('https://example.com/') === null);
      expect(opened).toBe(true);
      await page.evaluate(() => {
        window.location.href = 'file:///etc/passwd';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe(before);
      expect(app.windows()).toHaveLength(1);

      await app.close();
      app = undefined;
      const state = JSON.parse(
        readFileSync(join(configHome, 'feedgate', 'window-state.json'), 'utf8'),
      );
      expect(state).toMatchObject({
        width: expect.any(Number),
        height: expect.any(Number),
        maximized: false,
      });
    } finally {
      await app?.close();
      rmSync(configHome, { recursive: true, force: true });
    }
  }, 120_000);
});
