import { copyIdForOrigin } from './copy-ids';
import { planOrigin } from './plan';
import { A, B, C, ctx, ev, KEY, MAIN, P, summary } from './plan.fixtures';
import { seriesProduces } from './recurrence';
import { Existing, GoogleEvent, OriginChange, PlanCalendar } from './types';

const SERIES: GoogleEvent = ev({
  id: 's1',
  start: { dateTime: '2026-11-26T09:00:00', timeZone: 'Europe/Zurich' },
  end: { dateTime: '2026-11-26T10:00:00', timeZone: 'Europe/Zurich' },
  recurrence: ['RRULE:FREQ=WEEKLY;COUNT=6'],
});
const OCC = 's1_20261203T080000Z'; // the second occurrence, 09:00 Zurich = 08:00Z
const instance = (over: GoogleEvent = {}): GoogleEvent =>
  ev({
    id: OCC,
    recurringEventId: 's1',
    originalStartTime: { dateTime: '2026-12-03T09:00:00+01:00' },
    start: { dateTime: '2026-12-03T13:00:00Z' },
    end: { dateTime: '2026-12-03T14:00:00Z' },
    ...over,
  });
const occ = (
  cal: PlanCalendar,
  event: GoogleEvent | null,
  series: GoogleEvent | null = SERIES,
  copiedTo = [MAIN.id, B.id, C.id],
): OriginChange => ({
  calendar: cal,
  eventId: OCC,
  event,
  iCalUidPresentOn: [],
  series: { seriesId: 's1', event: series, copiedTo },
});
const NONE: Existing = { mappingId: 9, dismissed: false, mainCopy: null, busyBlocks: [] };
const cancelledOn = (...cals: PlanCalendar[]): Existing => ({
  ...NONE,
  mainCopy: cals.includes(MAIN) ? { eventId: 'x', contentHash: null, cancelled: true } : null,
  busyBlocks: cals
    .filter((c) => c !== MAIN)
    .map((c) => ({ calendarId: c.id, eventId: 'x', contentHash: null, cancelled: true })),
});
const trimmed = { ...SERIES, recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20261127T000000Z'] };

describe('occurrences of a series (recurring events)', () => {
  it.each([
    {
      rule: 'modified occurrence on client: the same occurrence of the main copy and of every busy series is rewritten',
      change: occ(A, instance()),
      existing: NONE,
      ops: ['upsertBusyBlock B', 'upsertBusyBlock C', 'upsertMainCopy main'],
      state: 'live',
    },
    {
      rule: 'cancelled occurrence: cancelled on every calendar carrying the copy series',
      change: occ(A, { id: OCC, recurringEventId: 's1', status: 'cancelled' }),
      existing: NONE,
      ops: ['deleteBusyBlock B', 'deleteBusyBlock C', 'deleteMainCopy main'],
      state: 'deleted',
    },
    {
      rule: 'cancelled occurrence already cancelled everywhere: nothing',
      change: occ(A, { id: OCC, recurringEventId: 's1', status: 'cancelled' }),
      existing: cancelledOn(MAIN, B, C),
      ops: [],
      state: 'deleted',
    },
    {
      rule: 'a calendar that newly carries the series gets the cancellation too',
      change: occ(A, { id: OCC, recurringEventId: 's1', status: 'cancelled' }),
      existing: cancelledOn(MAIN, B),
      ops: ['deleteBusyBlock C'],
      state: 'deleted',
    },
    {
      rule: 'occurrence turned Free: the busy occurrences are cancelled, the main copy keeps it',
      change: occ(A, instance({ transparency: 'transparent' })),
      existing: NONE,
      ops: ['deleteBusyBlock B', 'deleteBusyBlock C', 'upsertMainCopy main'],
      state: 'live',
    },
    {
      rule: 'only calendars that carry the copy series are touched',
      change: occ(A, instance(), SERIES, [MAIN.id]),
      existing: NONE,
      ops: ['upsertMainCopy main'],
      state: 'live',
    },
    {
      rule: 'leftover after a "this and following" trim: what it shows is cancelled, the row retired',
      change: occ(A, instance(), trimmed),
      existing: {
        ...NONE,
        mainCopy: { eventId: 'm', contentHash: 'h' },
        busyBlocks: [
          { calendarId: B.id, eventId: 'b', contentHash: 'h' },
          { calendarId: C.id, eventId: 'c', contentHash: null, cancelled: true },
        ],
      },
      ops: ['deleteBusyBlock B', 'deleteMainCopy main'],
      state: 'deleted',
    },
    {
      rule: 'series deleted: its occurrences go with the copy series (no writes)',
      change: occ(A, instance(), { ...SERIES, status: 'cancelled' }),
      existing: { ...NONE, mainCopy: { eventId: 'm', contentHash: 'h' } },
      ops: [],
      state: 'deleted',
    },
    {
      rule: 'occurrence dismissed from main: stays cancelled there, blocks follow the origin',
      change: occ(A, instance()),
      existing: { ...NONE, dismissed: true },
      ops: ['deleteMainCopy main', 'upsertBusyBlock B', 'upsertBusyBlock C'].sort(),
      state: 'dismissed',
    },
    {
      rule: 'personal occurrence: Busy (Personal) occurrences on main and clients',
      change: occ(P, instance()),
      existing: NONE,
      ops: ['upsertBusyBlock B', 'upsertBusyBlock C', 'upsertMainCopy main'],
      state: 'live',
    },
  ])('$rule', ({ change, existing, ops, state }) => {
    const plan = planOrigin(ctx(), change, existing);
    expect(summary(plan.ops)).toEqual(ops);
    expect(plan.mapping?.state).toBe(state);
    expect(plan.mapping?.recurringEventId).toBe('s1');
  });

  it('writes go to {copy series id}_{suffix}, and deletes there are cancellations', () => {
    const plan = planOrigin(ctx(), occ(A, { id: OCC, recurringEventId: 's1', status: 'cancelled' }), NONE);
    const series = copyIdForOrigin(KEY, 1, A.id, { id: 's1' }, B.id);
    expect(plan.ops.find((o) => o.calendarId === B.id)).toEqual({
      op: 'deleteBusyBlock',
      calendarId: B.id,
      eventId: `${series}_20261203T080000Z`,
      cancelInstance: true,
    });
  });

  it('planning again from what the plan wrote gives nothing (fixed point)', () => {
    const first = planOrigin(ctx(), occ(A, instance()), NONE);
    const after: Existing = { ...NONE, mainCopy: null, busyBlocks: [] };
    for (const o of first.ops) {
      if (o.op === 'upsertMainCopy') after.mainCopy = { eventId: o.eventId, contentHash: o.contentHash };
      if (o.op === 'upsertBusyBlock')
        after.busyBlocks.push({ calendarId: o.calendarId, eventId: o.eventId, contentHash: o.contentHash });
    }
    expect(planOrigin(ctx(), occ(A, instance()), after).ops).toEqual([]);
  });
});

describe('seriesProduces: is an exception still an occurrence of its series?', () => {
  it.each([
    ['first occurrence', SERIES, '20261126T080000Z', true],
    ['a later occurrence (wall time kept in the zone)', SERIES, '20261203T080000Z', true],
    [
      'after DST would shift a UTC rule, not a zoned one',
      { ...SERIES, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=30'] },
      '20270401T070000Z',
      true,
    ],
    ['beyond COUNT', SERIES, '20270107T080000Z', false],
    ['after a trim with UNTIL', trimmed, '20261203T080000Z', false],
    ['not on the grid (the start moved)', SERIES, '20261203T100000Z', false],
    ['before the series start', SERIES, '20261119T080000Z', false],
    [
      'excluded by EXDATE',
      { ...SERIES, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=6', 'EXDATE;TZID=Europe/Zurich:20261203T090000'] },
      '20261203T080000Z',
      false,
    ],
    [
      'added by RDATE',
      { ...SERIES, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=2', 'RDATE;TZID=Europe/Zurich:20261205T090000'] },
      '20261205T080000Z',
      true,
    ],
    [
      'all-day series, all-day suffix',
      {
        ...SERIES,
        start: { date: '2026-11-26' },
        end: { date: '2026-11-27' },
        recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
      },
      '20261128',
      true,
    ],
    [
      'all-day series, beyond COUNT',
      {
        ...SERIES,
        start: { date: '2026-11-26' },
        end: { date: '2026-11-27' },
        recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
      },
      '20261129',
      false,
    ],
  ])('%s', (_rule, series, suffix, produced) => {
    expect(seriesProduces(series as GoogleEvent, suffix as string)).toBe(produced);
  });
});
