import { Graph } from '../errors';
import { changeKeyFor, newImmutableId, newItemId } from '../ids';
import { Calendar, EventFields, PatternedRecurrence, StoredEvent } from '../model';
import { World } from '../world';
import { Caller, requireEdit } from './access';
import { readEventInput, EventInput } from './event-input';
import { resolveTimes, Times } from './event-times';
import { attendeeAddresses, deliverInvitations, propagateToCopies, recordMail } from './invitations';
import { validateRecurrence } from './recurrence';

const DEFAULT_FIELDS: EventFields = {
  subject: '',
  body: { contentType: 'html', content: '' },
  location: { displayName: '' },
  categories: [],
  showAs: 'busy',
  sensitivity: 'normal',
  importance: 'normal',
  isReminderOn: true,
  reminderMinutesBeforeStart: 15,
  isAllDay: false,
  isCancelled: false,
  hideAttendees: false,
  responseRequested: true,
};
/** What an attendee may change on their own copy of a meeting. */
const ATTENDEE_EDITABLE = new Set([
  'categories',
  'showAs',
  'sensitivity',
  'isReminderOn',
  'reminderMinutesBeforeStart',
  'importance',
]);
const NEVER = '0001-01-01T00:00:00Z';

interface Plan {
  fields: EventFields;
  times?: Times;
  recurrence?: PatternedRecurrence | null;
}

export class EventService {
  constructor(private readonly world: World) {}

  /** POST …/events. A repeated transactionId in the same mailbox answers the first event (EVENT). */
  create(c: Caller, cal: Calendar, body: unknown): StoredEvent {
    requireEdit(cal, c);
    const input = readEventInput(body);
    if (input.transactionId !== undefined) {
      const first = [...this.world.events.values()].find(
        (e) =>
          e.transactionId === input.transactionId && this.world.calendars.get(e.calendarId)?.ownerId === cal.ownerId,
      );
      if (first) return first;
    }
    const fields: EventFields = { ...DEFAULT_FIELDS, ...input.fields };
    const t = resolveTimes(input.start, input.end, fields.isAllDay);
    const owner = this.world.users.get(cal.ownerId)!;
    const now = this.world.clock.now();
    const ev: StoredEvent = {
      id: newItemId(),
      immutableId: newImmutableId(),
      calendarId: cal.id,
      type: 'singleInstance',
      iCalUId: `040000008200E00074C5B7101A82E00800000000${newItemId()
        .slice(10, 42)
        .replace(/[^A-Za-z0-9]/g, '0')
        .toUpperCase()}`,
      changeKey: changeKeyFor(0),
      seq: 0,
      createdMs: now,
      modifiedMs: now,
      startMs: t.startMs,
      endMs: t.endMs,
      zone: t.zone,
      originalZoneName: t.zoneName,
      fields,
      transactionId: input.transactionId,
      extendedProperties: new Map((input.extendedProperties ?? []).map((p) => [p.id, p.value])),
      attendees: input.attendees ?? [],
      organizer: { name: owner.displayName, address: this.world.address(owner) },
      isOrganizer: true,
      responseStatus: { response: input.attendees?.length ? 'organizer' : 'none', time: NEVER },
    };
    if (input.recurrence !== undefined && input.recurrence !== null) {
      ev.recurrence = validateRecurrence(input.recurrence, t.startLocal.toISODate()!);
      ev.type = 'seriesMaster';
      ev.cancelledOccurrences = new Set();
    }
    this.world.touch(ev);
    this.world.events.set(ev.id, ev);
    this.world.emitChange(ev, 'created');
    deliverInvitations(this.world, ev, attendeeAddresses(ev));
    return ev;
  }

