import { DateTime } from 'luxon';
import {
  EventTime,
  EventWrite,
  ProviderAttendee,
  ProviderEvent,
  ResponseStatus,
  ShowAs,
  Visibility,
} from '../providers/provider-event';
import { InexpressibleRecurrenceError } from './graph-errors';
import { patternToRrule, PatternedRecurrence, rruleToPattern } from './graph-recurrence';
import { ianaFromWindows, windowsFromIana } from './windows-zones';

/**
 * Our marker: one single-value extended property in our own GUID namespace, holding our tags as a query
 * string. Graph returns it only when asked by $expand (never in delta), so our records come first.
 */
export const MARKER_PROPERTY_ID = 'String {4b1f6e2a-9c3d-4e58-a7b0-b05b1d9e2c71} Name BusyBridgeTags';

export interface GraphDateTime {
  dateTime: string;
  timeZone: string;
}

export interface GraphEvent {
  id: string;
  '@odata.etag'?: string;
  '@removed'?: { reason: string };
  type?: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  iCalUId?: string;
  subject?: string | null;
  body?: { contentType: 'text' | 'html'; content: string };
  location?: { displayName?: string };
  start?: GraphDateTime;
  end?: GraphDateTime;
  originalStartTimeZone?: string;
  originalStart?: string;
  seriesMasterId?: string | null;
  isAllDay?: boolean;
  isCancelled?: boolean;
  isOrganizer?: boolean;
  isReminderOn?: boolean;
  showAs?: ShowAs;
  sensitivity?: 'normal' | 'personal' | 'private' | 'confidential';
  recurrence?: PatternedRecurrence | null;
  attendees?: Array<{
    emailAddress?: { address?: string; name?: string };
    status?: { response?: string };
    type?: string;
  }>;
  organizer?: { emailAddress?: { address?: string } };
  singleValueExtendedProperties?: Array<{ id: string; value: string }>;
  lastModifiedDateTime?: string;
}

const RESPONSES: Record<string, ResponseStatus> = {
  accepted: 'accepted',
  organizer: 'accepted',
  tentativelyAccepted: 'tentative',
  declined: 'declined',
};
const VISIBILITY: Record<string, Visibility> = {
  normal: 'default',
  personal: 'private',
  private: 'private',
  confidential: 'confidential',
};
const SENSITIVITY: Record<Visibility, NonNullable<GraphEvent['sensitivity']>> = {
  default: 'normal',
  public: 'normal',
  private: 'private',
  confidential: 'confidential',
};

/** Graph's wall time in its zone -> an instant with offset (ISO), in the event's own zone when we know it. */
function instant(t: GraphDateTime, zone: string | undefined): EventTime {
  const read = DateTime.fromISO(t.dateTime, { zone: ianaFromWindows(t.timeZone) ?? 'UTC' });
  const shown = zone ? read.setZone(zone) : read.toUTC();
  return { dateTime: shown.toISO({ suppressMilliseconds: true })!, ...(zone ? { timeZone: zone } : {}) };
}

function timeOf(t: GraphDateTime | undefined, allDay: boolean, zone: string | undefined): EventTime | undefined {
  if (!t) return undefined;
  // All-day events are whole days, floating: the date is read as written.
  return allDay ? { date: t.dateTime.slice(0, 10) } : instant(t, zone);
}

function attendeesOf(g: GraphEvent, mailbox: string): ProviderAttendee[] | undefined {
  if (!g.attendees?.length) return undefined;
  return g.attendees.map((a) => {
    const email = a.emailAddress?.address ?? '';
    return {
      email,
      ...(a.emailAddress?.name ? { displayName: a.emailAddress.name } : {}),
      responseStatus: RESPONSES[a.status?.response ?? ''] ?? 'needsAction',
      ...(email.toLowerCase() === mailbox.toLowerCase() ? { self: true } : {}),
      ...(a.type === 'optional' ? { optional: true } : {}),
    };
  });
}

export function decodeTags(g: GraphEvent): Record<string, string> | undefined {
  const raw = g.singleValueExtendedProperties?.find(
    (p) => p.id.toLowerCase() === MARKER_PROPERTY_ID.toLowerCase(),
  )?.value;
  return raw === undefined ? undefined : Object.fromEntries(new URLSearchParams(raw));
}

