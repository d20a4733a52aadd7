import { planMainCopyChange, planOrigin } from './plan';
import {
  A,
  applied,
  B,
  C,
  change,
  ctx,
  D_INACTIVE,
  ev,
  FRESH,
  invite,
  MAIN,
  NOW,
  P,
  R_READER,
  staleCopies,
  summary,
} from './plan.fixtures';
import { Existing, GoogleEvent, MappingState, OriginChange, PlanCalendar } from './types';

const DAY = 86_400_000;
const ALL_DAY = { start: { date: '2026-12-01' }, end: { date: '2026-12-02' } };
const LATER = { start: { dateTime: '2026-11-25T14:00:00Z' }, end: { dateTime: '2026-11-25T15:00:00Z' } };
const withBlocks = (...cals: PlanCalendar[]) => staleCopies(cals, false);

interface Row {
  rule: string;
  change: OriginChange;
  existing: Existing;
  ops: string[];
  mapping: MappingState | null;
  calendars?: PlanCalendar[];
}

// Each row is one sync rule (sync rules, all-day events, conflict handling); docs/architecture.md has the words.
const rows: Row[] = [
  // Client Calendar -> Main Calendar
  {
    rule: 'new event on client: copy on main with details, Busy on every other client',
    change: change(A, ev()),
    existing: FRESH,
    ops: ['upsertBusyBlock B', 'upsertBusyBlock C', 'upsertMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'event modified on client (time): the copy and the Busy blocks are updated',
    change: change(A, ev(LATER)),
    existing: staleCopies([B, C], true),
    ops: ['upsertBusyBlock B', 'upsertBusyBlock C', 'upsertMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'event deleted on client: copy deleted from main and every Busy block created for it',
    change: change(A, null),
    existing: staleCopies([B, C], true),
    ops: ['deleteBusyBlock B', 'deleteBusyBlock C', 'deleteMainCopy main'],
    mapping: 'deleted',
  },
  {
    rule: 'cancelled is deleted',
    change: change(A, { id: 'evt1', status: 'cancelled' }),
    existing: staleCopies([B, C], true),
    ops: ['deleteBusyBlock B', 'deleteBusyBlock C', 'deleteMainCopy main'],
    mapping: 'deleted',
  },
  // Main Calendar -> Client Calendars
  {
    rule: 'new event on main: Busy block on ALL connected client calendars',
    change: change(MAIN, ev()),
    existing: FRESH,
    ops: ['upsertBusyBlock A', 'upsertBusyBlock B', 'upsertBusyBlock C'],
    mapping: 'live',
  },
  {
    rule: 'event modified on main (time): the Busy blocks are updated',
    change: change(MAIN, ev(LATER)),
    existing: withBlocks(A, B, C),
    ops: ['upsertBusyBlock A', 'upsertBusyBlock B', 'upsertBusyBlock C'],
    mapping: 'live',
  },
  {
    rule: 'event deleted on main: Busy blocks deleted from all clients',
    change: change(MAIN, null),
    existing: withBlocks(A, B, C),
    ops: ['deleteBusyBlock A', 'deleteBusyBlock B', 'deleteBusyBlock C'],
    mapping: 'deleted',
  },
  {
    rule: 'all-day event on main shown as Free: no Busy blocks',
    change: change(MAIN, ev({ ...ALL_DAY, transparency: 'transparent' })),
    existing: FRESH,
    ops: [],
    mapping: 'live',
  },
  {
    rule: 'all-day event on main shown as Busy: all-day Busy blocks',
    change: change(MAIN, ev({ ...ALL_DAY, transparency: 'opaque' })),
    existing: FRESH,
    ops: ['upsertBusyBlock A', 'upsertBusyBlock B', 'upsertBusyBlock C'],
    mapping: 'live',
  },
  {
    rule: 'main event turned Free: its Busy blocks go',
    change: change(MAIN, ev({ transparency: 'transparent' })),
    existing: withBlocks(A, B, C),
    ops: ['deleteBusyBlock A', 'deleteBusyBlock B', 'deleteBusyBlock C'],
    mapping: 'live',
  },
  // Personal Calendar -> Main + Clients
  {
    rule: 'new event on personal: Busy (Personal) on main AND on all clients',
    change: change(P, ev()),
    existing: FRESH,
    ops: ['upsertBusyBlock A', 'upsertBusyBlock B', 'upsertBusyBlock C', 'upsertMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'event modified on personal (time): Busy (Personal) blocks updated',
    change: change(P, ev(LATER)),
    existing: staleCopies([A, B, C], true),
    ops: ['upsertBusyBlock A', 'upsertBusyBlock B', 'upsertBusyBlock C', 'upsertMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'event deleted on personal: Busy (Personal) deleted from main and all clients',
    change: change(P, null),
    existing: staleCopies([A, B, C], true),
    ops: ['deleteBusyBlock A', 'deleteBusyBlock B', 'deleteBusyBlock C', 'deleteMainCopy main'],
    mapping: 'deleted',
  },
  {
    rule: 'all-day event on personal: all-day Busy (Personal) blocks',
    change: change(P, ev({ ...ALL_DAY })),
    existing: FRESH,
    ops: ['upsertBusyBlock A', 'upsertBusyBlock B', 'upsertBusyBlock C', 'upsertMainCopy main'],
    mapping: 'live',
  },
  // Issue 6: rules users expect
  {
    rule: 'timed event shown as Free on main blocks nothing',
    change: change(MAIN, ev({ transparency: 'transparent' })),
    existing: FRESH,
    ops: [],
    mapping: 'live',
  },
  {
    rule: 'Free event on personal blocks nothing',
    change: change(P, ev({ transparency: 'transparent' })),
    existing: FRESH,
    ops: [],
    mapping: 'live',
  },
  {
    rule: 'Free event on client: copied to main (show-as kept), blocks nothing',
    change: change(A, ev({ transparency: 'transparent' })),
    existing: FRESH,
    ops: ['upsertMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'declined invitation on client: not copied, not blocking',
    change: change(A, invite(A, 'declined')),
    existing: FRESH,
    ops: [],
    mapping: 'live',
  },
  {
    rule: 'invitation declined later: its copy and blocks go',
    change: change(A, invite(A, 'declined')),
    existing: staleCopies([B, C], true),
    ops: ['deleteBusyBlock B', 'deleteBusyBlock C', 'deleteMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'declined invitation on main blocks nothing',
    change: change(MAIN, invite(MAIN, 'declined')),
    existing: FRESH,
    ops: [],
    mapping: 'live',
  },
  {
    rule: 'tentative invitation on main blocks',
    change: change(MAIN, invite(MAIN, 'tentative')),
    existing: FRESH,
    ops: ['upsertBusyBlock A', 'upsertBusyBlock B', 'upsertBusyBlock C'],
    mapping: 'live',
  },
  {
    rule: 'workingLocation is ignored',
    change: change(MAIN, ev({ eventType: 'workingLocation', transparency: 'transparent' })),
    existing: { ...FRESH, mappingId: null },
    ops: [],
    mapping: null,
  },
  {
    rule: 'birthday is ignored',
    change: change(P, ev({ eventType: 'birthday', ...ALL_DAY })),
    existing: { ...FRESH, mappingId: null },
    ops: [],
    mapping: null,
  },
  {
    rule: 'outOfOffice on main blocks clients as plain busy',
    change: change(MAIN, ev({ eventType: 'outOfOffice' })),
    existing: FRESH,
    ops: ['upsertBusyBlock A', 'upsertBusyBlock B', 'upsertBusyBlock C'],
    mapping: 'live',
  },
  {
    rule: 'focusTime on main blocks clients as plain busy',
    change: change(MAIN, ev({ eventType: 'focusTime' })),
    existing: FRESH,
    ops: ['upsertBusyBlock A', 'upsertBusyBlock B', 'upsertBusyBlock C'],
    mapping: 'live',
  },
  {
    rule: 'same meeting on main and client A: the client one is not copied nor blocking',
    change: change(A, invite(A, 'accepted'), [MAIN.id]),
    existing: FRESH,
    ops: [],
    mapping: 'live',
  },
  {
    rule: 'same meeting on main and client A: main blocks every client but A',
    change: change(MAIN, invite(MAIN, 'accepted'), [A.id]),
    existing: FRESH,
    ops: ['upsertBusyBlock B', 'upsertBusyBlock C'],
    mapping: 'live',
  },
  {
    rule: 'same meeting appears natively on main later: the client copy and blocks go',
    change: change(A, invite(A, 'accepted'), [MAIN.id]),
    existing: staleCopies([B, C], true),
    ops: ['deleteBusyBlock B', 'deleteBusyBlock C', 'deleteMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'same meeting on clients A and B: copied once (from A), blocked on C only',
    change: change(A, invite(A, 'accepted'), [B.id]),
    existing: FRESH,
    ops: ['upsertBusyBlock C', 'upsertMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'same meeting on clients A and B: the B one defers to A',
    change: change(B, invite(B, 'accepted'), [A.id]),
    existing: FRESH,
    ops: [],
    mapping: 'live',
  },
  {
    rule: `ended more than lookback days ago: not copied`,
    change: change(
      A,
      ev({
        start: { dateTime: new Date(NOW.getTime() - 32 * DAY).toISOString() },
        end: { dateTime: new Date(NOW.getTime() - 31 * DAY).toISOString() },
      }),
    ),
    existing: { ...FRESH, mappingId: null },
    ops: [],
    mapping: null,
  },
  {
    rule: 'ended within lookback days: copied',
    change: change(
      A,
      ev({
        start: { dateTime: new Date(NOW.getTime() - 3 * DAY).toISOString() },
        end: { dateTime: new Date(NOW.getTime() - 3 * DAY + 3600e3).toISOString() },
      }),
    ),
    existing: FRESH,
    ops: ['upsertBusyBlock B', 'upsertBusyBlock C', 'upsertMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'a copy the user removed from main is not recreated when its origin changes',
    change: change(A, ev(LATER)),
    existing: { ...FRESH, dismissed: true },
    ops: [],
    mapping: 'dismissed',
  },
  {
    rule: 'our own event is never an origin (loop prevention)',
    change: change(A, ev({ extendedProperties: { private: { busybridge: '1' } } })),
    existing: FRESH,
    ops: [],
    mapping: null,
  },
  {
    rule: 'inactive and personal calendars never receive blocks',
    change: change(MAIN, ev()),
    existing: FRESH,
    ops: ['upsertBusyBlock A', 'upsertBusyBlock B', 'upsertBusyBlock C'],
    mapping: 'live',
    calendars: [A, B, C, P, D_INACTIVE],
  },
  {
    rule: 'a block on a now inactive calendar is left for its cleanup',
    change: change(MAIN, null),
    existing: withBlocks(A, D_INACTIVE),
    ops: ['deleteBusyBlock A'],
    mapping: 'deleted',
  },
  // Conflict Handling
  {
    rule: 'someone books over our Busy block on client B: the new event still syncs to main',
    change: change(B, ev({ organizer: { email: 'x@b.test' }, attendees: [] })),
    existing: FRESH,
    ops: ['upsertBusyBlock A', 'upsertBusyBlock C', 'upsertMainCopy main'],
    mapping: 'live',
  },
];

describe('planOrigin: the sync rules', () => {
  it.each(rows.map((r) => [r.rule, r] as const))('%s', (_rule, row) => {
    const plan = planOrigin(ctx(row.calendars), row.change, row.existing);
    expect(summary(plan.ops)).toEqual(row.ops);
    expect(plan.mapping?.state ?? null).toBe(row.mapping);
    // Planning again from the result changes nothing.
    const again = planOrigin(ctx(row.calendars), row.change, applied(row.existing, plan.ops));
    expect(again.ops.filter((o) => o.op.startsWith('upsert'))).toEqual([]);
  });

  it('title-only change on client rewrites the main copy but not the Busy blocks (they carry no title)', () => {
    const first = planOrigin(ctx(), change(A, ev()), FRESH);
    const after = applied(FRESH, first.ops);
    expect(summary(planOrigin(ctx(), change(A, ev({ summary: 'Renamed' })), after).ops)).toEqual([
      'upsertMainCopy main',
    ]);
  });

  it('title change on main touches no client', () => {
    const after = applied(FRESH, planOrigin(ctx(), change(MAIN, ev()), FRESH).ops);
    expect(planOrigin(ctx(), change(MAIN, ev({ summary: 'Renamed', description: 'x' })), after).ops).toEqual([]);
  });

  it('overlapping events on two clients both sync to main as separate events', () => {
    const a = planOrigin(ctx(), change(A, ev()), FRESH).ops.find((o) => o.op === 'upsertMainCopy');
    const b = planOrigin(ctx(), change(B, ev()), FRESH).ops.find((o) => o.op === 'upsertMainCopy');
    expect(a && b && a.eventId !== b.eventId).toBe(true);
  });

  it('a live origin without a mapping row is a programming error', () => {
    expect(() => planOrigin(ctx(), change(A, ev()), { ...FRESH, mappingId: null })).toThrow(/mapping row/);
  });

  it('recurring event on personal: the recurrence rule is copied to the blocks', () => {
    const rec = ['RRULE:FREQ=WEEKLY;BYDAY=MO'];
    const ops = planOrigin(
      ctx(),
      change(
        P,
        ev({
          recurrence: rec,
          start: { dateTime: '2026-11-30T09:00:00', timeZone: 'Europe/Berlin' },
          end: { dateTime: '2026-11-30T10:00:00', timeZone: 'Europe/Berlin' },
        }),
      ),
      FRESH,
    ).ops;
    expect(ops).toHaveLength(4);
    for (const o of ops) {
      if (o.op !== 'upsertBusyBlock' && o.op !== 'upsertMainCopy') throw new Error(o.op);
      expect(o.body.recurrence).toEqual(rec);
      expect(o.body.start).toEqual({ dateTime: '2026-11-30T09:00:00', timeZone: 'Europe/Berlin' });
    }
  });
});

interface CopyRow {
  rule: string;
  origin: PlanCalendar;
  originEvent: GoogleEvent | null;
  copy: GoogleEvent;
  ops: string[];
  mapping: MappingState;
}

const copyOf = (over: GoogleEvent) =>
  ev({ ...over, extendedProperties: { private: { busybridge: '1', busybridgeKind: 'copy' } } });
const copyRows: CopyRow[] = [
  {
    rule: 'user edits the main copy with edit rights (organizer): pushed to the client',
    origin: A,
    originEvent: ev(),
    copy: copyOf(LATER),
    ops: ['pushEditToOrigin A'],
    mapping: 'live',
  },
  {
    rule: 'user edits the main copy with edit rights (guestsCanModify on a writable calendar): pushed',
    origin: C,
    originEvent: invite(C, 'accepted', { guestsCanModify: true }),
    copy: copyOf({ summary: 'New title' }),
    ops: ['pushEditToOrigin C'],
    mapping: 'live',
  },
  {
    rule: 'user edits the main copy without edit rights (guest): not pushed, the copy is restored',
    origin: C,
    originEvent: invite(C, 'accepted'),
    copy: copyOf({ summary: 'New title' }),
    ops: ['upsertMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'user edits the main copy on a read-only client calendar: not pushed, restored',
    origin: R_READER,
    originEvent: ev(),
    copy: copyOf({ summary: 'New title' }),
    ops: ['upsertMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'user deletes the main copy with edit rights: origin deleted, its blocks go',
    origin: A,
    originEvent: ev(),
    copy: { id: 'x', status: 'cancelled' },
    ops: ['deleteBusyBlock B', 'deleteBusyBlock C', 'deleteOrigin A'],
    mapping: 'dismissed',
  },
  {
    rule: 'user deletes the main copy of an invitation without rights: declined, blocks go',
    origin: C,
    originEvent: invite(C, 'accepted'),
    copy: { id: 'x', status: 'cancelled' },
    ops: ['declineOrigin C', 'deleteBusyBlock A', 'deleteBusyBlock B'],
    mapping: 'dismissed',
  },
  {
    rule: 'user deletes the main copy of a read-only event (no invitation): only removed from main, blocks go',
    origin: R_READER,
    originEvent: ev({ organizer: { email: 'x@r.test' }, attendees: [] }),
    copy: { id: 'x', status: 'cancelled' },
    ops: ['deleteBusyBlock A', 'deleteBusyBlock B', 'deleteBusyBlock C'],
    mapping: 'dismissed',
  },
  {
    rule: 'main copy of a personal block deleted by the user: restored (personal calendars are never written)',
    origin: P,
    originEvent: ev(),
    copy: { id: 'x', status: 'cancelled' },
    ops: ['upsertMainCopy main'],
    mapping: 'live',
  },
  {
    rule: 'main copy changed while its origin is gone: the copy goes',
    origin: A,
    originEvent: null,
    copy: copyOf(LATER),
    ops: ['deleteBusyBlock B', 'deleteBusyBlock C', 'deleteMainCopy main'],
    mapping: 'deleted',
  },
];

describe('planMainCopyChange: edit rights', () => {
  it.each(copyRows.map((r) => [r.rule, r] as const))('%s', (_rule, row) => {
    // What exists: exactly what the origin (as it was before) produced.
    const cals = ctx([A, B, C, R_READER, P]);
    const existing = applied(FRESH, planOrigin(cals, change(row.origin, row.originEvent ?? ev()), FRESH).ops);
    const plan = planMainCopyChange(cals, row.copy, change(row.origin, row.originEvent), existing);
    expect(summary(plan.ops)).toEqual(row.ops);
    expect(plan.mapping?.state).toBe(row.mapping);
  });

  it('the pushed edit carries only the copied fields, without our attendee reference block', () => {
    const first = planOrigin(ctx(), change(A, ev()), FRESH).ops.find((o) => o.op === 'upsertMainCopy');
    if (first?.op !== 'upsertMainCopy') throw new Error('no copy');
    const edited = { ...first.body, summary: 'Moved', ...LATER };
    const [push] = planMainCopyChange(ctx(), edited, change(A, ev()), {
      ...FRESH,
      mainCopy: { eventId: first.eventId, contentHash: first.contentHash },
    }).ops;
    expect(push).toEqual({
      op: 'pushEditToOrigin',
      calendarId: A.id,
      eventId: 'evt1',
      patch: {
        summary: 'Moved',
        description: 'Agenda: numbers',
        location: 'Room 1',
        start: LATER.start,
        end: LATER.end,
      },
    });
  });

  it("the decline names only the user's own entry: the other guests stay as Google has them", () => {
    const origin = invite(C, 'accepted');
    const [decline] = planMainCopyChange(ctx(), { id: 'x', status: 'cancelled' }, change(C, origin), FRESH).ops;
    expect(decline).toEqual({
      op: 'declineOrigin',
      calendarId: C.id,
      eventId: 'evt1',
      attendees: [{ email: origin.attendees![1].email, responseStatus: 'declined' }],
    });
  });

  it('a main copy edited back to what we wrote costs nothing', () => {
    const first = planOrigin(ctx(), change(A, ev()), FRESH).ops.find((o) => o.op === 'upsertMainCopy');
    if (first?.op !== 'upsertMainCopy') throw new Error('no copy');
    const listed = { ...first.body, id: first.eventId, etag: '"999"', htmlLink: 'x', created: 'y' };
    const plan = planMainCopyChange(ctx(), listed, change(C, invite(C, 'accepted')), {
      ...FRESH,
      mainCopy: { eventId: first.eventId, contentHash: null },
    });
    expect(plan.ops.filter((o) => o.op === 'upsertMainCopy')).toHaveLength(1); // different origin calendar -> different body
    const same = planMainCopyChange(ctx(), listed, change(A, ev()), {
      ...FRESH,
      mainCopy: { eventId: first.eventId, contentHash: null },
    });
    expect(summary(same.ops)).toEqual(['upsertBusyBlock B', 'upsertBusyBlock C']);
  });
});
