// Secrets the instance must be able to use again (an LDAP bind password binds; a hash could
// not), sealed with AES-256-GCM so that the database never holds them in clear. The key is a
// file of its own in the data dir (mode 0600), made on first use: a copy of the database
// alone (a backup, a leaked file) does not reveal the secrets.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SECRET_KEY_FILE = 'secret.key';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The first byte of a sealed value: the format, so that it can change later. */
const FORMAT = 1;

export class SealedSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedSecretError';
  }
}

/** The data dir's sealing key, created (exclusively, 0600) when there is none yet. */
export function secretKey(dataDir: string): Buffer {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  try {
    writeFileSync(file, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = readFileSync(file);
  if (key.length !== KEY_BYTES)
    throw new SealedSecretError(`${file} is not a sealing key (${key.length} bytes, not 32)`);
  return key;
}

/** `secret` sealed: format byte, IV, GCM tag, cipher text. `context` binds it to its owner. */
export function seal(key: Buffer, secret: string, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
}

/** The secret back; refused when the key or the context is not the one it was sealed with. */
export function unseal(key: Buffer, sealed: Buffer, context: string): string {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT)
    throw new SealedSecretError('not a sealed secret');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    const body = sealed.subarray(1 + IV_BYTES + TAG_BYTES);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedSecretError(
      `the sealed secret does not open with ${SECRET_KEY_FILE} of this data dir (was the database copied without it?)`,
    );
  }
}
