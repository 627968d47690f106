// Security regression tests for the preload: it must expose the AppApi (invoke and on, for
// the declared names) and nothing else: no ipcRenderer, no require, no Node module. They read
// the source and run the built out/preload/index.js (from `npm run build`; a missing build
// fails) in a fresh VM context whose `electron` module only records what the preload does:
// the surface under test is the preload's own code, not Electron.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { APP_API_CHANNELS, APP_API_EVENTS, IPC_EVENT_CHANNEL } from '../shared/app-api-names';

const sourceFile = fileURLToPath(new URL('./index.ts', import.meta.url));
const builtFile = fileURLToPath(new URL('../../out/preload/index.js', import.meta.url));

function readBuilt(): string {
  if (!existsSync(builtFile)) {
    throw new Error(`${builtFile} is missing: run \`npm run build\` first (npm test does)`);
  }
  return readFileSync(builtFile, 'utf8');
}

interface Recorded {
  exposed: [string, unknown][];
  invoked: [string, unknown][];
  subscribed: string[];
  required: string[];
  emit: (channel: string, ...args: unknown[]) => void;
}

/** Runs the built preload with a recording `electron` module; any other require fails. */
function runBuiltPreload(): Recorded {
  const recorded: Recorded = {
    exposed: [],
    invoked: [],
    subscribed: [],
    required: [],
    emit: () => undefined,
  };
  const handlers = new Map<string, (...args: unknown[]) => void>();
  recorded.emit = (channel, ...args) => handlers.get(channel)?.({}, ...args);
  const electron = {
    contextBridge: {
      exposeInMainWorld: (name: string, api: unknown) => recorded.exposed.push([name, api]),
    },
    ipcRenderer: {
      invoke: (channel: string, args: unknown) => {
        recorded.invoked.push([channel, args]);
        return Promise.resolve({ ok: true, value: null });
      },
      on: (channel: string, handler: (...args: unknown[]) => void) => {
        recorded.subscribed.push(channel);
        handlers.set(channel, handler);
      },
    },
  };
  const require = (name: string): unknown => {
    recorded.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`the preload required ${name}`);
  };
  vm.runInNewContext(readBuilt(), { require, Promise, Map, Set, Object, Error, String });
  return recorded;
}

describe('preload (source)', () => {
  const file = ts.createSourceFile(
    sourceFile,
    readFileSync(sourceFile, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );

  it('imports at run time only electron and the dependency-free name list', () => {
    const runtimeImports = file.statements
      .filter(ts.isImportDeclaration)
      .filter((d) => !d.importClause?.isTypeOnly)
      .map((d) => (d.moduleSpecifier as ts.StringLiteral).text);
    expect(runtimeImports.sort()).toEqual(['../shared/app-api-names', 'electron']);
  });

  it('exposes one object, window.feedgate', () => {
    const text = file.getText();
    expect(text.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(text).toContain("contextBridge.exposeInMainWorld('feedgate', feedgate)");
  });
});

describe('preload (built)', () => {
  it('requires nothing but electron, and names no Node module', () => {
    const built = readBuilt();
    expect([...built.matchAll(/require\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['"electron"']);
    for (const text of [
      'node:',
      'process.',
      'eval(',
      'Function(',
      'webFrame',
      '@electron/remote',
    ]) {
      expect(built, text).not.toContain(text);
    }
    // Electron's old remote module, by property (channel names such as 'connections:add-remote' are fine).
    expect(built).not.toMatch(/\.remote\b|\bremote\s*[.:=(]/);
  });

  it('exposes exactly invoke and on, frozen', () => {
    const recorded = runBuiltPreload();
    expect(recorded.required).toEqual(['electron']);
    expect(recorded.exposed).toHaveLength(1);
    const [name, api] = recorded.exposed[0] as [string, Record<string, unknown>];
    expect(name).toBe('feedgate');
    expect(Object.getOwnPropertyNames(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.on).toBe('function');
    // Electron listens on one channel only: the push events.
    expect(recorded.subscribed).toEqual([IPC_EVENT_CHANNEL]);
  });

  it('forwards the declared channels only, each on its own prefixed IPC channel', async () => {
    const recorded = runBuiltPreload();
    const api = recorded.exposed[0]?.[1] as {
      invoke(channel: unknown, args: unknown): Promise<unknown>;
    };
    for (const channel of APP_API_CHANNELS) await api.invoke(channel, { x: 1 });
    expect(recorded.invoked).toEqual(APP_API_CHANNELS.map((c) => [`feedgate:${c}`, { x: 1 }]));
    for (const channel of [
      'fs:read',
      'feedgate:event',
      'ELECTRON_BROWSER_REQUIRE',
      '__proto__',
      42,
    ]) {
      await expect(api.invoke(channel, {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'unknown-channel' },
      });
    }
    expect(recorded.invoked).toHaveLength(APP_API_CHANNELS.length);
  });

  it('delivers the declared events only, and unsubscribes', () => {
    const recorded = runBuiltPreload();
    const api = recorded.exposed[0]?.[1] as {
      on(event: unknown, listener: unknown): () => void;
    };
    expect(() => api.on('ipc:raw', () => undefined)).toThrow('unknown event ipc:raw');
    expect(() => api.on(APP_API_EVENTS[0], 'not a function')).toThrow(
      'the listener must be a function',
    );
    const seen: unknown[] = [];
    const stop = api.on('instance:status', (payload: unknown) => seen.push(payload));
    recorded.emit(IPC_EVENT_CHANNEL, 'instance:status', { state: 'running' });
    recorded.emit(IPC_EVENT_CHANNEL, 'not:declared', { state: 'x' });
    stop();
    recorded.emit(IPC_EVENT_CHANNEL, 'instance:status', { state: 'stopped' });
    expect(seen).toEqual([{ state: 'running' }]);
  });
});
