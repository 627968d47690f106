// `npm start`: builds the app, then runs it in Electron when its binary is installed, or
// else in the browser host (127.0.0.1), prints its URL with the session token and opens it
// in Chromium's app mode (throwaway profile) when a display and /usr/bin/chromium are there.
// Flags: --no-open (do not open a browser). Environment: PORT (browser host port).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHost } from './build-host.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const noOpen = args.has('--no-open');
for (const arg of args) {
  if (arg !== '--no-open') {
    console.error(`start: unknown option ${arg} (known: --no-open)`);
    process.exit(2);
  }
}

function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null; // the JS package throws when its binary was never downloaded
  }
}

/** Runs a child to completion with our signals forwarded; resolves with its exit code. */
function run(command, commandArgs, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', ...options });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`start: cannot run ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
    });
  });
}

// Flags from docs (ENVIRONMENT): no background traffic, no first-run UI, a throwaway profile.
const CHROMIUM_FLAGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Opens the app in Chromium's app mode; returns a function that closes it and its profile. */
function openInChromium(url) {
  const chromium = '/usr/bin/chromium';
  if (noOpen || !process.env.DISPLAY || !existsSync(chromium)) return () => undefined;
  const profile = mkdtempSync(path.join(tmpdir(), 'feedgate-chromium-'));
  const flags = [`--app=${url}`, `--user-data-dir=${profile}`, ...CHROMIUM_FLAGS];
  if (process.getuid?.() === 0) flags.push('--no-sandbox'); // Chromium refuses root otherwise
  let browser = null;
  try {
    browser = spawn(chromium, flags, { stdio: 'ignore' });
    browser.on('error', () => undefined);
  } catch {
    // Opening a browser is a convenience: the URL is printed either way.
  }
  return () => {
    browser?.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
  };
}

async function startBrowserHost() {
  const bundle = await buildHost();
  const child = spawn(process.execPath, [bundle], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  let buffered = '';
  let opened = false;
  let closeBrowser = () => undefined;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (opened) return;
    buffered += chunk;
    const match = /running at (http:\/\/\S+)/.exec(buffered);
    if (match?.[1]) {
      opened = true;
      closeBrowser = openInChromium(match[1]);
    }
  });
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      closeBrowser();
      resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
    });
  });
}

const viteBuild = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
  { cwd: root, stdio: 'inherit' },
);
if (viteBuild.status !== 0) {
  console.error('start: `electron-vite build` failed');
  process.exit(viteBuild.status ?? 1);
}

const electron = electronBinary();
if (electron) {
  process.exitCode = await run(electron, [root], { cwd: root });
} else {
  console.log(
    'start: the Electron binary is not installed on this machine, so feedgate starts in the browser host',
  );
  process.exitCode = await startBrowserHost();
}
