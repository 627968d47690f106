import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PARAMS,
  generatePassword,
  hashPassword,
  passwordProblem,
  verifyPassword,
  type ScryptParams,
} from './passwords';

// Cheap parameters keep most tests fast; one test uses the defaults.
const FAST: ScryptParams = { algorithm: 'scrypt', N: 2 ** 10, r: 8, p: 1, keyLength: 32 };

describe('passwords', () => {
  it('hashes with scrypt and the default parameters, and verifies the right password only', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(JSON.parse(stored.params)).toEqual(DEFAULT_PARAMS);
    expect(stored.hash).toHaveLength(DEFAULT_PARAMS.keyLength);
    expect(stored.salt).toHaveLength(16);
    expect(stored.hash.toString('latin1')).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash: the same password twice gives different salts and hashes', async () => {
    const a = await hashPassword('same password', FAST);
    const b = await hashPassword('same password', FAST);
    expect(a.salt.equals(b.salt)).toBe(false);
    expect(a.hash.equals(b.hash)).toBe(false);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('verifies with the stored parameters, not the current defaults', async () => {
    const stored = await hashPassword('old parameters', FAST);
    expect(JSON.parse(stored.params)).toMatchObject({ N: 1024, keyLength: 32 });
    expect(await verifyPassword('old parameters', stored)).toBe(true);
  });

  it('never matches with unreadable or inconsistent parameters', async () => {
    const stored = await hashPassword('some password', FAST);
    for (const params of [
      'not json',
      '{}',
      JSON.stringify({ ...FAST, algorithm: 'md5' }),
      JSON.stringify({ ...FAST, N: -1 }),
      JSON.stringify({ ...FAST, keyLength: 64 }),
    ])
      expect(await verifyPassword('some password', { ...stored, params })).toBe(false);
  });

  it('treats canonically equivalent Unicode spellings as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-p\u00e4ssword', FAST);
    expect(await verifyPassword('cafe\u0301-pa\u0308ssword', stored)).toBe(true);
  });

  it('refuses empty, short and huge passwords with a reason', async () => {
    expect(passwordProblem('')).toBe('the password is empty');
    expect(passwordProblem('short')).toMatch(/too short \(at least 8 characters\)/);
    expect(passwordProblem('x'.repeat(1025))).toMatch(/too long/);
    expect(passwordProblem('long enough')).toBeUndefined();
    const stored = await hashPassword('long enough', FAST);
    expect(await verifyPassword('x'.repeat(100_000), stored)).toBe(false);
  });

  it('generates crypto-random passwords of at least 20 characters', () => {
    const seen = new Set(Array.from({ length: 50 }, () => generatePassword()));
    expect(seen.size).toBe(50);
    for (const p of seen) {
      expect(p).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(passwordProblem(p)).toBeUndefined();
    }
    expect(generatePassword(40)).toHaveLength(40);
    expect(() => generatePassword(12)).toThrow(RangeError);
  });
});