/** A Graph event as the neutral model; `mailbox` is the reading account, to mark its own attendee entry. */
export function fromGraphEvent(g: GraphEvent, mailbox: string): ProviderEvent {
  const allDay = g.isAllDay === true;
  const zone = ianaFromWindows(g.originalStartTimeZone);
  const start = timeOf(g.start, allDay, zone);
  const attendees = attendeesOf(g, mailbox);
  const tags = decodeTags(g);
  return {
    id: g.id,
    status: g.isCancelled ? 'cancelled' : 'confirmed',
    ...(g['@odata.etag'] ? { etag: g['@odata.etag'] } : {}),
    ...(g.iCalUId ? { iCalUid: g.iCalUId } : {}),
    ...(g.subject != null ? { summary: g.subject } : {}),
    ...(g.body?.content ? { description: g.body.content } : {}),
    ...(g.location?.displayName ? { location: g.location.displayName } : {}),
    ...(start ? { start, end: timeOf(g.end, allDay, zone) } : {}),
    allDay,
    showAs: g.showAs ?? 'busy',
    visibility: VISIBILITY[g.sensitivity ?? 'normal'] ?? 'default',
    kind: 'default',
    ...(g.type === 'seriesMaster' && g.recurrence ? { recurrence: [patternToRrule(g.recurrence)] } : {}),
    ...(g.seriesMasterId ? { seriesId: g.seriesMasterId } : {}),
    ...(g.seriesMasterId && g.originalStart
      ? {
          originalStart: allDay
            ? { date: g.originalStart.slice(0, 10) }
            : instant({ dateTime: g.originalStart.replace(/Z$/, ''), timeZone: 'UTC' }, zone),
        }
      : {}),
    ...(attendees ? { attendees } : {}),
    ...(g.organizer?.emailAddress?.address ? { organizerEmail: g.organizer.emailAddress.address } : {}),
    canEdit: g.isOrganizer !== false,
    remindersOn: g.isReminderOn !== false,
    ...(tags ? { tags } : {}),
    ...(g.lastModifiedDateTime ? { updated: g.lastModifiedDateTime } : {}),
  };
}

/** Our time -> Graph's wall time in a zone Graph knows. All-day: midnight to midnight, the only form Graph takes. */
function graphTime(t: EventTime): GraphDateTime {
  const zone = t.timeZone && ianaFromWindows(t.timeZone) ? t.timeZone : 'UTC';
  if (t.date !== undefined) return { dateTime: `${t.date}T00:00:00`, timeZone: windowsFromIana(zone) };
  const local = DateTime.fromISO(t.dateTime, { setZone: true }).setZone(zone);
  return { dateTime: local.toFormat("yyyy-MM-dd'T'HH:mm:ss"), timeZone: windowsFromIana(zone) };
}

/**
 * Our write as a Graph body (only the fields given, for PATCH). A recurrence Graph cannot express is an error
 * here; the caller decides to write occurrences instead. Attendees are never sent: Graph would mail them.
 */
export function toGraphEvent(w: Partial<EventWrite>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (w.summary !== undefined) out.subject = w.summary;
  if (w.description !== undefined) out.body = { contentType: 'text', content: w.description };
  if (w.location !== undefined) out.location = { displayName: w.location };
  if (w.start) Object.assign(out, { start: graphTime(w.start), isAllDay: w.start.date !== undefined });
  if (w.end) out.end = graphTime(w.end);
  if (w.showAs) out.showAs = w.showAs;
  if (w.visibility) out.sensitivity = SENSITIVITY[w.visibility];
  if (w.remindersOn !== undefined) out.isReminderOn = w.remindersOn;
  if (w.recurrence && w.start) out.recurrence = recurrenceFor(w.recurrence, w.start);
  if (w.tags)
    out.singleValueExtendedProperties = [
      { id: MARKER_PROPERTY_ID, value: new URLSearchParams(Object.entries(w.tags).sort()).toString() },
    ];
  return out;
}

function recurrenceFor(lines: string[], start: EventTime): PatternedRecurrence {
  const g = graphTime(start);
  const r = rruleToPattern(lines, g.dateTime.slice(0, 10), g.timeZone);
  if (!r) throw new InexpressibleRecurrenceError(`Graph has no pattern for ${lines.join(' ')}`);
  return r;
}
