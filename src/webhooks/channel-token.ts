import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh per-channel secret: 32 random bytes, base64url (43 characters; Google allows 256). */
export function newChannelToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this hash is stored: a copy of the database does not let anyone forge notifications. */
export function hashChannelToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant time over the fixed-length hashes, so response timing reveals nothing about the token. */
export function channelTokenMatches(presented: string | undefined, storedHash: string | null): boolean {
  if (!presented || !storedHash || presented.length > 256) return false;
  const a = Buffer.from(hashChannelToken(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
