import fc from 'fast-check';
import { BUSY_BLOCK_KEYS } from './bodies';
import { COPY_ID_PATTERN } from './copy-ids';
import { planMainCopyChange, planOrigin } from './plan';
import { A, applied, B, C, ctx, D_INACTIVE, FRESH, MAIN, P, PREFIX, R_READER, staleCopies } from './plan.fixtures';
import { Existing, GoogleEvent, Operation, OriginChange, PlanCalendar } from './types';

const CALS = [A, B, C, P, D_INACTIVE, R_READER];
const NOT_WRITABLE = new Set([P.id, D_INACTIVE.id, R_READER.id]);
const DETAIL_KEYS = [
  'description',
  'location',
  'attendees',
  'conferenceData',
  'hangoutLink',
  'attachments',
  'organizer',
  'source',
  'colorId',
];

const time = fc.oneof(
  fc.integer({ min: -60, max: 60 }).map((d) => {
    const day = new Date(Date.UTC(2026, 10, 24 + d)).toISOString().slice(0, 10);
    const next = new Date(Date.UTC(2026, 10, 25 + d)).toISOString().slice(0, 10);
    return { start: { date: day }, end: { date: next } };
  }),
  fc.tuple(fc.integer({ min: -60 * 24, max: 60 * 24 }), fc.integer({ min: 1, max: 600 })).map(([h, m]) => {
    const start = Date.UTC(2026, 10, 24) + h * 3600e3;
    return {
      start: { dateTime: new Date(start).toISOString() },
      end: { dateTime: new Date(start + m * 60e3).toISOString() },
    };
  }),
);

const event: fc.Arbitrary<GoogleEvent> = fc
  .record({
    id: fc.constant('evt1'),
    status: fc.constantFrom('confirmed', 'tentative', 'cancelled'),
    summary: fc.string(),
    description: fc.option(fc.string(), { nil: undefined }),
    location: fc.option(fc.string(), { nil: undefined }),
    transparency: fc.constantFrom(undefined, 'opaque', 'transparent'),
    visibility: fc.constantFrom(undefined, 'default', 'public', 'private'),
    eventType: fc.constantFrom(
      undefined,
      'default',
      'outOfOffice',
      'focusTime',
      'workingLocation',
      'birthday',
      'fromGmail',
    ),
    recurrence: fc.option(fc.constant<string[]>(['RRULE:FREQ=WEEKLY;COUNT=3']), { nil: undefined }),
    hangoutLink: fc.option(fc.webUrl(), { nil: undefined }),
    guestsCanModify: fc.option(fc.boolean(), { nil: undefined }),
    organizerSelf: fc.boolean(),
    selfResponse: fc.constantFrom(undefined, 'accepted', 'declined', 'tentative', 'needsAction'),
    time,
  })
  .map(({ organizerSelf, selfResponse, time: t, ...rest }) => ({
    ...rest,
    ...t,
    organizer: organizerSelf ? { email: 'me@x.test', self: true } : { email: 'boss@x.test' },
    attendees: selfResponse
      ? [
          { email: 'boss@x.test', organizer: true },
          { email: 'me@x.test', self: true, responseStatus: selfResponse },
        ]
      : undefined,
  }));

const origin = fc.constantFrom<PlanCalendar>(MAIN, A, B, C, P, R_READER);
const existing = fc
  .record({
    copies: fc.subarray([A, B, C, D_INACTIVE]),
    withMain: fc.boolean(),
    dismissed: fc.boolean(),
  })
  .map(({ copies, withMain, dismissed }): Existing => ({ ...staleCopies(copies, withMain), dismissed }));
const presence = fc.subarray([MAIN.id, A.id, B.id, C.id, P.id]);

function checkOps(ops: Operation[], from: PlanCalendar): void {
  for (const o of ops) {
    // Invariant 6 and access roles: nothing is ever written to a personal, inactive or read-only calendar.
    expect(NOT_WRITABLE.has(o.calendarId)).toBe(false);
    if (o.op === 'upsertBusyBlock') {
      // Invariant 2: nothing leaks.
      expect(Object.keys(o.body).filter((k) => !BUSY_BLOCK_KEYS.has(k))).toEqual([]);
      expect([`${PREFIX} Busy`, `${PREFIX} Busy (Personal)`]).toContain(o.body.summary);
      expect(o.body.visibility).toBe('private');
      expect(o.body.transparency).toBe('opaque');
      expect(o.body.reminders).toEqual({ useDefault: false });
      expect(o.calendarId).not.toBe(from.id);
    }
    if (o.op === 'upsertMainCopy') {
      expect(o.body.attendees).toBeUndefined();
      expect(o.body.reminders).toEqual({ useDefault: false });
      if (o.kind === 'personal') expect(DETAIL_KEYS.filter((k) => k in o.body)).toEqual([]);
    }
    if (o.op === 'upsertMainCopy' || o.op === 'upsertBusyBlock') {
      expect(o.body.extendedProperties?.private?.busybridge).toBe('1');
      if (!o.eventId.startsWith('maincopy') && !o.eventId.startsWith('blk')) expect(o.eventId).toMatch(COPY_ID_PATTERN);
    }
    if (o.op === 'pushEditToOrigin' || o.op === 'deleteOrigin' || o.op === 'declineOrigin')
      expect(o.calendarId).toBe(from.id);
  }
}

describe('planner properties over random event shapes', () => {
  it('never leaks, never writes where it must not, and planning again from its result is a no-op', () => {
    fc.assert(
      fc.property(origin, event, existing, presence, (cal, e, have, present) => {
        const change: OriginChange = {
          calendar: cal,
          eventId: 'evt1',
          event: e,
          iCalUidPresentOn: present.filter((id) => id !== cal.id),
        };
        const c = ctx(CALS);
        const plan = planOrigin(c, change, have);
        checkOps(plan.ops, cal);
        const again = planOrigin(c, change, applied(have, plan.ops));
        expect(again.ops).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('a main copy change never writes a personal calendar and only touches the origin with edit rights', () => {
    fc.assert(
      fc.property(
        origin.filter((c) => c.kind !== 'main'),
        event,
        event,
        existing,
        (cal, originEvent, copy, have) => {
          const change: OriginChange = { calendar: cal, eventId: 'evt1', event: originEvent, iCalUidPresentOn: [] };
          const plan = planMainCopyChange(ctx(CALS), copy, change, {
            ...have,
            mainCopy: have.mainCopy ?? { eventId: 'maincopy', contentHash: null },
          });
          checkOps(plan.ops, cal);
          if (cal.kind === 'personal' || cal.accessRole === 'reader') {
            expect(plan.ops.some((o) => o.op === 'pushEditToOrigin' || o.op === 'deleteOrigin')).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a fresh origin always gets the same ids (deterministic across runs)', () => {
    fc.assert(
      fc.property(origin, event, (cal, e) => {
        const change: OriginChange = { calendar: cal, eventId: 'evt1', event: e, iCalUidPresentOn: [] };
        expect(planOrigin(ctx(CALS), change, FRESH)).toEqual(planOrigin(ctx(CALS), change, FRESH));
      }),
    );
  });
});
