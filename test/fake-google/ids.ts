import { randomBytes } from 'node:crypto';

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';
export const CLIENT_EVENT_ID = /^[a-v0-9]{5,1024}$/;

/** 26 base32hex characters, like Google's server ids. */
export function newEventId(): string {
  const bytes = randomBytes(26);
  let out = '';
  for (const b of bytes) out += BASE32HEX[b & 31];
  return out;
}

export function newToken(prefix: string, bytes = 24): string {
  return prefix + randomBytes(bytes).toString('base64url');
}
