import { createHmac } from 'node:crypto';

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';
const COPY_ID_LENGTH = 26;

function base32hex(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32HEX[(buffer << (5 - bits)) & 31];
  return out;
}

export interface CopyIdInput {
  userId: number;
  originCalendarId: number;
  /** For an exception of a series: the series id (the instance suffix is appended separately). */
  originEventId: string;
  targetCalendarId: number;
}

/**
 * Deterministic Google event id of a copy: the same inputs always give the same id, so a retried insert
 * after a crash answers 409 instead of creating a duplicate (invariant 1). Keyed HMAC: the id reveals
 * nothing about the origin to people who can see the copy. 26 base32hex chars = 130 bits.
 */
export function copyId(key: Buffer, input: CopyIdInput): string {
  const mac = createHmac('sha256', key)
    .update(`${input.userId}\n${input.originCalendarId}\n${input.originEventId}\n${input.targetCalendarId}`)
    .digest();
  return base32hex(mac).slice(0, COPY_ID_LENGTH);
}

/** The suffix Google appends to a series id for one instance (`_20250907T013000Z`), or null. */
export function instanceSuffix(instanceId: string, recurringEventId: string): string | null {
  const prefix = `${recurringEventId}_`;
  return instanceId.startsWith(prefix) && instanceId.length > prefix.length ? instanceId.slice(prefix.length) : null;
}

/** An instance of a copied series keeps the origin's start, so it has the same suffix. */
export function instanceCopyId(seriesCopyId: string, suffix: string): string {
  return `${seriesCopyId}_${suffix}`;
}

/**
 * The id of the copy of `origin` on `target`. An exception of a series (origin has recurringEventId) is
 * addressed as the instance of the copied series, so series and exception copies stay linked.
 */
export function copyIdForOrigin(
  key: Buffer,
  userId: number,
  originCalendarId: number,
  origin: { id: string; recurringEventId?: string | null },
  targetCalendarId: number,
): string {
  const suffix = origin.recurringEventId ? instanceSuffix(origin.id, origin.recurringEventId) : null;
  if (origin.recurringEventId && suffix) {
    const series = copyId(key, { userId, originCalendarId, originEventId: origin.recurringEventId, targetCalendarId });
    return instanceCopyId(series, suffix);
  }
  return copyId(key, { userId, originCalendarId, originEventId: origin.id, targetCalendarId });
}

export const COPY_ID_PATTERN = /^([0-9a-v]{26})(?:_([0-9A-Za-z]+))?$/;

/** One of our copy ids taken apart: the copy (or copied series) id, and Google's instance suffix if any. */
export interface ParsedCopyId {
  base: string;
  /** Set when the id names one occurrence of a copied series. */
  suffix: string | null;
}

/** The one reader of our copy ids; null for an id BusyBridge did not make. */
export function parseCopyId(eventId: string): ParsedCopyId | null {
  const match = COPY_ID_PATTERN.exec(eventId);
  return match ? { base: match[1], suffix: match[2] ?? null } : null;
}

/** Our copy ids never contain '_': one that does names an occurrence of a copy series. */
export function isInstanceId(eventId: string): boolean {
  return eventId.includes('_');
}
