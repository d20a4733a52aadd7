import { DateTime } from 'luxon';
import { Calendar, EventResource, Role, StoredEvent } from '../model';
import { World } from '../world';
import { clone } from './event-fields';
import { findOccurrence, parseInstanceId } from './recurrence';

const ETAG_BASE = 3_446_430_816_308_000;

export function isoNow(world: World): string {
  return DateTime.fromMillis(world.clock.now(), { zone: 'UTC' }).toISO()!;
}

/** Every change goes through here: new cursor, new etag, push fan-out. */
export function saveEvent(
  world: World,
  cal: Calendar,
  stored: StoredEvent,
  opts: { touchUpdated?: boolean } = {},
): StoredEvent {
  stored.seq = world.nextSeq();
  stored.etag = `"${ETAG_BASE + stored.seq * 1000}"`;
  if (opts.touchUpdated !== false || !stored.data.updated) stored.data.updated = isoNow(world);
  if (stored.data.status === 'cancelled') stored.cancelledAtMs = stored.cancelledAtMs ?? world.clock.now();
  else stored.cancelledAtMs = undefined;
  cal.events.set(stored.data.id!, stored);
  world.emitChange(cal.id);
  return stored;
}

/** Drops tombstones older than the TTL; sync tokens from before the newest purged one must then 410. */
export function purgeTombstones(world: World, cal: Calendar): void {
  const ttl = world.options.tombstoneTtlSec;
  if (ttl === null) return;
  const cutoff = world.clock.now() - ttl * 1000;
  for (const [id, ev] of cal.events) {
    if (ev.data.status === 'cancelled' && ev.cancelledAtMs !== undefined && ev.cancelledAtMs <= cutoff) {
      cal.events.delete(id);
      cal.purgedSeq = Math.max(cal.purgedSeq, ev.seq);
    }
  }
}

/** An instance that has no exception record: derived from its series on every read. */
export function synthesizeInstance(cal: Calendar, instanceId: string): StoredEvent | undefined {
  const parsed = parseInstanceId(instanceId);
  const parent = parsed && cal.events.get(parsed.seriesId);
  if (!parsed || !parent?.data.recurrence) return undefined;
  const occ = findOccurrence(parent.data, cal.timeZone, parsed.suffix);
  if (!occ) return undefined;
  return instanceFromParent(parent, occ.suffix, occ);
}

export function instanceFromParent(
  parent: StoredEvent,
  suffix: string,
  occ: {
    start: EventResource['start'];
    end: EventResource['end'];
    originalStartTime: EventResource['originalStartTime'];
  },
): StoredEvent {
  const data = clone(parent.data);
  delete data.recurrence;
  data.id = `${parent.data.id}_${suffix}`;
  data.recurringEventId = parent.data.id;
  data.start = clone(occ.start);
  data.end = clone(occ.end);
  data.originalStartTime = clone(occ.originalStartTime);
  return { data, seq: parent.seq, etag: parent.etag, organizerCalendarId: parent.organizerCalendarId };
}

/** Stored event or an instance synthesized from its series. */
export function findEvent(cal: Calendar, id: string): StoredEvent | undefined {
  return cal.events.get(id) ?? synthesizeInstance(cal, id);
}

/**
 * How a cancelled event reads (fact sheet §2.2): listings (incremental, showDeleted, instances) guarantee
 * only `id` (plus `recurringEventId` and `originalStartTime` for a cancelled occurrence), so they give no
 * more. `events.get` keeps the details where Google keeps them: the organizer's copy (it can be undeleted)
 * and an invitation the attendee removed; any other cancelled copy reads as the bare tombstone too.
 */
export type ReadKind = 'list' | 'get';

export function keepsDetailsWhenCancelled(stored: StoredEvent, cal: Calendar): boolean {
  return stored.organizerCalendarId === cal.id || stored.removedByAttendee === true;
}

function tombstone(stored: StoredEvent): EventResource {
  const d = stored.data;
  const out: EventResource = {
    kind: 'calendar#event',
    etag: stored.etag,
    id: d.id,
    status: 'cancelled',
    updated: d.updated,
  };
  if (d.recurringEventId)
    Object.assign(out, { recurringEventId: d.recurringEventId, originalStartTime: clone(d.originalStartTime) });
  return out;
}

/** The per-viewer representation: self flags relative to this copy's calendar, details hidden by role. */
export function renderEvent(
  stored: StoredEvent,
  cal: Calendar,
  role: Role,
  publicUrl: string,
  read: ReadKind = 'get',
): EventResource {
  const d = stored.data;
  if (d.status === 'cancelled' && (read === 'list' || !keepsDetailsWhenCancelled(stored, cal)))
    return tombstone(stored);
  const base: EventResource = { kind: 'calendar#event', etag: stored.etag, id: d.id, status: d.status };
  if (role === 'freeBusyReader') {
    return {
      ...base,
      start: d.start,
      end: d.end,
      recurringEventId: d.recurringEventId,
      originalStartTime: d.originalStartTime,
      transparency: d.transparency,
    };
  }
  const eid = Buffer.from(`${d.id} ${cal.id}`).toString('base64url');
  const out: EventResource = { ...base, htmlLink: `${publicUrl}/calendar/event?eid=${eid}`, ...clone(d) };
  out.kind = 'calendar#event';
  out.etag = stored.etag;
  const organizerEmail = d.organizer?.email;
  if (d.organizer) out.organizer = { ...d.organizer, ...(organizerEmail === cal.id ? { self: true } : {}) };
  if (d.creator) out.creator = { ...d.creator, ...(d.creator.email === cal.id ? { self: true } : {}) };
  if (d.attendees) {
    out.attendees = d.attendees.map((a) => ({
      ...a,
      ...(a.email === organizerEmail ? { organizer: true } : {}),
      ...(a.email === cal.id ? { self: true } : {}),
    }));
  }
  const isPrivate = d.visibility === 'private' || d.visibility === 'confidential';
  if (role === 'reader' && isPrivate) {
    // Readers see that something is there but no details (fact sheet §2.5; exact shape undocumented).
    for (const k of [
      'summary',
      'description',
      'location',
      'attendees',
      'extendedProperties',
      'conferenceData',
      'attachments',
    ] as const)
      delete out[k];
  }
  return out;
}
