import { describe, expect, it } from 'vitest';
import { redactUrl } from './logging';

describe('redactUrl', () => {
  it('replaces the values of key and other credential parameters, keeps the rest', () => {
    expect(redactUrl('/api/x?key=fgk_secret&search-term=al')).toBe(
      '/api/x?key=[REDACTED]&search-term=al',
    );
    expect(redactUrl('/a?KEY=s1&api%5Fkey=s2&password=s3&token=s4&b=2')).toBe(
      '/a?KEY=[REDACTED]&api%5Fkey=[REDACTED]&password=[REDACTED]&token=[REDACTED]&b=2',
    );
    expect(redactUrl('/a?key')).toBe('/a?key=[REDACTED]');
    expect(redactUrl('/a?key=1&key=2')).toBe('/a?key=[REDACTED]&key=[REDACTED]');
    expect(redactUrl('/plain/path')).toBe('/plain/path');
    expect(redactUrl('/a?%zz=1')).toBe('/a?%zz=1');
  });
});
