// Password hashing for built-in users: scrypt (node:crypto) with a per-user random salt. The
// parameters are stored with each hash, so they can be raised later without breaking old
// hashes; verification recomputes with the stored parameters and compares in constant time.
import {
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

export interface ScryptParams {
  algorithm: 'scrypt';
  /** CPU/memory cost (a power of two). */
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

export interface PasswordHash {
  hash: Buffer;
  salt: Buffer;
  /** The parameters as JSON (stored beside the hash). */
  params: string;
}

/** 2^15 × 8 × 128 bytes = 32 MiB of memory per hash: about 0.1 s on one core. */
export const DEFAULT_PARAMS: ScryptParams = {
  algorithm: 'scrypt',
  N: 2 ** 15,
  r: 8,
  p: 1,
  keyLength: 64,
};
export const SALT_BYTES = 16;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r * params.p + 16 * 1024 * 1024,
  };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, params.keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Why a password cannot be set, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length === 0) return 'the password is empty';
  if (password.length < MIN_PASSWORD_LENGTH)
    return `the password is too short (at least ${MIN_PASSWORD_LENGTH} characters)`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `the password is too long (at most ${MAX_PASSWORD_LENGTH} characters)`;
  return undefined;
}

export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_PARAMS,
): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scrypt(password, salt, params);
  return { hash, salt, params: JSON.stringify(params) };
}

function parseParams(text: string): ScryptParams | undefined {
  try {
    const value = JSON.parse(text) as Partial<ScryptParams>;
    const positive = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
    if (
      value.algorithm === 'scrypt' &&
      positive(value.N) &&
      positive(value.r) &&
      positive(value.p) &&
      positive(value.keyLength)
    )
      return value as ScryptParams;
  } catch {
    // unreadable parameters: the password cannot be verified
  }
  return undefined;
}

/** True when `password` matches the stored hash. Unreadable parameters never match. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const params = parseParams(stored.params);
  if (!params || params.keyLength !== stored.hash.length) return false;
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const candidate = await scrypt(password, stored.salt, params);
  return timingSafeEqual(candidate, stored.hash);
}

/** A random password of `length` characters (URL-safe base64 of crypto-random bytes). */
export function generatePassword(length = 24): string {
  if (length < 20) throw new RangeError('generated passwords have at least 20 characters');
  return randomBytes(Math.ceil((length * 3) / 4))
    .toString('base64url')
    .slice(0, length);
}