  /** PATCH: only the sent properties change; an occurrence becomes an exception. */
  update(c: Caller, ev: StoredEvent, cal: Calendar, body: unknown, ifMatch?: string): StoredEvent {
    requireEdit(cal, c);
    this.checkIfMatch(ev, ifMatch);
    const input = readEventInput(body);
    if (input.transactionId !== undefined && input.transactionId !== ev.transactionId)
      throw Graph.invalidRequest('The transactionId of an event cannot be changed.');
    if (!ev.isOrganizer) this.checkAttendeeEdit(input);
    if (
      input.recurrence !== undefined &&
      input.recurrence !== null &&
      (ev.type === 'occurrence' || ev.type === 'exception')
    ) {
      throw Graph.invalidRequest('An occurrence or exception of a series cannot have its own recurrence.');
    }
    const plan = this.plan(ev, input);
    const target = ev.type === 'occurrence' ? this.materialize(ev) : ev;
    const before = { start: target.startMs, end: target.endMs, attendees: attendeeAddresses(target) };
    this.apply(target, input, plan);
    this.world.touch(target);
    this.world.emitChange(target, 'updated');
    this.notifyAttendees(target, input, before);
    return target;
  }

  delete(c: Caller, ev: StoredEvent, cal: Calendar, ifMatch?: string): void {
    requireEdit(cal, c);
    this.checkIfMatch(ev, ifMatch);
    this.remove(ev);
    if (ev.isOrganizer && ev.attendees.length) {
      recordMail(this.world, 'cancellation', ev, attendeeAddresses(ev));
      const series = ev.seriesMasterId ? this.world.events.get(ev.seriesMasterId) : undefined;
      propagateToCopies(this.world, series ?? ev, (copy) => {
        if (series) copy.cancelledOccurrences?.add(ev.originalStartMs!);
        else copy.fields = { ...copy.fields, isCancelled: true, subject: `Canceled: ${copy.fields.subject ?? ''}` };
      });
    }
  }

  /** POST …/decline: the organizer learns it (unless sendResponse is false) and the item leaves the calendar. */
  decline(c: Caller, ev: StoredEvent, cal: Calendar, body: unknown): void {
    requireEdit(cal, c);
    const b = (body ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(b))
      if (!['comment', 'sendResponse', 'proposedNewTime'].includes(k))
        throw Graph.requestBodyRead(`The property '${k}' does not exist on this action.`);
    if (ev.isOrganizer)
      throw Graph.invalidRequest("Your request can't be completed. You can't respond to a meeting you organized.");
    const organizerEvent = ev.organizerEventId ? this.world.events.get(ev.organizerEventId) : undefined;
    const me = this.world.address(c.mailbox);
    if (organizerEvent) {
      for (const a of organizerEvent.attendees)
        if (a.emailAddress.address === me)
          a.status = { response: 'declined', time: new Date(this.world.clock.now()).toISOString() };
      this.world.touch(organizerEvent);
      this.world.emitChange(organizerEvent, 'updated');
    }
    if (b.sendResponse !== false)
      this.world.mails.push({
        time: new Date(this.world.clock.now()).toISOString(),
        kind: 'response',
        from: me,
        to: [ev.organizer.address],
        subject: `Declined: ${ev.fields.subject ?? ''}`,
        eventId: ev.id,
      });
    this.remove(ev);
  }

  /** Deletes an item, or cancels one occurrence of a series; the delta sees a tombstone. */
  remove(ev: StoredEvent): void {
    if (ev.type === 'occurrence' || ev.type === 'exception') {
      const master = this.world.events.get(ev.seriesMasterId!);
      master?.cancelledOccurrences?.add(ev.originalStartMs!);
      this.world.events.delete(ev.id);
      this.world.bury(ev);
      if (master) this.world.emitChange(ev, 'deleted');
      return;
    }
    for (const e of [...this.world.events.values()]) if (e.seriesMasterId === ev.id) this.world.events.delete(e.id);
    this.world.events.delete(ev.id);
    this.world.bury(ev);
    this.world.emitChange(ev, 'deleted');
  }

  private checkIfMatch(ev: StoredEvent, ifMatch?: string): void {
    if (ifMatch && ifMatch !== '*' && ifMatch !== `W/"${ev.changeKey}"` && ifMatch !== ev.changeKey)
      throw Graph.conflict();
  }

  private checkAttendeeEdit(input: EventInput): void {
    const touched = [
      ...Object.keys(input.fields),
      ...(['start', 'end', 'attendees', 'recurrence'] as const).filter((k) => input[k] !== undefined),
    ];
    const bad = touched.find((k) => !ATTENDEE_EDITABLE.has(k));
    if (bad) throw Graph.accessDenied();
  }

