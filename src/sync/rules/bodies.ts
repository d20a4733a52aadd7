import { createHash } from 'node:crypto';
import { KIND_KEY, MAPPING_KEY, MARKER_KEY, MARKER_VALUE, ORIGIN_KEY, USER_KEY } from './eligibility';
import type { BlockShape } from './policy';
import { CopyKind, EventBody, EventTime, GoogleEvent } from './types';

export interface Stamp {
  userId: number;
  mappingId: number;
  originCalendarId: number;
  kind: CopyKind;
}

/** The only keys a busy block may ever carry (invariant 2). */
export const BUSY_BLOCK_KEYS: ReadonlySet<string> = new Set([
  'summary',
  'start',
  'end',
  'recurrence',
  'transparency',
  'visibility',
  'reminders',
  'extendedProperties',
  'status',
]);

function marker(stamp: Stamp): EventBody['extendedProperties'] {
  return {
    private: {
      [MARKER_KEY]: MARKER_VALUE,
      [KIND_KEY]: stamp.kind,
      [MAPPING_KEY]: String(stamp.mappingId),
      [USER_KEY]: String(stamp.userId),
      [ORIGIN_KEY]: String(stamp.originCalendarId),
    },
  };
}

/** Only the instant (and its zone): nothing else from the origin's time objects travels. */
function time(t: EventTime | undefined | null): EventTime {
  if (t?.date && !t.dateTime) return { date: t.date };
  const out: EventTime = { dateTime: t?.dateTime ?? null };
  if (t?.timeZone) out.timeZone = t.timeZone;
  return out;
}

function recurrenceOf(origin: GoogleEvent): string[] | undefined {
  return origin.recurrence && origin.recurrence.length > 0 ? [...origin.recurrence] : undefined;
}

/**
 * A detail-free busy block: title, time (and recurrence), opaque, private, no reminders, our marker.
 * Status is set so an update of a cancelled tombstone with our id revives it (invariant 1).
 */
export function busyBlockBody(
  origin: GoogleEvent,
  prefix: string,
  stamp: Stamp & { kind: 'busy' | 'personal' },
  shape?: BlockShape,
): EventBody {
  const body: EventBody = {
    summary: shape
      ? `${prefix} ${shape.title}`
      : stamp.kind === 'personal'
        ? `${prefix} Busy (Personal)`
        : `${prefix} Busy`,
    start: time(origin.start),
    end: time(origin.end),
    transparency: 'opaque',
    visibility: 'private',
    status: 'confirmed',
    reminders: { useDefault: false },
    extendedProperties: marker(stamp),
  };
  const recurrence = shape?.recurrence ?? recurrenceOf(origin);
  if (recurrence && recurrence.length > 0) body.recurrence = recurrence;
  return body;
}

function separator(prefix: string): string {
  return `--- ${prefix} ---`;
}

function person(p: { displayName?: string | null; email?: string | null }): string {
  return p.displayName && p.email ? `${p.displayName} <${p.email}>` : (p.displayName ?? p.email ?? 'unknown');
}

function meetingLink(origin: GoogleEvent): string | null {
  const video = origin.conferenceData?.entryPoints?.find((e) => e.entryPointType === 'video')?.uri;
  return video ?? origin.hangoutLink ?? null;
}

/** The origin's description plus a reference block: organizer, attendees, meeting link. */
export function copyDescription(origin: GoogleEvent, prefix: string): string | undefined {
  const lines: string[] = [];
  if (origin.organizer && origin.organizer.self !== true) lines.push(`Organizer: ${person(origin.organizer)}`);
  const attendees = (origin.attendees ?? []).filter((a) => !a.resource);
  if (attendees.length > 0) {
    lines.push('Attendees:');
    for (const a of attendees) lines.push(`- ${person(a)}${a.responseStatus ? ` (${a.responseStatus})` : ''}`);
  }
  const link = meetingLink(origin);
  if (link) lines.push(`Meeting link: ${link}`);
  const own = origin.description ?? '';
  if (lines.length === 0) return own === '' ? undefined : own;
  const block = `${separator(prefix)}\n${lines.join('\n')}`;
  return own === '' ? block : `${own}\n\n${block}`;
}

