// `npm run bench -- --only=ui`: the Grants table with the L policy (50,000 grants) in Chromium
// (issue 6, point 12; docs/benchmarks.md). A workspace in a temp dir gets an embedded instance
// whose draft is the generated L policy (imported, as `policy:import` does), the browser host
// serves the built renderer, and Debian's Chromium opens it at 1280x800. Per run (a fresh page
// load each): the first render of the Grants screen, a search typed key by key for several
// terms, sorts, typing while sorted, a jump to the middle and a scroll. Builds nothing: needs out/renderer and the
// CLI bundle (the embedded instance runs it).
//
// Method: every time is taken in the page, from the input (the link's click, the key's
// keydown event, the header's click, the scrollTop change) until the frame that shows its
// result has been painted: a requestAnimationFrame callback sees the expected rows in the DOM
// (so they are in that frame), and a message posted from it arrives once that frame has been
// painted. Work that blocks the main thread delays that callback, so it is counted.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startHost, type RunningHost } from '../../src/host/server';
import type { Permission } from '../../src/core/index';
import { Workspace } from '../../src/workspace/workspace';
import { SIZES, generatePolicyFile } from './generate';

const ROOT = path.resolve(__dirname, '../..');
// Another build may be measured (an A/B of a change): FEEDGATE_BENCH_UI_RENDERER=dir.
const RENDERER_DIR = path.resolve(
  process.env.FEEDGATE_BENCH_UI_RENDERER ?? path.join(ROOT, 'out/renderer'),
);
const CLI_BUNDLE = path.join(ROOT, 'dist/cli/feedgate.cjs');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');
const VIEWPORT = { width: 1280, height: 800 };
const RUNS = Number(process.env.FEEDGATE_BENCH_UI_RUNS ?? 5);

