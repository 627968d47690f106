// Electron main process: thin glue with secure defaults. One window, sandboxed and isolated
// renderer without Node, a strict Content-Security-Policy, no navigation away from the app,
// no new windows; https links open in the user's browser through one checked function.
// The renderer reaches the back end only through the AppApi handler registry.
import {
  app,
  BrowserWindow,
  ipcMain,
  screen,
  session,
  shell,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_API_CHANNELS, IPC_EVENT_CHANNEL, ipcChannelOf } from '../shared/app-api';
import { APP_NAME } from '../shared/app-info';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import { openExternalSafely } from './external-links';
import { createEventHub } from './ipc/events';
import { APP_API_HANDLERS } from './ipc/handlers';
import { createRegistry } from './ipc/registry';
import { Workspace } from '../workspace/workspace';
import {
  isVisibleOn,
  loadWindowState,
  saveWindowState,
  WINDOW_STATE_FILE,
  type WindowState,
} from './window-state';

const RENDERER_INDEX = join(__dirname, '../renderer/index.html');
const RENDERER_URL = pathToFileURL(RENDERER_INDEX);
const PRELOAD = join(__dirname, '../preload/index.js');
const DEFAULT_SIZE = { width: 1280, height: 860 };
/** The built CLI that runs embedded instances (out/main -> <app>/dist/cli). */
const CLI_BUNDLE = join(__dirname, '../../dist/cli/feedgate.cjs');

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

const openInBrowser = (url: string): boolean => openExternalSafely(url, shell.openExternal);

function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      openInBrowser(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url);
    return { action: 'deny' };
  });
}

/** Only the app's own top-level page may call the AppApi (not a sub-frame, not another URL). */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

function registerAppApi(workspace: Workspace): void {
  const events = createEventHub();
  const registry = createRegistry(APP_API_HANDLERS, {
    context: { host: 'electron', events, workspace },
    validateResults: !app.isPackaged,
  });
  for (const channel of APP_API_CHANNELS) {
    ipcMain.handle(ipcChannelOf(channel), (event, args: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'forbidden', message: 'not the feedgate window' } };
      }
      return registry.invoke(channel, args);
    });
  }
  events.subscribe((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      window.webContents.send(IPC_EVENT_CHANNEL, name, payload);
    }
  });
}

function windowStateFile(): string {
  return join(app.getPath('userData'), WINDOW_STATE_FILE);
}

function restoredState(): WindowState | null {
  const state = loadWindowState(windowStateFile());
  if (state === null) return null;
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  return isVisibleOn(state, workAreas) ? state : { ...state, ...centered(state) };
}

/** Keeps the remembered size but lets Electron center the window on the primary display. */
function centered(state: WindowState): Partial<WindowState> {
  const area = screen.getPrimaryDisplay().workArea;
  return {
    x: Math.round(area.x + (area.width - Math.min(state.width, area.width)) / 2),
    y: Math.round(area.y + (area.height - Math.min(state.height, area.height)) / 2),
    width: Math.min(state.width, area.width),
    height: Math.min(state.height, area.height),
  };
}

function rememberState(window: BrowserWindow): void {
  const bounds = window.getNormalBounds();
  try {
    saveWindowState(windowStateFile(), { ...bounds, maximized: window.isMaximized() });
  } catch {
    // Forgetting the window's place is harmless; failing to close is not.
  }
}

function createWindow(): BrowserWindow {
  const state = restoredState();
  const window = new BrowserWindow({
    title: APP_NAME,
    ...(state ? { x: state.x, y: state.y } : {}),
    width: state?.width ?? DEFAULT_SIZE.width,
    height: state?.height ?? DEFAULT_SIZE.height,
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
  window.once('ready-to-show', () => {
    if (state?.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => rememberState(window));
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
    // The same policy as the meta tag in index.html, for every response that has headers.
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        },
      });
    });
    const workspace = new Workspace({ appDataDir: app.getPath('userData'), cliBundle: CLI_BUNDLE });
    // Embedded instances are child processes: stop them (SIGTERM, then SIGKILL) before quitting.
    let closed = false;
    app.on('before-quit', (event) => {
      if (closed) return;
      event.preventDefault();
      void workspace.close().finally(() => {
        closed = true;
        app.quit();
      });
    });
    registerAppApi(workspace);
    // The embedded default on a launch with no connection, then the autostart instances.
    void workspace.start();
    mainWindow = createWindow();
  });
}
