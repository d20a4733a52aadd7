import { Errors } from '../errors';
import { newEventId } from '../ids';
import { Account, Calendar, EventResource, Role, StoredEvent } from '../model';
import { World } from '../world';
import { requireWriter, resolveCalendar } from './access';
import {
  clone,
  mergePatch,
  ORGANIZER_ONLY_FIELDS,
  pickWritable,
  sameValue,
  SHARED_FIELDS,
  validateClientId,
  withDefaults,
} from './event-fields';
import { validateTimes } from './event-times';
import { findEvent, isoNow, ReadKind, renderEvent, saveEvent, synthesizeInstance } from './events-store';
import { attendeesIgnoringOwnResponse, ownResponse, propagateFromOrganizer, recordResponse } from './invitations';
import { parseInstanceId, validateRecurrence } from './recurrence';

export interface WriteOptions {
  ifMatch?: string;
  /** API writes pass through the per-calendar rate limiter; control-API "person" actions do not. */
  beforeWrite?: (cal: Calendar) => void;
}

type Mutation = (current: EventResource) => EventResource;

/** Event reads and writes shared by the HTTP API and the control API's "act as a person". */
export class EventService {
  constructor(
    private readonly world: World,
    private readonly publicUrl: () => string,
  ) {}

  render(stored: StoredEvent, cal: Calendar, role: Role, read: ReadKind = 'get'): EventResource {
    return renderEvent(stored, cal, role, this.publicUrl(), read);
  }

  get(account: Account, calendarId: string, eventId: string): EventResource {
    const { cal, role } = resolveCalendar(this.world, account, calendarId);
    const stored = findEvent(cal, eventId);
    if (!stored) throw Errors.notFound();
    return this.render(stored, cal, role);
  }

  insert(account: Account, calendarId: string, body: Record<string, unknown>, opts: WriteOptions = {}): EventResource {
    const { cal, role } = resolveCalendar(this.world, account, calendarId);
    requireWriter(role);
    opts.beforeWrite?.(cal);
    const id = body.id !== undefined ? validateClientId(body.id) : newEventId();
    // A tombstone still owns its id (fact sheet §2.1): 409, and the client must update it instead.
    if (cal.events.has(id)) throw Errors.duplicate();
    const data = this.validated(cal, withDefaults(pickWritable(body)));
    const now = isoNow(this.world);
    Object.assign(data, {
      id,
      iCalUID: typeof body.iCalUID === 'string' ? body.iCalUID : `${id}@google.com`,
      created: now,
      organizer: { email: cal.id, displayName: cal.summary },
      creator: { email: account.email, displayName: account.name },
    });
    if (data.attendees) {
      for (const a of data.attendees)
        if (a.email === cal.id && a.responseStatus === 'needsAction') a.responseStatus = 'accepted';
    }
    const stored = saveEvent(this.world, cal, { data, seq: 0, etag: '', organizerCalendarId: cal.id });
    propagateFromOrganizer(this.world, cal, id);
    return this.render(stored, cal, role);
  }

  update(
    account: Account,
    calendarId: string,
    eventId: string,
    body: Record<string, unknown>,
    opts: WriteOptions = {},
  ): EventResource {
    return this.write(
      account,
      calendarId,
      eventId,
      opts,
      (current) => {
        const next = withDefaults(pickWritable(body));
        // A PUT that does not say `status` leaves a deleted event deleted: only an explicit confirmed revives it.
        if (current.status === 'cancelled' && body.status === undefined) next.status = 'cancelled';
        return this.keepServerFields(current, next);
      },
      body.attendeesOmitted === true,
    );
  }

  patch(
    account: Account,
    calendarId: string,
    eventId: string,
    body: Record<string, unknown>,
    opts: WriteOptions = {},
  ): EventResource {
    return this.write(
      account,
      calendarId,
      eventId,
      opts,
      (current) => {
        const next = withDefaults(mergePatch(current, body));
        return this.keepServerFields(current, next);
      },
      body.attendeesOmitted === true,
    );
  }

