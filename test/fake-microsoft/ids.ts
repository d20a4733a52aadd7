import { createHash, randomBytes } from 'node:crypto';

/** Exchange item ids are long, case-sensitive base64 with `-`/`_`; ids end with padding. */
const ITEM_ID = /^AA[A-Za-z0-9_-]{98,400}={0,2}$/;

export function newItemId(): string {
  return `AAMkA${randomBytes(108).toString('base64url')}AAA=`;
}

export function newImmutableId(): string {
  return `AAkALg${randomBytes(108).toString('base64url')}AAA=`;
}

/** Occurrence ids are derived (an occurrence is not stored until it becomes an exception). */
export function occurrenceId(masterId: string, originalStartMs: number, immutable = false): string {
  const a = createHash('sha512').update(`${masterId}|${originalStartMs}`).digest();
  const b = createHash('sha512').update(a).digest();
  return `${immutable ? 'AAkALg' : 'AAMkA'}${Buffer.concat([a, b]).toString('base64url')}AAA=`;
}

export function isWellFormedItemId(id: string): boolean {
  return ITEM_ID.test(id);
}

/** A stable GUID from a seed string, so seeded tenants and users keep their ids between runs. */
export function guidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newGuid(): string {
  return guidFrom(randomBytes(16).toString('hex'));
}

export function newToken(prefix: string, bytes = 48): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

export function changeKeyFor(seq: number): string {
  return createHash('sha1').update(`ck:${seq}`).digest('base64').slice(0, 24) + 'AAA==';
}
