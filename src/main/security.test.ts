// Security regression tests: they read the Electron main process (source and the built
// out/main/index.js), the renderer's page and the Content-Security-Policy, and fail when a
// protection is weakened: isolation, sandbox, Node in the renderer, web security, the CSP,
// navigation and window guards, the single checked way to open links, the IPC surface.
// The built files come from `npm run build` (npm test builds first); a missing build fails.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_DIRECTIVES,
} from '../shared/content-security-policy';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => {
  const file = join(root, path);
  if (!existsSync(file))
    throw new Error(`${path} is missing: run \`npm run build\` first (npm test does)`);
  return readFileSync(file, 'utf8');
};

const MAIN_SOURCE = 'src/main/index.ts';

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true);
}

function nodesOf(node: ts.Node, match: (n: ts.Node) => boolean, found: ts.Node[] = []): ts.Node[] {
  if (match(node)) found.push(node);
  node.forEachChild((child) => void nodesOf(child, match, found));
  return found;
}

/** The text of each call whose callee ends with `name` (e.g. `.on`, `setWindowOpenHandler`). */
function callsTo(file: ts.SourceFile, name: string): ts.CallExpression[] {
  return nodesOf(file, (n) => {
    if (!ts.isCallExpression(n)) return false;
    const callee = n.expression;
    const text = ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText();
    return text === name;
  }) as ts.CallExpression[];
}

function property(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText() === key) return p.initializer;
  }
  return undefined;
}

/** Every `new BrowserWindow({...})` with its webPreferences object literal. */
function browserWindows(file: ts.SourceFile): ts.ObjectLiteralExpression[] {
  const created = nodesOf(
    file,
    (n) => ts.isNewExpression(n) && n.expression.getText() === 'BrowserWindow',
  ) as ts.NewExpression[];
  return created.map((n) => {
    const options = n.arguments?.[0];
    if (!options || !ts.isObjectLiteralExpression(options)) {
      throw new Error(
        `${n.getText().slice(0, 60)}: options must be an object literal to be checked`,
      );
    }
    const prefs = property(options, 'webPreferences');
    if (!prefs || !ts.isObjectLiteralExpression(prefs)) {
      throw new Error('new BrowserWindow: webPreferences must be an object literal to be checked');
    }
    return prefs;
  });
}

/** The security settings that must be literally this value (not computed, not omitted). */
const REQUIRED_PREFERENCES: Record<string, boolean> = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
};
/** Settings that loosen the renderer and must not appear at all. */
const FORBIDDEN_PREFERENCES = ['experimentalFeatures', 'enableBlinkFeatures', 'enableRemoteModule'];

