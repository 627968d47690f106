// Electron main process: thin glue with secure defaults. One window, sandboxed renderer,
// no navigation away from the app, no new windows; https links open in the user's browser.
import { app, BrowserWindow, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_NAME } from '../shared/app-info';

const RENDERER_INDEX = join(__dirname, '../renderer/index.html');
const RENDERER_URL = pathToFileURL(RENDERER_INDEX);
const PRELOAD = join(__dirname, '../preload/index.js');

let mainWindow: BrowserWindow | null = null;

/** True when `url` is the app's own page (any fragment); file: URLs have an opaque origin. */
function isAppUrl(url: string): boolean {
  try {
    const target = new URL(url);
    return (
      target.protocol === RENDERER_URL.protocol &&
      target.host === RENDERER_URL.host &&
      target.pathname === RENDERER_URL.pathname
    );
  } catch {
    return false;
  }
}

/** The one way out of the app: plain https links, without credentials, in the default browser. */
function openExternalSafely(url: string): void {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return;
  }
  if (target.protocol !== 'https:' || target.username !== '' || target.password !== '') return;
  void shell.openExternal(target.toString()).catch(() => undefined);
}

function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      openExternalSafely(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    title: APP_NAME,
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 560,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadFile(RENDERER_INDEX);
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  void app.whenReady().then(() => {
    // The renderer needs no device, notification or media permission.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, done) =>
      done(false),
    );
    session.defaultSession.setPermissionCheckHandler(() => false);
    mainWindow = createWindow();
  });
}
