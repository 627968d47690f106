// The colour theme: follow the OS (the default), or pin light or dark. app.css derives every
// colour with light-dark(), so the theme is just the root's color-scheme, set by data-theme.
export type ThemePreference = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'feedgate.theme';
const ORDER: readonly ThemePreference[] = ['system', 'light', 'dark'];

export function readTheme(storage: Pick<Storage, 'getItem'>): ThemePreference {
  const stored = storage.getItem(STORAGE_KEY);
  return ORDER.includes(stored as ThemePreference) ? (stored as ThemePreference) : 'system';
}

export function applyTheme(
  root: HTMLElement,
  storage: Pick<Storage, 'setItem'>,
  theme: ThemePreference,
): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
  storage.setItem(STORAGE_KEY, theme);
}

/** The toggle cycles system → light → dark → system. */
export function nextTheme(theme: ThemePreference): ThemePreference {
  return ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length] ?? 'system';
}

export const THEME_LABEL: Readonly<Record<ThemePreference, string>> = {
  system: 'Theme: follows the system',
  light: 'Theme: light',
  dark: 'Theme: dark',
};
