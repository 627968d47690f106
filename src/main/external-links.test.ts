// The one way out of the app: only plain https URLs reach the system browser.
import { describe, expect, it } from 'vitest';
import { allowedExternalUrl, openExternalSafely } from './external-links';

describe('external links', () => {
  it.each([
    'https://docs.inedo.com/docs/proget/administration/security',
    'https://example.com:8443/a?b=c#d',
  ])('opens %s', (url) => {
    expect(allowedExternalUrl(url)).toBe(new URL(url).toString());
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'https://user:secret@example.com/',
    'https://user@example.com/',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(allowedExternalUrl(url)).toBeNull();
  });

  it('hands only allowed URLs to the opener', async () => {
    const opened: string[] = [];
    const opener = async (url: string): Promise<void> => {
      opened.push(url);
    };
    expect(openExternalSafely('file:///bin/sh', opener)).toBe(false);
    expect(openExternalSafely('https://example.com', opener)).toBe(true);
    expect(opened).toEqual(['https://example.com/']);
  });

  it('survives an opener that fails', () => {
    expect(
      openExternalSafely('https://example.com', () => Promise.reject(new Error('no browser'))),
    ).toBe(true);
  });
});
