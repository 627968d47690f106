// The one way out of the app: a link the renderer tries to open (or navigate to) goes to
// the user's default browser only when it is a plain https URL without credentials.
// Anything else (file:, javascript:, custom schemes that launch programs, http) is dropped.

/** The URL to hand to the system browser, or null when it must not leave the app. */
export function allowedExternalUrl(url: string): string | null {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return null;
  }
  if (target.protocol !== 'https:' || target.username !== '' || target.password !== '') return null;
  if (target.hostname === '') return null;
  return target.toString();
}

/** Opens `url` in the default browser when allowedExternalUrl accepts it; reports whether it did. */
export function openExternalSafely(
  url: string,
  openExternal: (url: string) => Promise<void>,
): boolean {
  const allowed = allowedExternalUrl(url);
  if (allowed === null) return false;
  void openExternal(allowed).catch(() => undefined);
  return true;
}
