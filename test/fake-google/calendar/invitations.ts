import { Attendee, Calendar, EventResource, StoredEvent } from '../model';
import { World } from '../world';
import { clone, PRIVATE_FIELDS, sameValue } from './event-fields';
import { saveEvent } from './events-store';

/** Attendee copies live on calendars whose id is the attendee's email (their primary calendar). */
function targetCalendarIds(world: World, orgCal: Calendar, ev: EventResource): Set<string> {
  const out = new Set<string>();
  for (const a of ev.attendees ?? []) {
    const email = a.email?.toLowerCase();
    if (email && email !== orgCal.id && world.calendar(email)) out.add(email);
  }
  return out;
}

function withPrivateFields(shared: EventResource, copy: EventResource | undefined): EventResource {
  const out = clone(shared);
  const sharedProps = shared.extendedProperties?.shared;
  const privateProps = copy ? copy.extendedProperties?.private : undefined;
  const props = { ...(privateProps ? { private: privateProps } : {}), ...(sharedProps ? { shared: sharedProps } : {}) };
  if (Object.keys(props).length) out.extendedProperties = props;
  else delete out.extendedProperties;
  for (const f of PRIVATE_FIELDS) {
    if (copy && copy[f] !== undefined) (out as Record<string, unknown>)[f] = copy[f];
    else if (f === 'reminders') out.reminders = { useDefault: true };
    else if (f === 'colorId') delete out.colorId;
  }
  return out;
}

/**
 * Brings every attendee copy in line with the organizer copy: shared data copied, private data kept,
 * copies of removed attendees (or of a cancelled event) cancelled. Only real differences are saved, so
 * a no-op propagation does not bump etags or fire push.
 */
export function propagateFromOrganizer(world: World, orgCal: Calendar, eventId: string): void {
  const org = orgCal.events.get(eventId);
  if (!org || org.organizerCalendarId !== orgCal.id) return;
  const targets = targetCalendarIds(world, orgCal, org.data);
  const all = new Set([...(org.copyCalendarIds ?? []), ...targets]);
  org.copyCalendarIds = [...all];
  const isException = Boolean(org.data.recurringEventId);
  for (const calId of all) {
    const cal = world.calendar(calId);
    if (!cal) continue;
    const copy = cal.events.get(eventId);
    if (copy?.removedByAttendee) continue;
    const invited = targets.has(calId);
    if (!invited || org.data.status === 'cancelled') {
      // Cancelled exceptions must reach invitees too, or their expansion would keep the instance.
      if (!copy && !(invited && isException)) continue;
      const base = copy ? copy.data : withPrivateFields(org.data, undefined);
      const data = { ...clone(base), status: 'cancelled' };
      if (copy && sameValue(copy.data, data)) continue;
      saveEvent(world, cal, { ...(copy ?? { seq: 0, etag: '' }), data, organizerCalendarId: orgCal.id });
      continue;
    }
    const data = withPrivateFields(org.data, copy?.data);
    if (copy && sameValue(copy.data, data)) continue;
    saveEvent(world, cal, {
      seq: 0,
      etag: '',
      ...(copy ?? {}),
      data,
      organizerCalendarId: orgCal.id,
      removedByAttendee: false,
    });
  }
}

/** The only attendee -> organizer propagation Google does: the attendee's own responseStatus. */
export function recordResponse(world: World, orgCal: Calendar, org: StoredEvent, email: string, status: string): void {
  const attendees: Attendee[] = clone(org.data.attendees ?? []);
  const entry = attendees.find((a) => a.email === email);
  if (!entry || entry.responseStatus === status) return;
  entry.responseStatus = status;
  org.data = { ...org.data, attendees };
  saveEvent(world, orgCal, org);
  propagateFromOrganizer(world, orgCal, org.data.id!);
}

export function ownResponse(ev: EventResource | undefined, email: string): string | undefined {
  return ev?.attendees?.find((a) => a.email?.toLowerCase() === email)?.responseStatus ?? undefined;
}

/** Attendee list with the given attendee's response blanked, to tell a pure RSVP from a shared edit. */
export function attendeesIgnoringOwnResponse(ev: EventResource, email: string): unknown {
  return (ev.attendees ?? []).map((a) => (a.email === email ? { ...a, responseStatus: undefined } : a));
}
