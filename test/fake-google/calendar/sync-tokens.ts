import { Errors } from '../errors';
import { Calendar } from '../model';

/** Opaque to clients; carries the calendar, its invalidation epoch and the change cursor. */
export function encodeSyncToken(cal: Calendar, seq: number): string {
  return Buffer.from(`fgs1|${cal.id}|${cal.syncEpoch}|${seq}`).toString('base64');
}

/** Bad, foreign, invalidated or purged-past tokens all answer 410 fullSyncRequired, as Google does. */
export function decodeSyncToken(cal: Calendar, token: string): number {
  const parts = Buffer.from(token, 'base64').toString('utf8').split('|');
  const seq = Number(parts[3]);
  if (
    parts.length !== 4 ||
    parts[0] !== 'fgs1' ||
    parts[1] !== cal.id ||
    Number(parts[2]) !== cal.syncEpoch ||
    !Number.isInteger(seq)
  ) {
    throw Errors.fullSyncRequired();
  }
  if (seq < cal.purgedSeq) throw Errors.fullSyncRequired();
  return seq;
}

export type SortKey = [number, string];

export interface PageCursor {
  after: SortKey;
  /** Change cursor when the first page was served: the nextSyncToken of the last page. */
  snapshot: number;
}

export function encodePageToken(c: PageCursor): string {
  return Buffer.from(JSON.stringify([c.after, c.snapshot])).toString('base64url');
}

export function decodePageToken(token: string): PageCursor {
  try {
    const [after, snapshot] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [SortKey, number];
    if (!Array.isArray(after) || typeof snapshot !== 'number') throw new Error('shape');
    return { after, snapshot };
  } catch {
    throw Errors.invalid('Invalid page token value.', 'pageToken');
  }
}

export function compareKeys(a: SortKey, b: SortKey): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}