/** What must exist before the benchmark can run, with what to do when it does not. */
function missingPieces(): string[] {
  const missing: string[] = [];
  if (!existsSync(path.join(RENDERER_DIR, 'index.html')))
    missing.push(`${RENDERER_DIR} is missing: build the renderer first (npx electron-vite build)`);
  if (!existsSync(CLI_BUNDLE)) missing.push(`${CLI_BUNDLE} is missing: run npm run build:cli`);
  if (!existsSync(CHROMIUM))
    missing.push(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium)`);
  return missing;
}

interface Term {
  label: string;
  text: string;
  /** How many grants it must leave: checked against the table's status line. */
  expected: number;
}

/**
 * Search terms over the draft, with the number of grants each matches: counted here, apart
 * from the table's own code, so that a wrong filter cannot agree with itself.
 */
function searchTerms(permissions: readonly Permission[]): Term[] {
  const haystacks = permissions.map((p) =>
    `${p.user ?? p.group ?? ''}\n${p.task}\n${p.feed ?? p.feedGroup ?? ''}`.toLowerCase(),
  );
  const count = (text: string) => haystacks.filter((h) => h.includes(text.toLowerCase())).length;
  // A user with a grant: the first user grant of the policy.
  const user = permissions.find((p) => p.user !== undefined && p.user.startsWith('user-'))?.user;
  const terms = [
    { label: 'user name (few)', text: user ?? 'user-1' },
    { label: 'task (many)', text: 'Promote Packages' },
    { label: 'feed (few)', text: 'feed-777' },
    { label: 'group prefix (most)', text: 'group' },
    { label: 'no match', text: 'zzz-none' },
  ];
  return terms.map((t) => ({ ...t, expected: count(t.text) }));
}

/** A workspace with one embedded instance whose draft is the L policy; the instance stopped. */
async function workspaceWithL(
  dataDir: string,
  policyText: string,
): Promise<{ workspace: Workspace; host: RunningHost; permissions: Permission[] }> {
  const workspace = new Workspace({ appDataDir: dataDir, cliBundle: CLI_BUNDLE });
  const { connection } = await workspace.connections.addEmbedded({
    name: 'Bench',
    dataDir: path.join(dataDir, 'bench'),
    autostart: false,
    keyStorage: 'memory',
    isDefault: true,
  });
  await workspace.sync.pull(connection.id);
  const { permissions } = workspace.sync.importPolicy(connection.id, policyText).policy;
  // The draft lives in the workspace's mirror: the instance is not needed while measuring.
  await workspace.connections.instance(connection.id).stop();
  const host = await startHost({ port: 0, rendererDir: RENDERER_DIR, workspace });
  return { workspace, host, permissions };
}

// --- In the page. Installed on every load as `window.grantsBench`; Playwright serializes
// this function, so it closes over nothing of this file.

interface GrantsBench {
  /** Clicks the sidebar's Grants link: ms until the table's first row is painted. */
  openGrants(): Promise<number>;
  /**
   * Ms from each keydown in the page until the frame after it has been painted. The table
   * filters on the input event and Svelte updates the DOM before that frame; a filter deferred
   * past it would need a check here that the rows shown match the search.
   */
  keystrokes: Promise<number>[];
  /**
   * Ms of script per input event: its handlers and the update Svelte runs after them (DOM
   * changes included; style, layout and paint not), from a capturing listener on the window to
   * one that the event reaches last.
   */
  inputScripts: number[];
  /** Clicks a column's sort button: ms until the table, sorted, is painted. */
  sortBy(column: string): Promise<number>;
  /** Sets the table's scroll to its middle: ms until the rows there are painted. */
  scrollToMiddle(): Promise<number>;
  /** Scrolls 3 rows per frame for `frames` frames: the intervals between frames, in ms. */
  scrollFrames(frames: number): Promise<number[]>;
  /**
   * Resolves once 10 frames in a row came within 25 ms of each other (the app's own work after
   * a load or a step is done), or after 10 s.
   */
  settle(): Promise<void>;
}

function installProbes(): void {
  /** Resolves once the frame in which `ready()` first holds has been painted: ms since start. */
  const untilPainted = (start: number, ready: () => boolean) =>
    new Promise<number>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now() - start);
      const frame = () => {
        if (ready()) channel.port2.postMessage(null);
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
  const grid = () => document.querySelector<HTMLElement>('[role="grid"][aria-multiselectable]');
  const rowShown = (position: number) =>
    grid()?.querySelector(`[role="row"][aria-rowindex="${position + 2}"]`) != null;
  const bench: GrantsBench = {
    openGrants() {
      const link = document.querySelector<HTMLAnchorElement>('nav a[href="#/grants"]');
      if (!link) throw new Error('no Grants link in the sidebar');
      const start = performance.now();
      link.click();
      return untilPainted(start, () => rowShown(0));
    },
    keystrokes: [],
    inputScripts: [],
    sortBy(column) {
      const header = [...(grid()?.querySelectorAll('[role="columnheader"]') ?? [])].find((h) =>
        h.textContent?.trim().startsWith(column),
      );
      const button = header?.querySelector('button');
      if (!header || !button) throw new Error(`no sort button for ${column}`);
      const start = performance.now();
      button.click();
      return untilPainted(start, () => header.getAttribute('aria-sort') !== 'none');
    },
    scrollToMiddle() {
      const element = grid();
      if (!element) throw new Error('no grants table');
      const start = performance.now();
      element.scrollTop = Math.floor(element.scrollHeight / 2);
      const middle = Math.floor(element.scrollTop / 32);
      return untilPainted(start, () => rowShown(middle));
    },
    settle() {
      return new Promise((resolve) => {
        const until = performance.now() + 10_000;
        let last = performance.now();
        let calm = 0;
        const frame = (now: number) => {
          calm = now - last < 25 ? calm + 1 : 0;
          last = now;
          if (calm >= 10 || now > until) resolve();
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    },
    scrollFrames(frames) {
      const element = grid();
      if (!element) throw new Error('no grants table');
      return new Promise((resolve) => {
        const intervals: number[] = [];
        let last = performance.now();
        const frame = (now: number) => {
          intervals.push(now - last);
          last = now;
          if (intervals.length === frames) return resolve(intervals);
          element.scrollTop += 96;
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    },
  };
  document.addEventListener(
    'keydown',
    (event) => bench.keystrokes.push(untilPainted(event.timeStamp, () => true)),
    { capture: true },
  );
  let inputStart = 0;
  window.addEventListener('input', () => (inputStart = performance.now()), { capture: true });
  window.addEventListener('input', () => bench.inputScripts.push(performance.now() - inputStart));
  (window as unknown as { grantsBench: GrantsBench }).grantsBench = bench;
}

// ---

interface Sample {
  name: string;
  values: number[];
}

function summarize(samples: Sample[]): string[] {
  const fmt = (n: number) => n.toFixed(0);
  const header = ['| step | samples | median ms | worst ms |', '| --- | --- | --- | --- |'];
  return [
    `Grants table, L policy, Chromium ${VIEWPORT.width}x${VIEWPORT.height}, ${RUNS} runs, renderer ${path.relative(ROOT, RENDERER_DIR)}`,
    '',
    ...header,
    ...samples.map((s) => {
      const sorted = [...s.values].sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
      const worst = sorted[sorted.length - 1] ?? NaN;
      return `| ${s.name} | ${sorted.length} | ${fmt(median)} | ${fmt(worst)} |`;
    }),
  ];
}

export async function benchmarkUi(): Promise<string[]> {
  const missing = missingPieces();
  if (missing.length > 0) throw new Error(missing.join('; '));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'feedgate-bench-ui-'));
  let browser: Browser | undefined;
  let app: Awaited<ReturnType<typeof workspaceWithL>> | undefined;
  try {
    app = await workspaceWithL(dataDir, JSON.stringify(generatePolicyFile(SIZES.L, 1)));
    if (app.permissions.length !== SIZES.L.grants)
      throw new Error(`the draft holds ${app.permissions.length} grants, not ${SIZES.L.grants}`);
    const terms = searchTerms(app.permissions);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    // tsx keeps function names with calls to a `__name` helper, which the page lacks.
    await page.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
    await page.addInitScript(installProbes);
    const samples = new Map<string, number[]>();
    const add = (name: string, ...values: number[]) =>
      samples.set(name, [...(samples.get(name) ?? []), ...values]);
    for (let run = 0; run < RUNS; run++) {
      await loadApp(page, app.host.appUrl);
      // With FEEDGATE_BENCH_UI_PROFILE=1, the first run's steps are traced, and not counted.
      const profile = run === 0 && process.env.FEEDGATE_BENCH_UI_PROFILE === '1';
      const firstRender = await traced(browser, page, profile && 'grants-first-render', () =>
        measure<number>(page, 'grantsBench.openGrants()'),
      );
      if (!profile) add('first render of the Grants screen', firstRender);
      if (run === 0) await screenshot(page, 'grants-50k');
      await traced(browser, page, profile && 'grants-search', () =>
        measureSearch(page, terms, profile ? () => {} : add),
      );
      for (const column of ['Principal', 'Task'])
        add(
          `sort by ${column}`,
          await measure<number>(page, `grantsBench.sortBy(${JSON.stringify(column)})`),
        );
      // A sort holds while typing: the old table sorted the matches again at every key.
      await measureSearch(
        page,
        terms.filter((t) => t.text === 'group' || t.text === 'Promote Packages'),
        add,
        'sorted by Task: ',
      );
      add('scroll to the middle', await measure<number>(page, 'grantsBench.scrollToMiddle()'));
      add(
        'scrolling, frame interval',
        ...(await measure<number[]>(page, 'grantsBench.scrollFrames(60)')),
      );
    }
    return summarize([...samples].map(([name, values]) => ({ name, values })));
  } finally {
    await browser?.close();
    await app?.host.close();
    await app?.workspace.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A fresh load of the app, waited for until the connected draft is there. */
async function loadApp(page: Page, appUrl: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(appUrl);
  await page
    .locator('header a.connection', { hasText: 'draft on revision' })
    .waitFor({ timeout: 120_000 });
}

/** A step evaluated in the page (an expression on `grantsBench`) once the page has settled. */
async function measure<T>(page: Page, expression: string): Promise<T> {
  await page.evaluate('grantsBench.settle()');
  return page.evaluate<T>(expression);
}

/** Each term typed key by key, checked against its count, then cleared with Backspace. */
async function measureSearch(
  page: Page,
  terms: Term[],
  add: (name: string, ...values: number[]) => void,
  /** Put before the names of the numbers: what else holds while typing. */
  context = '',
): Promise<void> {
  const search = page.getByRole('searchbox', { name: 'Search grants' });
  const status = page.getByRole('group', { name: 'Bulk edit' }).locator('.status');
  const keystrokes = () => page.evaluate<number[]>('Promise.all(grantsBench.keystrokes.splice(0))');
  const inputScripts = () => page.evaluate<number[]>('grantsBench.inputScripts.splice(0)');
  for (const term of terms) {
    await keystrokes();
    await inputScripts();
    await page.evaluate('grantsBench.settle()');
    await search.pressSequentially(term.text, { delay: 120 });
    const times = await keystrokes();
    const shown = (await status.textContent())?.match(/^\s*([\d,]+) of/)?.[1]?.replace(/,/g, '');
    if (Number(shown) !== term.expected)
      throw new Error(`"${term.text}" shows ${shown} grants, expected ${term.expected}`);
    add(
      `${context}search "${term.text}", ${term.label}, ${term.expected.toLocaleString('en')} row${term.expected === 1 ? '' : 's'}: last key`,
      times.at(-1) ?? NaN,
    );
    add(`${context}search "${term.text}": worst key`, Math.max(...times));
    add(`${context}search, script per key (all terms and keys)`, ...(await inputScripts()));
    await search.press('Control+a');
    await keystrokes();
    await page.evaluate('grantsBench.settle()');
    await search.press('Backspace');
    add(`${context}clear the search (Backspace, back to 50,000 rows)`, ...(await keystrokes()));
    add(`${context}clear the search, script`, ...(await inputScripts()).slice(-1));
  }
}

/**
 * Runs `work` under a Chromium performance trace when named: test-results/<name>.trace.json,
 * which DevTools' Performance panel opens (JS samples, style, layout, paint, GC).
 */
async function traced<T>(
  browser: Browser,
  page: Page,
  name: string | false,
  work: () => Promise<T>,
): Promise<T> {
  if (name === false) return work();
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'disabled-by-default-v8.cpu_profiler',
      'v8',
      'blink.user_timing',
    ],
  });
  const result = await work();
  const trace = await browser.stopTracing();
  mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'test-results', `${name}.trace.json`), trace);
  return result;
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}
