import { GoogleEvent, PlanCalendar } from './types';
import { isWritableRole } from '../../google/access-roles';

/** Private extended-property keys on every event we write. */
export const MARKER_KEY = 'busybridge';
export const MARKER_VALUE = '1';
export const KIND_KEY = 'busybridgeKind';
export const MAPPING_KEY = 'busybridgeMapping';
export const USER_KEY = 'busybridgeUser';
/** The origin calendar's row id: disconnect cleanup finds every copy derived from a calendar with one filter. */
export const ORIGIN_KEY = 'busybridgeOrigin';

/** Invariant 3: anything carrying our marker is never an origin, whoever's install or user wrote it. */
export function isOurs(event: GoogleEvent): boolean {
  return event.extendedProperties?.private?.[MARKER_KEY] !== undefined;
}

export function isDeleted(event: GoogleEvent | null): boolean {
  return !event || event.status === 'cancelled';
}

/** Working-location and birthday entries are annotations, not appointments: ignored entirely. */
export function isIgnoredType(event: GoogleEvent): boolean {
  return event.eventType === 'workingLocation' || event.eventType === 'birthday';
}

/** The user's own attendee entry on an invitation, found by `self` or by the reading account's email. */
export function selfAttendee(
  event: GoogleEvent,
  calendar: PlanCalendar,
): NonNullable<GoogleEvent['attendees']>[number] | undefined {
  const email = calendar.accountEmail.toLowerCase();
  return event.attendees?.find((a) => a.self === true || (a.email ?? '').toLowerCase() === email);
}

export function isDeclined(event: GoogleEvent, calendar: PlanCalendar): boolean {
  return selfAttendee(event, calendar)?.responseStatus === 'declined';
}

/** An invitation: someone else organizes it and the user is on the guest list. */
export function isInvitation(event: GoogleEvent, calendar: PlanCalendar): boolean {
  return event.organizer?.self !== true && selfAttendee(event, calendar) !== undefined;
}

/** End of the event (or of its first instance) as an instant; all-day dates count as UTC midnight. */
export function endInstant(event: GoogleEvent): Date | null {
  return instant(event.end);
}

export function startInstant(event: GoogleEvent): Date | null {
  return instant(event.start);
}

function instant(t: GoogleEvent['start']): Date | null {
  const raw = t?.dateTime ?? (t?.date ? `${t.date}T00:00:00Z` : null);
  if (!raw) return null;
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function isAllDay(event: GoogleEvent): boolean {
  return !!event.start?.date && !event.start?.dateTime;
}

/**
 * Events that ended more than `lookbackDays` ago are history: not copied, not blocked. A series is
 * judged by its recurrence, not its first instance, so it stays in.
 */
export function withinLookback(event: GoogleEvent, now: Date, lookbackDays: number): boolean {
  if (event.recurrence && event.recurrence.length > 0) return true;
  const end = endInstant(event);
  if (!end) return true;
  return end.getTime() >= now.getTime() - lookbackDays * 86_400_000;
}

/** Shown as Busy: opaque (Google's default), not declined. outOfOffice/focusTime are opaque by definition. */
export function blocksTime(event: GoogleEvent, calendar: PlanCalendar): boolean {
  if (isDeleted(event) || isIgnoredType(event)) return false;
  if (event.transparency === 'transparent') return false;
  return !isDeclined(event, calendar);
}

/**
 * Edit rights: the user organizes it, or guests may modify it; either way the
 * calendar must be writable. Personal calendars are never written (invariant 6).
 */
export function canEditOrigin(event: GoogleEvent, calendar: PlanCalendar): boolean {
  if (calendar.kind === 'personal') return false;
  if (!isWritableRole(calendar.accessRole)) return false;
  if (event.locked) return false;
  // No organizer on the copy means the event was created on this calendar.
  if (!event.organizer || event.organizer.self === true) return true;
  return event.guestsCanModify === true;
}

/** Precedence of native presence for invariant 7: main, then clients, then personal; lower id first. */
export function outranks(a: PlanCalendar, b: PlanCalendar): boolean {
  const rank = { main: 0, client: 1, personal: 2 } as const;
  if (rank[a.kind] !== rank[b.kind]) return rank[a.kind] < rank[b.kind];
  return a.id < b.id;
}
