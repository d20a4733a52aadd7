import type { calendar_v3 } from '@googleapis/calendar';
import {
  EventKind,
  EventTime,
  EventWrite,
  ProviderAttendee,
  ProviderChange,
  ProviderEvent,
  ResponseStatus,
  Visibility,
} from '../providers/provider-event';

type GoogleEvent = calendar_v3.Schema$Event;
type GoogleTime = calendar_v3.Schema$EventDateTime;

function timeOf(t: GoogleTime | undefined): EventTime | undefined {
  if (!t) return undefined;
  if (t.date) return { date: t.date, ...(t.timeZone ? { timeZone: t.timeZone } : {}) };
  if (t.dateTime) return { dateTime: t.dateTime, ...(t.timeZone ? { timeZone: t.timeZone } : {}) };
  return undefined;
}

function googleTime(t: EventTime): GoogleTime {
  return t.date !== undefined
    ? { date: t.date, ...(t.timeZone ? { timeZone: t.timeZone } : {}) }
    : { dateTime: t.dateTime, ...(t.timeZone ? { timeZone: t.timeZone } : {}) };
}

function attendeeOf(a: calendar_v3.Schema$EventAttendee): ProviderAttendee {
  return {
    email: a.email ?? '',
    ...(a.displayName ? { displayName: a.displayName } : {}),
    responseStatus: (a.responseStatus ?? 'needsAction') as ResponseStatus,
    ...(a.self ? { self: true } : {}),
    ...(a.organizer ? { organizer: true } : {}),
    ...(a.optional ? { optional: true } : {}),
  };
}

/** Google says nothing about reminders when they are the calendar's defaults; `useDefault:false` with no overrides is "none". */
function remindersOn(e: GoogleEvent): boolean {
  const r = e.reminders;
  return !r || r.useDefault !== false || (r.overrides?.length ?? 0) > 0;
}

/** Google's event as the neutral model. Someone else's event is editable only when its guests may modify it. */
export function fromGoogleEvent(e: GoogleEvent): ProviderEvent {
  const start = timeOf(e.start);
  // Google marks the reader's own role with `self: true` and omits it otherwise.
  const ownedByReader = !e.organizer || e.organizer.self === true;
  return {
    id: e.id ?? '',
    status: (e.status ?? 'confirmed') as ProviderEvent['status'],
    ...(e.etag ? { etag: e.etag } : {}),
    ...(e.iCalUID ? { iCalUid: e.iCalUID } : {}),
    ...(e.summary != null ? { summary: e.summary } : {}),
    ...(e.description != null ? { description: e.description } : {}),
    ...(e.location != null ? { location: e.location } : {}),
    ...(start ? { start } : {}),
    ...(e.end ? { end: timeOf(e.end) } : {}),
    allDay: start?.date !== undefined,
    showAs: e.transparency === 'transparent' ? 'free' : 'busy',
    visibility: (e.visibility ?? 'default') as Visibility,
    kind: (e.eventType ?? 'default') as EventKind,
    ...(e.recurrence?.length ? { recurrence: e.recurrence } : {}),
    ...(e.recurringEventId
      ? { seriesId: e.recurringEventId, originalStart: timeOf(e.originalStartTime ?? undefined) }
      : {}),
    ...(e.attendees?.length ? { attendees: e.attendees.map(attendeeOf) } : {}),
    ...(e.organizer?.email ? { organizerEmail: e.organizer.email } : {}),
    canEdit: ownedByReader || e.guestsCanModify === true,
    remindersOn: remindersOn(e),
    ...(e.extendedProperties?.private ? { tags: { ...e.extendedProperties.private } } : {}),
    ...(e.updated ? { updated: e.updated } : {}),
  };
}

export function googleChange(e: GoogleEvent): ProviderChange {
  if (e.status !== 'cancelled') return { type: 'upsert', event: fromGoogleEvent(e) };
  const originalStart = timeOf(e.originalStartTime ?? undefined);
  return {
    type: 'removed',
    id: e.id ?? '',
    ...(e.recurringEventId ? { seriesId: e.recurringEventId } : {}),
    ...(originalStart ? { originalStart } : {}),
  };
}

/** The Google body for our write; a partial write sends only the fields given (a patch). */
export function toGoogleEvent(w: Partial<EventWrite>): GoogleEvent {
  const out: GoogleEvent = {};
  if (w.summary !== undefined) out.summary = w.summary;
  if (w.description !== undefined) out.description = w.description;
  if (w.location !== undefined) out.location = w.location;
  if (w.start) out.start = googleTime(w.start);
  if (w.end) out.end = googleTime(w.end);
  if (w.showAs) out.transparency = w.showAs === 'free' ? 'transparent' : 'opaque';
  if (w.visibility) out.visibility = w.visibility;
  if (w.remindersOn !== undefined)
    out.reminders = w.remindersOn ? { useDefault: true } : { useDefault: false, overrides: [] };
  if (w.recurrence) out.recurrence = w.recurrence;
  if (w.tags) out.extendedProperties = { private: { ...w.tags } };
  return out;
}
