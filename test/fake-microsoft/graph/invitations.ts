import { changeKeyFor, newImmutableId, newItemId } from '../ids';
import { MailRecord, StoredEvent } from '../model';
import { World } from '../world';
import { isoUtc } from './time';

/**
 * Graph has no way to suppress meeting mail: saving an event with attendees invites them, deleting an organizer's
 * meeting cancels it. The emulator records each mail it would send (tests assert there are none) and gives
 * attendees that live in the emulator their own copy.
 */
export function recordMail(world: World, kind: MailRecord['kind'], ev: StoredEvent, to: string[]): void {
  if (!to.length) return;
  const prefix = { invitation: '', update: 'Updated: ', cancellation: 'Canceled: ', response: 'Declined: ' }[kind];
  world.mails.push({
    time: isoUtc(world.clock.now()),
    kind,
    from: ev.organizer.address,
    to,
    subject: `${prefix}${ev.fields.subject ?? ''}`,
    eventId: ev.id,
  });
}

export function copiesOf(world: World, organizerEvent: StoredEvent): StoredEvent[] {
  return [...world.events.values()].filter((e) => e.organizerEventId === organizerEvent.id);
}

/** Gives each invited emulator user a copy in their default calendar (once). */
export function deliverInvitations(world: World, ev: StoredEvent, addresses: string[]): void {
  recordMail(world, 'invitation', ev, addresses);
  for (const address of addresses) {
    const user = world.userByLogin(address);
    const cal = user && world.defaultCalendar(user.id);
    if (!user || !cal || cal.id === ev.calendarId || copiesOf(world, ev).some((c) => c.calendarId === cal.id)) continue;
    const copy: StoredEvent = {
      ...ev,
      id: newItemId(),
      immutableId: newImmutableId(),
      calendarId: cal.id,
      fields: { ...ev.fields, categories: [] },
      extendedProperties: new Map(),
      transactionId: undefined,
      attendees: ev.attendees.map((a) => ({ ...a, status: { ...a.status } })),
      isOrganizer: false,
      responseStatus: { response: 'notResponded', time: '0001-01-01T00:00:00Z' },
      organizerEventId: ev.id,
      cancelledOccurrences: ev.cancelledOccurrences ? new Set(ev.cancelledOccurrences) : undefined,
      createdMs: world.clock.now(),
      changeKey: changeKeyFor(0),
    };
    world.touch(copy);
    world.events.set(copy.id, copy);
    world.emitChange(copy, 'created');
  }
}

/** Organizer edits reach the attendees' copies (times, subject, body, location, series). */
export function propagateToCopies(world: World, ev: StoredEvent, change: (copy: StoredEvent) => void): void {
  for (const copy of copiesOf(world, ev)) {
    change(copy);
    world.touch(copy);
    world.emitChange(copy, 'updated');
  }
}

export function attendeeAddresses(ev: StoredEvent): string[] {
  return ev.attendees.map((a) => a.emailAddress.address).filter((a) => a !== ev.organizer.address);
}
