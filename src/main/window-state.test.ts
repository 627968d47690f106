// The remembered window state: a real file in a temporary userData directory.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVisibleOn, loadWindowState, saveWindowState, WINDOW_STATE_FILE } from './window-state';

describe('window state', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'feedgate-window-'));
    file = join(dir, 'userData', WINDOW_STATE_FILE);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips size, position and maximized', () => {
    const state = { x: 40, y: -20, width: 1400, height: 900, maximized: true };
    saveWindowState(file, state);
    expect(loadWindowState(file)).toEqual(state);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    saveWindowState(file, { ...state, maximized: false });
    expect(loadWindowState(file)).toEqual({ ...state, maximized: false });
  });

  it('falls back to defaults (null) for a missing or malformed file', () => {
    expect(loadWindowState(file)).toBeNull();
    saveWindowState(file, { x: 0, y: 0, width: 800, height: 600, maximized: false });
    for (const text of [
      '',
      '{',
      '[]',
      '{"x":0}',
      '{"x":0,"y":0,"width":10,"height":600,"maximized":false}',
    ]) {
      writeFileSync(file, text);
      expect(loadWindowState(file), text).toBeNull();
    }
    writeFileSync(file, '{"x":0,"y":0,"width":900,"height":600,"maximized":false,"evil":1}');
    expect(loadWindowState(file)).toBeNull();
  });

  it('refuses to save a state that could not be restored', () => {
    expect(() =>
      saveWindowState(file, { x: 0.5, y: 0, width: 800, height: 600, maximized: false }),
    ).toThrow();
    expect(() => readFileSync(file)).toThrow();
  });

  it('keeps a window on a display that is still attached', () => {
    const screens = [
      { x: 0, y: 0, width: 1920, height: 1040 },
      { x: 1920, y: 0, width: 1280, height: 1024 },
    ];
    expect(isVisibleOn({ x: 100, y: 100, width: 1200, height: 800 }, screens)).toBe(true);
    expect(isVisibleOn({ x: 2000, y: 50, width: 1000, height: 700 }, screens)).toBe(true);
    // The second display is gone: the window would open off-screen.
    expect(isVisibleOn({ x: 2000, y: 50, width: 1000, height: 700 }, screens.slice(0, 1))).toBe(
      false,
    );
    // Only a sliver, or the title bar above the top edge: not reachable by the mouse.
    expect(isVisibleOn({ x: 1900, y: 100, width: 800, height: 600 }, screens.slice(0, 1))).toBe(
      false,
    );
    expect(isVisibleOn({ x: 100, y: -700, width: 800, height: 720 }, screens)).toBe(false);
  });
});
