// Shared factories for the rules specs (not a spec itself).
import { contentHash } from './bodies';
import { Existing, GoogleEvent, Operation, OriginChange, PlanCalendar, PlanContext } from './types';

export const PREFIX = '[BusyBridge]';
export const NOW = new Date('2026-11-24T12:00:00Z');
export const KEY = Buffer.alloc(32, 7);

export const MAIN: PlanCalendar = {
  id: 1,
  kind: 'main',
  accessRole: 'owner',
  accountEmail: 'me@home.test',
  active: true,
};
export const A: PlanCalendar = { id: 2, kind: 'client', accessRole: 'owner', accountEmail: 'me@a.test', active: true };
export const B: PlanCalendar = { id: 3, kind: 'client', accessRole: 'owner', accountEmail: 'me@b.test', active: true };
export const C: PlanCalendar = { id: 4, kind: 'client', accessRole: 'writer', accountEmail: 'me@c.test', active: true };
export const P: PlanCalendar = {
  id: 5,
  kind: 'personal',
  accessRole: 'owner',
  accountEmail: 'me@gmail.test',
  active: true,
};
export const D_INACTIVE: PlanCalendar = {
  id: 6,
  kind: 'client',
  accessRole: 'owner',
  accountEmail: 'me@d.test',
  active: false,
};
export const R_READER: PlanCalendar = {
  id: 7,
  kind: 'client',
  accessRole: 'reader',
  accountEmail: 'me@r.test',
  active: true,
};

export const NAMES: Record<number, string> = { 1: 'main', 2: 'A', 3: 'B', 4: 'C', 5: 'P', 6: 'D', 7: 'R' };

export function ctx(others: PlanCalendar[] = [A, B, C, P, D_INACTIVE]): PlanContext {
  return {
    calendars: { userId: 1, main: MAIN, others },
    managedEventPrefix: PREFIX,
    now: NOW,
    lookbackDays: 30,
    idKey: KEY,
  };
}

export function ev(over: GoogleEvent = {}): GoogleEvent {
  return {
    id: 'evt1',
    etag: '"100"',
    status: 'confirmed',
    iCalUID: 'evt1@google.com',
    summary: 'Quarterly review',
    description: 'Agenda: numbers',
    location: 'Room 1',
    start: { dateTime: '2026-11-25T10:00:00Z' },
    end: { dateTime: '2026-11-25T11:00:00Z' },
    organizer: { email: 'me@a.test', self: true },
    attendees: [
      { email: 'me@a.test', self: true, organizer: true, responseStatus: 'accepted' },
      { email: 'boss@a.test', displayName: 'Boss', responseStatus: 'needsAction' },
    ],
    reminders: { useDefault: true },
    ...over,
  };
}

/** An invitation organised by someone else, with the user (of calendar `cal`) as guest. */
export function invite(cal: PlanCalendar, response: string, over: GoogleEvent = {}): GoogleEvent {
  return ev({
    organizer: { email: 'boss@a.test', displayName: 'Boss' },
    attendees: [
      { email: 'boss@a.test', organizer: true, responseStatus: 'accepted' },
      { email: cal.accountEmail, self: true, responseStatus: response },
    ],
    ...over,
  });
}

export function change(calendar: PlanCalendar, event: GoogleEvent | null, present: number[] = []): OriginChange {
  return { calendar, eventId: 'evt1', event, iCalUidPresentOn: present };
}

export const FRESH: Existing = { mappingId: 42, dismissed: false, mainCopy: null, busyBlocks: [] };

/** What exists after `ops` were applied to `before`: the planner's own fixed point is checked with it. */
export function applied(before: Existing, ops: Operation[]): Existing {
  let mainCopy = before.mainCopy;
  let busyBlocks = [...before.busyBlocks];
  for (const o of ops) {
    if (o.op === 'upsertMainCopy') mainCopy = { eventId: o.eventId, contentHash: o.contentHash };
    if (o.op === 'deleteMainCopy') mainCopy = null;
    if (o.op === 'upsertBusyBlock') {
      busyBlocks = busyBlocks.filter((b) => b.calendarId !== o.calendarId);
      busyBlocks.push({ calendarId: o.calendarId, eventId: o.eventId, contentHash: o.contentHash });
    }
    if (o.op === 'deleteBusyBlock') busyBlocks = busyBlocks.filter((b) => b.calendarId !== o.calendarId);
  }
  return { ...before, mainCopy, busyBlocks };
}

/** Readable op list: "upsertBusyBlock B", sorted. */
export function summary(ops: Operation[]): string[] {
  return ops.map((o) => `${o.op} ${NAMES[o.calendarId]}`).sort();
}

export function staleCopies(cals: PlanCalendar[], withMain: boolean): Existing {
  return {
    ...FRESH,
    mainCopy: withMain ? { eventId: 'maincopy', contentHash: contentHash({ summary: 'old' }) } : null,
    busyBlocks: cals.map((c) => ({
      calendarId: c.id,
      eventId: `blk${c.id}`,
      contentHash: contentHash({ summary: 'old' }),
    })),
  };
}