  delete(account: Account, calendarId: string, eventId: string, opts: WriteOptions = {}): void {
    const { cal, role } = resolveCalendar(this.world, account, calendarId);
    requireWriter(role);
    const stored = findEvent(cal, eventId);
    if (!stored) throw Errors.notFound();
    if (stored.data.status === 'cancelled') throw Errors.deleted();
    this.checkIfMatch(stored, opts.ifMatch);
    opts.beforeWrite?.(cal);
    if (stored.organizerCalendarId !== cal.id) return this.deleteAttendeeCopy(cal, stored);
    this.cancel(cal, stored);
  }

  /** RSVP as the attendee whose primary calendar holds the copy. */
  respond(account: Account, eventId: string, responseStatus: string, calendarId = 'primary'): EventResource {
    return this.patch(account, calendarId, eventId, {
      attendeesOmitted: true,
      attendees: [{ email: account.email, responseStatus }],
    });
  }

  private write(
    account: Account,
    calendarId: string,
    eventId: string,
    opts: WriteOptions,
    mutate: Mutation,
    attendeesOmitted: boolean,
  ): EventResource {
    const { cal, role } = resolveCalendar(this.world, account, calendarId);
    requireWriter(role);
    const stored = findEvent(cal, eventId);
    if (!stored) throw Errors.notFound();
    this.checkIfMatch(stored, opts.ifMatch);
    opts.beforeWrite?.(cal);
    const next = this.validated(cal, mutate(clone(stored.data)));
    if (stored.data.recurringEventId && next.recurrence?.length) throw Errors.invalid('Invalid recurrence rule.');
    const result =
      stored.organizerCalendarId === cal.id
        ? this.writeAsOrganizer(cal, stored, next)
        : this.writeAsAttendee(cal, stored, next, attendeesOmitted);
    return this.render(result, cal, role);
  }

  private writeAsOrganizer(cal: Calendar, stored: StoredEvent, next: EventResource): StoredEvent {
    if (next.status === 'cancelled' && stored.data.status !== 'cancelled') {
      stored.data = next;
      this.cancel(cal, stored);
      return cal.events.get(next.id!)!;
    }
    // Reminder-only edits do not move `updated` (fact sheet §2.9).
    const touchUpdated = !sameValue({ ...stored.data, reminders: null }, { ...next, reminders: null });
    const saved = saveEvent(this.world, cal, { ...stored, data: next, removedByAttendee: false }, { touchUpdated });
    propagateFromOrganizer(this.world, cal, next.id!);
    return saved;
  }

  /**
   * A guest may change copy-local fields and their own responseStatus. Shared fields need guestsCanModify
   * (then the edit is applied to the organizer copy and propagates), else 403 forbiddenForNonOrganizer.
   */
  private writeAsAttendee(cal: Calendar, stored: StoredEvent, next: EventResource, omitted: boolean): StoredEvent {
    const me = cal.id;
    const orgCal = this.world.calendar(stored.organizerCalendarId);
    const current = stored.data;
    // Only `attendeesOmitted: true` says "the others are left out" (its documented purpose, the RSVP); without
    // it a list holding just the caller's own entry removes every other guest, a shared edit.
    const attendeesOmitted = omitted && next.attendees?.length === 1 && next.attendees[0].email === me;
    const changedShared: string[] = SHARED_FIELDS.filter((f) => !sameValue(current[f], next[f]));
    const sharedProps = (e: EventResource) => e.extendedProperties?.shared ?? {};
    if (!sameValue(sharedProps(current), sharedProps(next))) changedShared.push('extendedProperties');
    if (
      !attendeesOmitted &&
      !sameValue(attendeesIgnoringOwnResponse(current, me), attendeesIgnoringOwnResponse(next, me))
    ) {
      changedShared.push('attendees');
    }
    if (changedShared.length && orgCal) {
      const org = this.organizerCopy(orgCal, current.id!);
      const touchesPermissions = changedShared.some((f) => (ORGANIZER_ONLY_FIELDS as readonly string[]).includes(f));
      if (!org?.data.guestsCanModify || touchesPermissions) throw Errors.forbiddenForNonOrganizer();
      const edited = clone(org.data);
      for (const f of changedShared)
        (edited as Record<string, unknown>)[f] =
          f === 'extendedProperties'
            ? { ...edited.extendedProperties, shared: next.extendedProperties?.shared }
            : clone(next[f as keyof EventResource]);
      saveEvent(this.world, orgCal, { ...org, data: edited });
      propagateFromOrganizer(this.world, orgCal, org.data.id!);
    } else if (changedShared.length) throw Errors.forbiddenForNonOrganizer();

    const latest = cal.events.get(current.id!) ?? stored;
    const local = clone(latest.data);
    local.transparency = next.transparency;
    local.colorId = next.colorId;
    local.reminders = next.reminders;
    const priv = next.extendedProperties?.private;
    local.extendedProperties = {
      ...(priv ? { private: priv } : {}),
      ...(local.extendedProperties?.shared ? { shared: local.extendedProperties.shared } : {}),
    };
    if (!Object.keys(local.extendedProperties).length) delete local.extendedProperties;
    const response = ownResponse(next, me);
    if (response && local.attendees)
      local.attendees = local.attendees.map((a) => (a.email === me ? { ...a, responseStatus: response } : a));
    const saved =
      sameValue(local, latest.data) && cal.events.has(current.id!)
        ? latest
        : saveEvent(this.world, cal, { ...latest, data: local });
    if (response && response !== ownResponse(current, me) && orgCal) {
      const org = this.organizerCopy(orgCal, current.id!);
      if (org) recordResponse(this.world, orgCal, org, me, response);
    }
    return cal.events.get(current.id!) ?? saved;
  }