  private materialize(occ: StoredEvent): StoredEvent {
    const exception: StoredEvent = {
      ...occ,
      type: 'exception',
      fields: { ...occ.fields },
      extendedProperties: new Map(occ.extendedProperties),
      attendees: occ.attendees.map((a) => ({ ...a })),
    };
    this.world.events.set(exception.id, exception);
    return exception;
  }

  /** Everything a PATCH would change, validated before anything is touched (bad input changes nothing). */
  private plan(ev: StoredEvent, input: EventInput): Plan {
    const fields = { ...ev.fields, ...input.fields };
    const timed = input.start !== undefined || input.end !== undefined || input.fields.isAllDay !== undefined;
    const times = timed ? resolveTimes(input.start, input.end, fields.isAllDay, ev) : undefined;
    const startLocal = times?.startLocal ?? resolveTimes(undefined, undefined, false, ev).startLocal;
    const recurrence =
      input.recurrence === undefined || input.recurrence === null
        ? input.recurrence
        : validateRecurrence(input.recurrence, startLocal.toISODate()!);
    return { fields, times, recurrence };
  }

  private apply(ev: StoredEvent, input: EventInput, plan: Plan): void {
    const t = plan.times;
    if (t) {
      const moved = t.startMs !== ev.startMs || t.endMs !== ev.endMs;
      Object.assign(ev, { startMs: t.startMs, endMs: t.endMs, zone: t.zone, originalZoneName: t.zoneName });
      if (moved && ev.type === 'seriesMaster') this.dropExceptions(ev);
    }
    ev.fields = plan.fields;
    if (input.attendees) ev.attendees = input.attendees;
    for (const p of input.extendedProperties ?? []) ev.extendedProperties.set(p.id, p.value);
    if (input.transactionId !== undefined) ev.transactionId = input.transactionId;
    if (plan.recurrence === null && ev.type === 'seriesMaster') {
      this.dropExceptions(ev);
      Object.assign(ev, { type: 'singleInstance', recurrence: undefined, cancelledOccurrences: undefined });
    } else if (plan.recurrence) {
      if (ev.type === 'seriesMaster') this.dropExceptions(ev);
      Object.assign(ev, { type: 'seriesMaster', recurrence: plan.recurrence, cancelledOccurrences: new Set<number>() });
    }
  }

  /** A new pattern or time for the series discards its exceptions and cancellations (as Outlook does). */
  private dropExceptions(master: StoredEvent): void {
    for (const e of [...this.world.events.values()]) if (e.seriesMasterId === master.id) this.world.events.delete(e.id);
    master.cancelledOccurrences = new Set();
  }

  private notifyAttendees(
    ev: StoredEvent,
    input: EventInput,
    before: { start: number; end: number; attendees: string[] },
  ): void {
    if (!ev.isOrganizer) return;
    const now = attendeeAddresses(ev);
    const added = now.filter((a) => !before.attendees.includes(a));
    const removed = before.attendees.filter((a) => !now.includes(a));
    const meetingChanged =
      ev.startMs !== before.start ||
      ev.endMs !== before.end ||
      input.fields.subject !== undefined ||
      input.fields.location !== undefined ||
      input.recurrence !== undefined;
    if (added.length) deliverInvitations(this.world, ev, added);
    if (removed.length) recordMail(this.world, 'cancellation', ev, removed);
    const stay = now.filter((a) => !added.includes(a));
    if (meetingChanged && stay.length) {
      recordMail(this.world, 'update', ev, stay);
      propagateToCopies(this.world, ev, (copy) => {
        Object.assign(copy, {
          startMs: ev.startMs,
          endMs: ev.endMs,
          zone: ev.zone,
          originalZoneName: ev.originalZoneName,
          recurrence: ev.recurrence,
          type: ev.type,
        });
        copy.fields = {
          ...copy.fields,
          subject: ev.fields.subject,
          location: ev.fields.location,
          body: ev.fields.body,
          isAllDay: ev.fields.isAllDay,
        };
      });
    }
  }
}
