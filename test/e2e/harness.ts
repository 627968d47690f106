// The shared end-to-end harness: the app as a person runs it, in a real Chromium. A Workspace
// in a temp app data dir (the mirror and the embedded default go there), the browser host on
// it, Debian's /usr/bin/chromium driven by Playwright's library, the page opened with its
// session token. restartHost() is a restart of the app on the same data dir. Screenshots land
// in test-results/screenshots/ (gitignored, for review). Needs out/renderer and Chromium: a
// missing one fails with what to do, never a skip.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import axe from 'axe-core';
import { afterAll, beforeAll } from 'vitest';
import { startHost, type RunningHost } from '../../src/host/server';
import { Workspace } from '../../src/workspace/workspace';
import { startKeyring, type Keyring } from '../helpers/keyring';
import { startSlapd, type Slapd } from '../helpers/slapd';

export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));
export const CLI_BUNDLE = fileURLToPath(new URL('../../dist/cli/feedgate.cjs', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../test-results/screenshots', import.meta.url),
);
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
/** The size the layout must hold at (docs/ui.md). */
export const VIEWPORT = { width: 1024, height: 700 } as const;

export interface HarnessOptions {
  /**
   * 'private' (the default): a private, unlocked gnome-keyring in its own D-Bus session, which
   * keytar in this test process uses (so call it once per test file: vitest gives each file its
   * own process). 'none': no keychain is reachable, as on a machine without a Secret Service.
   */
  keychain?: 'private' | 'none';
}

/** Fails with what to do when the built renderer, the CLI bundle or Chromium is missing. */
export function requireRendererAndChromium(
  paths: { rendererDir: string; cliBundle: string; chromium: string } = {
    rendererDir: RENDERER_DIR,
    cliBundle: CLI_BUNDLE,
    chromium: CHROMIUM,
  },
): void {
  const index = join(paths.rendererDir, 'index.html');
  if (!existsSync(index)) {
    throw new Error(
      `${index} is missing: build the renderer first (\`npx electron-vite build\` or \`npm run build\`)`,
    );
  }
  if (!existsSync(paths.cliBundle)) {
    throw new Error(`${paths.cliBundle} is missing: run \`npm run build:cli\``);
  }
  if (!existsSync(paths.chromium)) {
    throw new Error(
      `${paths.chromium} is missing: install Debian's Chromium (apt-get install chromium)`,
    );
  }
}

export class E2eHarness {
  /** The app's data dir (Electron's userData): kept across restartHost(). */
  readonly dataDir: string;
  workspace: Workspace;
  host: RunningHost;
  /** The page opened by start() or the last restartHost(). */
  page!: Page;
  private readonly contexts = new Set<BrowserContext>();

  private constructor(
    readonly browser: Browser,
    private readonly keyring: Keyring | undefined,
    dataDir: string,
    workspace: Workspace,
    host: RunningHost,
  ) {
    this.dataDir = dataDir;
    this.workspace = workspace;
    this.host = host;
  }

  static async start(options: HarnessOptions = {}): Promise<E2eHarness> {
    requireRendererAndChromium();
    let keyring: Keyring | undefined;
    if ((options.keychain ?? 'private') === 'private') {
      keyring = await startKeyring();
      // libsecret connects on first use to the bus that the environment names.
      process.env.DBUS_SESSION_BUS_ADDRESS = keyring.env.DBUS_SESSION_BUS_ADDRESS;
    } else {
      delete process.env.DBUS_SESSION_BUS_ADDRESS;
    }
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
    const dataDir = mkdtempSync(join(tmpdir(), 'feedgate-e2e-'));
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const { workspace, host } = await launchApp(dataDir);
      const harness = new E2eHarness(browser, keyring, dataDir, workspace, host);
      harness.page = await harness.openPage();
      return harness;
    } catch (error) {
      await browser?.close();
      await keyring?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * A new browser context at 1024x700 in the light theme, on the app's URL with its token.
   * bypassCSP only lets the harness inject axe-core; the app itself runs under its policy.
   */
  async openPage(): Promise<Page> {
    const context = await this.browser.newContext({
      viewport: VIEWPORT,
      colorScheme: 'light',
      bypassCSP: true,
    });
    this.contexts.add(context);
    const page = await context.newPage();
    await page.goto(this.host.appUrl);
    return page;
  }

  /**
   * A restart of the app: the pages close, the host and the workspace stop (embedded instances
   * with them), then a new workspace opens the same data dir, a new host serves it and a new
   * page opens. Returns (and keeps as `page`) the new page.
   */
  async restartHost(): Promise<Page> {
    await this.closeContexts();
    await this.host.close();
    await this.workspace.close();
    const { workspace, host } = await launchApp(this.dataDir);
    this.workspace = workspace;
    this.host = host;
    this.page = await this.openPage();
    return this.page;
  }

  /**
   * An embedded instance in the data dir, not started at launch, its key in this process's
   * memory (as when no keychain is reachable); the Admin password comes back this once.
   */
  async addEmbedded(name = 'Lab'): Promise<{ id: string; url: string; adminPassword: string }> {
    const added = await this.workspace.connections.addEmbedded({
      name,
      dataDir: join(this.dataDir, name.toLowerCase()),
      autostart: false,
      keyStorage: 'memory',
    });
    return {
      id: added.connection.id,
      url: added.connection.url,
      adminPassword: added.adminPassword as string,
    };
  }

  /** When the mirror last saved a pull of the connection named `name` (null: never). */
  pulledAt(name: string): string | null {
    const connection = this.workspace.connections.list().find((c) => c.name === name);
    if (connection === undefined) return null;
    return this.workspace.mirror.snapshot(connection.id)?.pulledAt ?? null;
  }

  /** Saves the page as test-results/screenshots/<name>.png and returns the file. */
  async screenshot(page: Page, name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: false });
    return file;
  }

  /** Serious or critical axe violations of the page as laid out, colour contrast included. */
  async seriousViolations(page: Page): Promise<string[]> {
    return seriousViolations(page);
  }

  /**
   * How far the page is wider than its window, or the main area wider than itself (it scrolls
   * on its own): 0 when nothing overflows horizontally.
   */
  async horizontalOverflow(page: Page): Promise<number> {
    return page.evaluate(() => {
      const scrolling = document.scrollingElement ?? document.documentElement;
      const main = document.querySelector('main');
      return Math.max(
        0,
        scrolling.scrollWidth - window.innerWidth,
        main === null ? 0 : main.scrollWidth - main.clientWidth,
      );
    });
  }

  /**
   * One look at a screen as it is: its screenshot saved as `name`, its serious or critical axe
   * violations, its horizontal overflow. The test asserts on what comes back.
   */
  async inspect(page: Page, name: string): Promise<{ violations: string[]; overflow: number }> {
    await this.screenshot(page, name);
    return {
      violations: await this.seriousViolations(page),
      overflow: await this.horizontalOverflow(page),
    };
  }

  async close(): Promise<void> {
    await this.closeContexts();
    await this.browser.close();
    await this.host.close();
    await this.workspace.close();
    await this.keyring?.stop();
    delete process.env.DBUS_SESSION_BUS_ADDRESS;
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async closeContexts(): Promise<void> {
    await Promise.all([...this.contexts].map((context) => context.close()));
    this.contexts.clear();
  }
}

/** Opens the workspace on `dataDir` and serves it, as src/host/main.ts does. */
async function launchApp(dataDir: string): Promise<{ workspace: Workspace; host: RunningHost }> {
  const workspace = new Workspace({ appDataDir: dataDir, cliBundle: CLI_BUNDLE });
  try {
    const host = await startHost({ port: 0, rendererDir: RENDERER_DIR, workspace });
    // As at the app's start: the embedded default, the autostart instances (never throws).
    void workspace.start();
    return { workspace, host };
  } catch (error) {
    await workspace.close();
    throw error;
  }
}

/** Serious or critical axe violations of the page as laid out, colour contrast included. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const results = await run(document);
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/**
 * The harness for the tests of one file: started before them, closed after them. The getter
 * fails when called outside a test.
 */
export function useHarness(options: HarnessOptions = {}): () => E2eHarness {
  let harness: E2eHarness | undefined;
  beforeAll(async () => {
    harness = await E2eHarness.start(options);
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  }, 60_000);
  return () => {
    if (harness === undefined) throw new Error('the e2e harness is started in beforeAll');
    return harness;
  };
}

/**
 * The real slapd fixture for the tests of one file (an LDAP directory to add to an embedded
 * instance made with addEmbedded()): started before them, stopped after them.
 */
export function useSlapd(): () => Slapd {
  let slapd: Slapd | undefined;
  beforeAll(async () => {
    slapd = await startSlapd();
  }, 60_000);
  afterAll(async () => {
    await slapd?.stop();
  });
  return () => {
    if (slapd === undefined) throw new Error('the slapd fixture is started in beforeAll');
    return slapd;
  };
}
