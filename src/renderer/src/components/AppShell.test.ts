// The shell: landmarks, the skip link, the sidebar sections with the current one marked, the
// status snippet, and the theme toggle (system → light → dark, remembered).
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { SECTIONS } from '../lib/sections';
import { expectNoSeriousViolations } from '../testing/axe';
import AppShell from './AppShell.svelte';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

const html = (markup: string) => createRawSnippet(() => ({ render: () => markup }));

function renderShell(storage = memoryStorage()) {
  return render(AppShell, {
    current: 'grants',
    badges: { changes: 3 },
    storage,
    status: html('<span>Connected to prod</span>'),
    children: html('<h2>Grants screen</h2>'),
  });
}

afterEach(() => delete document.documentElement.dataset.theme);

describe('AppShell', () => {
  it('has the banner, navigation and main landmarks and passes the scan', async () => {
    renderShell();
    const banner = screen.getByRole('banner');
    expect(within(banner).getByRole('heading', { level: 1, name: 'feedgate' })).toBeTruthy();
    expect(within(banner).getByText('Connected to prod')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent?.replace(/\s+/g, ' ').trim()),
    ).toEqual(SECTIONS.map((s) => (s.id === 'changes' ? 'Changes 3' : s.label)));
    expect(within(nav).getByRole('link', { name: 'Changes, 3 pending' })).toBeTruthy();
    const main = screen.getByRole('main', { name: 'Grants' });
    expect(within(main).getByRole('heading', { name: 'Grants screen' })).toBeTruthy();
    await expectNoSeriousViolations(document.body);
  });

  it('marks the current section and links each to its hash route', () => {
    renderShell();
    const current = screen.getByRole('link', { current: 'page' });
    expect(current.textContent?.trim()).toBe('Grants');
    expect(screen.getByRole('link', { name: /Access/ }).getAttribute('href')).toBe('#/access');
  });

  it('skips to the content: the skip link comes first and focuses main', async () => {
    renderShell();
    const skip = screen.getByRole('link', { name: 'Skip to content' });
    const focusable = document.body.querySelectorAll('a, button, [tabindex]');
    expect(focusable[0]).toBe(skip);
    await fireEvent.click(skip);
    expect(document.activeElement).toBe(screen.getByRole('main'));
  });

  it('follows the system theme by default, toggles light and dark, and remembers it', async () => {
    const storage = memoryStorage();
    const { unmount } = renderShell(storage);
    const root = document.documentElement;
    expect(root.dataset.theme).toBeUndefined();
    const toggle = screen.getByRole('button', { name: 'Theme: follows the system' });
    await fireEvent.click(toggle);
    expect(root.dataset.theme).toBe('light');
    expect(toggle.getAttribute('aria-label')).toBe('Theme: light');
    await fireEvent.click(toggle);
    expect(root.dataset.theme).toBe('dark');
    expect(storage.items.get('feedgate.theme')).toBe('dark');
    unmount();

    renderShell(storage);
    expect(root.dataset.theme).toBe('dark');
    await fireEvent.click(screen.getByRole('button', { name: 'Theme: dark' }));
    expect(root.dataset.theme).toBeUndefined();
  });
});
