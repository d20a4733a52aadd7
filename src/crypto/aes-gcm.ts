import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Layout of a sealed value: [version 1 byte][nonce 12][tag 16][ciphertext]. The version byte lets a
// future key rotation or algorithm change recognise old values.
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt a stored secret: ${reason}`);
  }
}

export function seal(key: Buffer, plaintext: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Buffer): string {
  if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES) throw new DecryptionError('value is too short');
  if (sealed[0] !== VERSION) throw new DecryptionError(`unknown format version ${sealed[0]}`);
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
  const body = sealed.subarray(1 + NONCE_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    // GCM authentication failed: the value was altered, or this is not the key it was sealed with.
    throw new DecryptionError('authentication failed (tampered value or wrong encryption key)');
  }
}