  private deleteAttendeeCopy(cal: Calendar, stored: StoredEvent): void {
    saveEvent(this.world, cal, { ...stored, data: { ...stored.data, status: 'cancelled' }, removedByAttendee: true });
    const orgCal = this.world.calendar(stored.organizerCalendarId);
    const org = orgCal && this.organizerCopy(orgCal, stored.data.id!);
    if (orgCal && org && this.world.options.deleteOfAttendeeCopyDeclines)
      recordResponse(this.world, orgCal, org, cal.id, 'declined');
  }

  /** Tombstone keeps its details so it can be revived; a series takes its exceptions with it. */
  private cancel(cal: Calendar, stored: StoredEvent): void {
    const id = stored.data.id!;
    saveEvent(this.world, cal, { ...stored, data: { ...stored.data, status: 'cancelled' } });
    propagateFromOrganizer(this.world, cal, id);
    if (stored.data.recurrence) {
      for (const ex of [...cal.events.values()]) {
        if (ex.data.recurringEventId === id && ex.data.status !== 'cancelled') {
          saveEvent(this.world, cal, { ...ex, data: { ...ex.data, status: 'cancelled' } });
          propagateFromOrganizer(this.world, cal, ex.data.id!);
        }
      }
    }
  }

  /** The organizer's record for an id, materializing an instance exception if only the series exists. */
  private organizerCopy(orgCal: Calendar, id: string): StoredEvent | undefined {
    const existing = orgCal.events.get(id);
    if (existing) return existing;
    const synth = parseInstanceId(id) && synthesizeInstance(orgCal, id);
    if (!synth) return undefined;
    const saved = saveEvent(this.world, orgCal, synth);
    propagateFromOrganizer(this.world, orgCal, id);
    return saved;
  }

  private keepServerFields(current: EventResource, next: EventResource): EventResource {
    for (const k of [
      'id',
      'iCalUID',
      'created',
      'organizer',
      'creator',
      'recurringEventId',
      'originalStartTime',
      'updated',
    ] as const) {
      if (current[k] !== undefined) (next as Record<string, unknown>)[k] = current[k];
    }
    if (current.eventType && next.eventType !== current.eventType)
      throw Errors.invalid('The event type cannot be changed.');
    return next;
  }

  private validated(cal: Calendar, ev: EventResource): EventResource {
    validateTimes(ev, cal.timeZone);
    validateRecurrence(ev.recurrence, ev);
    if (ev.recurrence && !ev.recurrence.length) delete ev.recurrence;
    return ev;
  }

  private checkIfMatch(stored: StoredEvent, ifMatch: string | undefined): void {
    if (ifMatch && ifMatch !== '*' && ifMatch.replace(/^W\//, '') !== stored.etag) throw Errors.conditionNotMet();
  }
}