/** Removes our reference block, so pushing a main copy's description back never leaks it to the client. */
export function stripReference(description: string | null | undefined, prefix: string): string {
  const text = description ?? '';
  const sep = separator(prefix);
  const at = text.lastIndexOf(sep);
  if (at < 0) return text;
  return text.slice(0, at).replace(/\n\n$/, '');
}

/**
 * The main copy of a client event: full details, the attendee list only as reference text (putting it
 * in `attendees` would invite those people), show-as and all-day status preserved, no reminders.
 */
export function mainCopyBody(origin: GoogleEvent, prefix: string, stamp: Stamp & { kind: 'copy' }): EventBody {
  const body: EventBody = {
    summary: origin.summary ?? '',
    start: time(origin.start),
    end: time(origin.end),
    transparency: origin.transparency === 'transparent' ? 'transparent' : 'opaque',
    visibility: origin.visibility ?? 'default',
    status: 'confirmed',
    reminders: { useDefault: false },
    extendedProperties: marker(stamp),
  };
  const description = copyDescription(origin, prefix);
  if (description !== undefined) body.description = description;
  if (origin.location) body.location = origin.location;
  const recurrence = recurrenceOf(origin);
  if (recurrence) body.recurrence = recurrence;
  return body;
}

/** The fields a user's edit of a main copy may carry back to the client origin. */
export function editPatch(copy: GoogleEvent, prefix: string): EventBody {
  return {
    summary: copy.summary ?? '',
    description: stripReference(copy.description, prefix),
    location: copy.location ?? '',
    start: time(copy.start),
    end: time(copy.end),
  };
}

/** True when the origin already says what the patch would write (nothing to push). */
export function patchIsNoop(patch: EventBody, origin: GoogleEvent): boolean {
  return (
    (patch.summary ?? '') === (origin.summary ?? '') &&
    (patch.description ?? '') === (origin.description ?? '') &&
    (patch.location ?? '') === (origin.location ?? '') &&
    sameTime(patch.start, origin.start) &&
    sameTime(patch.end, origin.end)
  );
}

function sameTime(a: EventTime | undefined, b: EventTime | undefined): boolean {
  if (a?.date || b?.date) return (a?.date ?? null) === (b?.date ?? null);
  const ta = a?.dateTime ? Date.parse(a.dateTime) : NaN;
  const tb = b?.dateTime ? Date.parse(b.dateTime) : NaN;
  return ta === tb;
}

function utc(t: EventTime | undefined | null): EventTime | undefined | null {
  if (!t?.dateTime) return t;
  const ms = Date.parse(t.dateTime);
  return { ...t, dateTime: Number.isNaN(ms) ? t.dateTime : new Date(ms).toISOString() };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Hash of exactly what we write (times as UTC instants): equal hash = nothing to write. */
export function contentHash(body: EventBody): string {
  const normal = { ...body, start: utc(body.start), end: utc(body.end) };
  return createHash('sha256')
    .update(JSON.stringify(canonical(normal)))
    .digest('base64url')
    .slice(0, 32);
}

const DEFAULTS: Partial<Record<keyof EventBody, unknown>> = {
  transparency: 'opaque',
  visibility: 'default',
  status: 'confirmed',
};

/**
 * The hash of a listed event, read through the keys of the body we would write (Google adds its own
 * fields and omits defaults). An inexact projection costs one rewrite, never a loop: after our write
 * the event comes back with the etag we stored and is skipped as our echo.
 */
export function observedHash(observed: GoogleEvent, like: EventBody): string {
  const projected: Record<string, unknown> = {};
  for (const key of Object.keys(like) as Array<keyof EventBody>) {
    let value: unknown = observed[key] ?? DEFAULTS[key];
    if (key === 'extendedProperties')
      value = observed.extendedProperties?.private ? { private: observed.extendedProperties.private } : undefined;
    if (key === 'reminders')
      value = observed.reminders
        ? {
            useDefault: observed.reminders.useDefault ?? false,
            ...(observed.reminders.overrides?.length ? { overrides: observed.reminders.overrides } : {}),
          }
        : undefined;
    if (key === 'start' || key === 'end') value = time(observed[key]);
    projected[key] = value;
  }
  if (observed.status === 'cancelled') projected.status = 'cancelled';
  return contentHash(projected as EventBody);
}
