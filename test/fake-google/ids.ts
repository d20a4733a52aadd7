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

/** Deterministic PRNG (mulberry32) so "a share of calls" is reproducible between runs. */
export class SeededRandom {
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  reseed(seed: number): void {
    this.state = seed >>> 0;
  }
}
