import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_KEY_FILE, SealedSecretError, seal, secretKey, unseal } from './sealed-secret';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'feedgate-seal-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('sealed secrets', () => {
  it('makes one key per data dir (mode 0600) and keeps it', () => {
    const dir = dataDir();
    const key = secretKey(dir);
    expect(key).toHaveLength(32);
    expect(statSync(path.join(dir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(secretKey(dir).equals(key)).toBe(true);
  });

  it('opens what it sealed, and the sealed bytes do not hold the secret', () => {
    const key = secretKey(dataDir());
    const sealed = seal(key, 'bind-pässword', 'directory:Corp');
    expect(sealed.toString('latin1')).not.toContain('bind-p');
    expect(unseal(key, sealed, 'directory:Corp')).toBe('bind-pässword');
  });

  it('refuses another key, another context and a tampered value', () => {
    const key = secretKey(dataDir());
    const sealed = seal(key, 'secret', 'directory:Corp');
    expect(() => unseal(secretKey(dataDir()), sealed, 'directory:Corp')).toThrow(SealedSecretError);
    expect(() => unseal(key, sealed, 'directory:Other')).toThrow(SealedSecretError);
    const tampered = Buffer.from(sealed);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    expect(() => unseal(key, tampered, 'directory:Corp')).toThrow(/does not open/);
    expect(() => unseal(key, Buffer.from([1, 2]), 'directory:Corp')).toThrow(/not a sealed/);
  });

  it('refuses a key file of the wrong size', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, SECRET_KEY_FILE), 'short');
    expect(() => secretKey(dir)).toThrow(/not a sealing key/);
  });
});