describe('Electron main: window security (source)', () => {
  const main = parse(MAIN_SOURCE);
  const windows = browserWindows(main);

  it('creates windows', () => {
    expect(windows.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(REQUIRED_PREFERENCES))(
    'every window sets %s: %s literally',
    (key, value) => {
      for (const prefs of windows) {
        expect(property(prefs, key)?.getText(), key).toBe(String(value));
      }
    },
  );

  it('no window turns on a loosening preference or spreads unchecked options', () => {
    for (const prefs of windows) {
      for (const key of FORBIDDEN_PREFERENCES) expect(property(prefs, key), key).toBeUndefined();
      expect(prefs.properties.some((p) => ts.isSpreadAssignment(p))).toBe(false);
    }
  });

  it('enables the sandbox for every renderer and holds the single-instance lock', () => {
    expect(callsTo(main, 'enableSandbox')).toHaveLength(1);
    expect(callsTo(main, 'requestSingleInstanceLock')).toHaveLength(1);
  });

  it('blocks navigation and redirects away from the app', () => {
    const handlers = callsTo(main, 'on').filter((c) => {
      const event = c.arguments[0];
      return (
        event !== undefined &&
        ts.isStringLiteral(event) &&
        ['will-navigate', 'will-redirect'].includes(event.text)
      );
    });
    expect(handlers.map((c) => (c.arguments[0] as ts.StringLiteral).text).sort()).toEqual([
      'will-navigate',
      'will-redirect',
    ]);
    for (const handler of handlers) {
      const body = handler.arguments[1]?.getText() ?? '';
      expect(body).toMatch(/if \(!isAppUrl\(url\)\)/);
      expect(body).toContain('event.preventDefault()');
    }
    const webviews = callsTo(main, 'on').filter(
      (c) => c.arguments[0]?.getText() === "'will-attach-webview'",
    );
    expect(webviews).toHaveLength(1);
    expect(webviews[0]?.arguments[1]?.getText()).toContain('preventDefault()');
  });

  it('guards every web contents, not only the main window', () => {
    const created = callsTo(main, 'on').find(
      (c) => c.arguments[0]?.getText() === "'web-contents-created'",
    );
    expect(created?.arguments[1]?.getText()).toContain('hardenWebContents(contents)');
  });

  it('denies every new window', () => {
    const openHandlers = callsTo(main, 'setWindowOpenHandler');
    expect(openHandlers).toHaveLength(1);
    const text = openHandlers[0]?.getText() ?? '';
    expect(text).toContain("action: 'deny'");
    expect(text).not.toContain("'allow'");
  });

  it('opens external links through the one checked function only', () => {
    const files = readdirSync(join(root, 'src/main'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const direct = files.flatMap((f) => {
      const calls = callsTo(parse(join('src/main', f)), 'openExternal').map((c) => c.getText());
      return calls.map((call) => `${f}: ${call}`);
    });
    // One call, inside openExternalSafely after allowedExternalUrl accepted the URL.
    expect(direct).toEqual(['external-links.ts: openExternal(allowed)']);
    const handedOver = files.flatMap(
      (f) => read(join('src/main', f)).match(/shell\.openExternal\b.*/g) ?? [],
    );
    expect(handedOver).toEqual(['shell.openExternal);']);
    expect(read(MAIN_SOURCE)).toContain('openExternalSafely(url, shell.openExternal)');
  });

  it('refuses every permission request', () => {
    const source = read(MAIN_SOURCE);
    expect(source).toMatch(
      /setPermissionRequestHandler\(\(_contents, _permission, done\) =>\s*done\(false\)/,
    );
    expect(source).toContain('setPermissionCheckHandler(() => false)');
  });

  it('sets the CSP header on every response', () => {
    const hooks = callsTo(main, 'onHeadersReceived');
    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.getText()).toContain("'Content-Security-Policy': [CONTENT_SECURITY_POLICY]");
  });

  it('answers IPC only through the AppApi registry, for the app page only', () => {
    const handles = callsTo(main, 'handle');
    expect(handles).toHaveLength(1);
    expect(handles[0]?.arguments[0]?.getText()).toBe('ipcChannelOf(channel)');
    const body = handles[0]?.arguments[1]?.getText() ?? '';
    expect(body).toContain('if (!isTrustedSender(event))');
    expect(body).toContain('return registry.invoke(channel, args)');
    for (const name of ['on', 'once', 'handleOnce']) {
      expect(
        callsTo(main, name).filter((c) => c.expression.getText().startsWith('ipcMain')),
      ).toEqual([]);
    }
  });

  it('loads only the local renderer page', () => {
    expect(callsTo(main, 'loadURL')).toEqual([]);
    expect(callsTo(main, 'loadFile').map((c) => c.arguments[0]?.getText())).toEqual([
      'RENDERER_INDEX',
    ]);
  });
});

describe('Electron main: the built bundle (out/main/index.js)', () => {
  const built = read('out/main/index.js');

  it.each(Object.entries(REQUIRED_PREFERENCES))('keeps %s: %s', (key, value) => {
    expect(built).toMatch(new RegExp(`\\b${key}: ${value}\\b`));
    expect(built).not.toMatch(new RegExp(`\\b${key}: ${!value}\\b`));
  });

  it('contains no switch that disables web security or the sandbox', () => {
    for (const text of [
      'disable-web-security',
      'no-sandbox',
      'disableWebSecurity',
      'unsafe-eval',
      'unsafe-inline',
    ]) {
      expect(built, text).not.toContain(text);
    }
  });

  it('carries the CSP that the source names', () => {
    for (const directive of CONTENT_SECURITY_POLICY_DIRECTIVES) expect(built).toContain(directive);
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY_DIRECTIVES.map(
      (d) => [d.split(' ')[0], d.split(' ').slice(1)] as const,
    ),
  );

  it('allows only the app itself and never inline or eval', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|data:|blob:|https?:/);
  });

  it.each(['src/renderer/index.html', 'out/renderer/index.html'])(
    'is repeated exactly in %s',
    (path) => {
      const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
        read(path),
      );
      expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
    },
  );

  it('leaves no inline script in the built page', () => {
    const page = read('out/renderer/index.html');
    expect(page).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page).not.toMatch(/\son[a-z]+=/i);
  });
});
