import { A, B, C, ctx, ev, FRESH, invite, MAIN, P, PREFIX, summary } from './plan.fixtures';
import { planOrigin } from './plan';
import { planInstance } from './plan-instance';
import { applyPolicyInput, ClientPolicy, DEFAULT_POLICY, PolicyError } from './policy';
import { GoogleEvent, Operation, OriginChange, PlanCalendar } from './types';

const BERLIN_WEEKDAYS = { days: [2, 4], start: '09:00', end: '17:00', timeZone: 'Europe/Berlin' };

function withPolicy(cal: PlanCalendar, over: Partial<ClientPolicy>): PlanCalendar {
  return { ...cal, policy: { ...DEFAULT_POLICY, ...over } };
}

/** Plans `event` from `origin` with B under `over` and C under the defaults: what lands on B and on C. */
function blocks(
  origin: PlanCalendar,
  event: GoogleEvent,
  over: Partial<ClientPolicy>,
): { B: Operation | undefined; C: Operation | undefined; all: string[] } {
  const others = [A, withPolicy(B, over), C, P]
    .filter((c) => c.id !== origin.id)
    .concat(origin.kind === 'main' ? [] : [origin]);
  const plan = planOrigin(
    ctx(others),
    { calendar: origin, eventId: event.id ?? 'evt1', event, iCalUidPresentOn: [] },
    FRESH,
  );
  const on = (cal: PlanCalendar) => plan.ops.find((o) => o.calendarId === cal.id && o.op === 'upsertBusyBlock');
  return { B: on(B), C: on(C), all: summary(plan.ops) };
}

// 2026-11-25 is a Wednesday, 2026-11-26 a Thursday (Berlin is UTC+1 in November).
const WED_10 = ev({ start: { dateTime: '2026-11-25T10:00:00Z' }, end: { dateTime: '2026-11-25T11:00:00Z' } });
const THU_10 = ev({ start: { dateTime: '2026-11-26T10:00:00Z' }, end: { dateTime: '2026-11-26T11:00:00Z' } });
const THU_EVENING = ev({ start: { dateTime: '2026-11-26T17:30:00Z' }, end: { dateTime: '2026-11-26T18:00:00Z' } });
const SHORT = ev({ start: { dateTime: '2026-11-26T10:00:00Z' }, end: { dateTime: '2026-11-26T10:10:00Z' } });
const ALL_DAY = ev({ start: { date: '2026-11-26' }, end: { date: '2026-11-27' } });

describe('client policy in the planner: each field alone changes only the blocks of its calendar', () => {
  it.each<[string, GoogleEvent, Partial<ClientPolicy>, boolean, string]>([
    ['defaults block like no policy', THU_10, {}, true, `${PREFIX} Busy`],
    [
      'busyTitle renames the block',
      THU_10,
      { busyTitle: 'Busy (other engagement)' },
      true,
      `${PREFIX} Busy (other engagement)`,
    ],
    ['blockAllDay false drops an all-day event', ALL_DAY, { blockAllDay: false }, false, ''],
    ['blockAllDay false keeps a timed event', THU_10, { blockAllDay: false }, true, ''],
    ['minMinutes drops a shorter event', SHORT, { minMinutes: 15 }, false, ''],
    ['minMinutes keeps an event of exactly that length', SHORT, { minMinutes: 10 }, true, ''],
    ['minMinutes never drops an all-day event', ALL_DAY, { minMinutes: 1440 }, true, ''],
    ['blockTentative false drops a tentative invitation', invite(A, 'tentative'), { blockTentative: false }, false, ''],
    [
      'blockTentative false drops an unanswered invitation',
      invite(A, 'needsAction'),
      { blockTentative: false },
      false,
      '',
    ],
    ['blockTentative false keeps an accepted invitation', invite(A, 'accepted'), { blockTentative: false }, true, ''],
    [
      'blockTentative false drops an event marked tentative',
      ev({ status: 'tentative' }),
      { blockTentative: false },
      false,
      '',
    ],
    [
      'excludeKeywords drops a title containing one, whatever the case',
      ev({ summary: 'Quick ERRAND downtown' }),
      { excludeKeywords: ['errand'] },
      false,
      '',
    ],
    ['excludeKeywords keeps other titles', ev({ summary: 'Board meeting' }), { excludeKeywords: ['errand'] }, true, ''],
    ['workingHours drops an event on another day', WED_10, { workingHours: BERLIN_WEEKDAYS }, false, ''],
    ['workingHours keeps an event inside them', THU_10, { workingHours: BERLIN_WEEKDAYS }, true, ''],
    ['workingHours drops an event after them (their zone)', THU_EVENING, { workingHours: BERLIN_WEEKDAYS }, false, ''],
    ['workingHours keep an all-day event on a working day', ALL_DAY, { workingHours: BERLIN_WEEKDAYS }, true, ''],
    // Every row has all five columns: jest takes a callback with more parameters than the row for `done`.
  ])('%s', (_name, event, over, blocked, title) => {
    const { B: onB, C: onC } = blocks(A, event, over);
    expect(onB !== undefined).toBe(blocked);
    // The calendar without a policy is untouched by B's rules.
    expect(onC).toBeDefined();
    if (title && onB?.op === 'upsertBusyBlock') expect(onB.body.summary).toBe(title);
  });

  it('the defaults reproduce the plan without any policy, op for op', () => {
    const withDefaults = planOrigin(
      ctx([A, withPolicy(B, {}), C, P]),
      { calendar: A, eventId: 'evt1', event: THU_10, iCalUidPresentOn: [] },
      FRESH,
    );
    const without = planOrigin(
      ctx([A, B, C, P]),
      { calendar: A, eventId: 'evt1', event: THU_10, iCalUidPresentOn: [] },
      FRESH,
    );
    expect(withDefaults).toEqual(without);
  });

  it('a personal origin keeps "(Personal)" after the title; blocks stay detail-free', () => {
    const { B: onB } = blocks(P, ev({ summary: 'Dentist', location: 'Main St', description: 'x' }), {
      busyTitle: 'Away',
    });
    expect(onB?.op === 'upsertBusyBlock' && onB.body).toEqual(
      expect.objectContaining({ summary: `${PREFIX} Away (Personal)` }),
    );
    if (onB?.op === 'upsertBusyBlock')
      expect(Object.keys(onB.body).sort()).toEqual([
        'end',
        'extendedProperties',
        'reminders',
        'start',
        'status',
        'summary',
        'transparency',
        'visibility',
      ]);
  });

  it('main origins and the main copy are not touched by a client policy', () => {
    const main = blocks(MAIN, THU_10, { excludeKeywords: ['review'] });
    expect(main.B).toBeUndefined();
    expect(main.all).toEqual(['upsertBusyBlock A', 'upsertBusyBlock C']);
    const fromClient = blocks(A, THU_10, { excludeKeywords: ['review'] });
    expect(fromClient.all).toEqual(['upsertBusyBlock C', 'upsertMainCopy main']);
  });

  it('combined: every rule must let the event through', () => {
    const policy = {
      busyTitle: 'Engaged',
      minMinutes: 30,
      excludeKeywords: ['lunch'],
      workingHours: BERLIN_WEEKDAYS,
      blockAllDay: false,
    };
    expect(blocks(A, THU_10, policy).B).toMatchObject({ body: { summary: `${PREFIX} Engaged` } });
    expect(blocks(A, { ...THU_10, summary: 'Lunch' }, policy).B).toBeUndefined();
    expect(blocks(A, SHORT, policy).B).toBeUndefined();
    expect(blocks(A, ALL_DAY, policy).B).toBeUndefined();
    expect(blocks(A, WED_10, policy).B).toBeUndefined();
  });

  it('changing a policy deletes the block it no longer allows, and changing it back writes it again', () => {
    const first = planOrigin(
      ctx([A, B, C, P]),
      { calendar: A, eventId: 'evt1', event: THU_10, iCalUidPresentOn: [] },
      FRESH,
    );
    const made = first.ops.find((o) => o.op === 'upsertBusyBlock' && o.calendarId === B.id) as Extract<
      Operation,
      { op: 'upsertBusyBlock' }
    >;
    const existing = {
      ...FRESH,
      busyBlocks: [{ calendarId: B.id, eventId: made.eventId, contentHash: made.contentHash }],
    };
    const excluded = planOrigin(
      ctx([A, withPolicy(B, { excludeKeywords: ['review'] }), C, P]),
      { calendar: A, eventId: 'evt1', event: THU_10, iCalUidPresentOn: [] },
      existing,
    );
    expect(excluded.ops.filter((o) => o.calendarId === B.id)).toEqual([
      { op: 'deleteBusyBlock', calendarId: B.id, eventId: made.eventId },
    ]);
    const renamed = planOrigin(
      ctx([A, withPolicy(B, { busyTitle: 'Away' }), C, P]),
      { calendar: A, eventId: 'evt1', event: THU_10, iCalUidPresentOn: [] },
      existing,
    );
    expect(renamed.ops.filter((o) => o.calendarId === B.id)).toEqual([
      expect.objectContaining({ op: 'upsertBusyBlock', eventId: made.eventId }),
    ]);
    const back = planOrigin(
      ctx([A, withPolicy(B, {}), C, P]),
      { calendar: A, eventId: 'evt1', event: THU_10, iCalUidPresentOn: [] },
      existing,
    );
    expect(back.ops.filter((o) => o.calendarId === B.id)).toEqual([]);
  });
});

describe('client policy with recurring origins', () => {
  const series = (rule: string, start = '2026-11-23T10:00:00', end = '2026-11-23T11:00:00') =>
    ev({
      id: 'ser1',
      summary: 'Standup',
      start: { dateTime: start, timeZone: 'Europe/Berlin' },
      end: { dateTime: end, timeZone: 'Europe/Berlin' },
      recurrence: [rule],
    });
  const recurrenceOn = (event: GoogleEvent, over: Partial<ClientPolicy>) => {
    const op = blocks(A, event, over).B;
    return op?.op === 'upsertBusyBlock' ? (op.body.recurrence ?? []) : null;
  };

  it.each<[string, string, Partial<ClientPolicy>, string[] | null]>([
    [
      'a daily series is narrowed to the working days (first day excluded)',
      'RRULE:FREQ=DAILY',
      { workingHours: BERLIN_WEEKDAYS },
      ['RRULE:FREQ=DAILY;BYDAY=TU,TH', 'EXDATE;TZID=Europe/Berlin:20261123T100000'],
    ],
    [
      'a weekly series on working days keeps its rule (its Monday start excluded)',
      'RRULE:FREQ=WEEKLY;BYDAY=TU,TH',
      { workingHours: BERLIN_WEEKDAYS },
      ['RRULE:FREQ=WEEKLY;BYDAY=TU,TH', 'EXDATE;TZID=Europe/Berlin:20261123T100000'],
    ],
    [
      'a weekly series keeps only its working days',
      'RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE',
      { workingHours: BERLIN_WEEKDAYS },
      ['RRULE:FREQ=WEEKLY;BYDAY=TU', 'EXDATE;TZID=Europe/Berlin:20261123T100000'],
    ],
    [
      'a weekly series on a day off makes no block',
      'RRULE:FREQ=WEEKLY;BYDAY=MO,WE',
      { workingHours: BERLIN_WEEKDAYS },
      null,
    ],
    [
      'a daily series every day of the week stays whole under 7-day hours',
      'RRULE:FREQ=DAILY',
      { workingHours: { ...BERLIN_WEEKDAYS, days: [1, 2, 3, 4, 5, 6, 7] } },
      ['RRULE:FREQ=DAILY'],
    ],
    [
      'a series outside the hours of day makes no block',
      'RRULE:FREQ=DAILY',
      { workingHours: { ...BERLIN_WEEKDAYS, start: '12:00' } },
      null,
    ],
    ['keywords judge the series by its title', 'RRULE:FREQ=DAILY', { excludeKeywords: ['standup'] }, null],
    ['minMinutes judges the series by its length', 'RRULE:FREQ=DAILY', { minMinutes: 90 }, null],
    ['the title applies to the whole series', 'RRULE:FREQ=DAILY', { busyTitle: 'Away' }, ['RRULE:FREQ=DAILY']],
  ])('%s', (_name, rule, over, expected) => {
    expect(recurrenceOn(series(rule), over)).toEqual(expected);
  });

  it('one occurrence moved out of the hours is cancelled on that client only', () => {
    const seriesEvent = series('RRULE:FREQ=WEEKLY;BYDAY=TU,TH', '2026-11-24T10:00:00', '2026-11-24T11:00:00');
    const moved = ev({
      id: 'ser1_20261126T090000Z',
      recurringEventId: 'ser1',
      summary: 'Standup',
      start: { dateTime: '2026-11-26T19:00:00Z' },
      end: { dateTime: '2026-11-26T20:00:00Z' },
    });
    const change: OriginChange = {
      calendar: A,
      eventId: moved.id as string,
      event: moved,
      iCalUidPresentOn: [],
      series: { seriesId: 'ser1', event: seriesEvent, copiedTo: [MAIN.id, B.id, C.id] },
    };
    const plan = planInstance(ctx([A, withPolicy(B, { workingHours: BERLIN_WEEKDAYS }), C, P]), change, FRESH);
    expect(summary(plan.ops)).toEqual(['deleteBusyBlock B', 'upsertBusyBlock C', 'upsertMainCopy main']);
    expect(plan.ops.find((o) => o.calendarId === B.id)).toMatchObject({ cancelInstance: true });
  });

  it('an occurrence keeps the client title', () => {
    const seriesEvent = series('RRULE:FREQ=WEEKLY;BYDAY=TU,TH', '2026-11-24T10:00:00', '2026-11-24T11:00:00');
    const moved = ev({
      id: 'ser1_20261126T090000Z',
      recurringEventId: 'ser1',
      start: { dateTime: '2026-11-26T10:00:00Z' },
      end: { dateTime: '2026-11-26T11:30:00Z' },
    });
    const change: OriginChange = {
      calendar: A,
      eventId: moved.id as string,
      event: moved,
      iCalUidPresentOn: [],
      series: { seriesId: 'ser1', event: seriesEvent, copiedTo: [MAIN.id, B.id] },
    };
    const plan = planInstance(ctx([A, withPolicy(B, { busyTitle: 'Away' }), C, P]), change, FRESH);
    expect(plan.ops.find((o) => o.calendarId === B.id)).toMatchObject({
      op: 'upsertBusyBlock',
      body: { summary: `${PREFIX} Away` },
    });
  });
});

describe('policy input', () => {
  it.each<[string, unknown, string]>([
    ['unknown field', { colour: 'red' }, 'colour'],
    ['empty title', { busyTitle: '' }, 'busyTitle'],
    ['long title', { busyTitle: 'x'.repeat(101) }, 'busyTitle'],
    ['negative minutes', { minMinutes: -1 }, 'minMinutes'],
    ['too many minutes', { minMinutes: 1441 }, 'minMinutes'],
    ['fractional minutes', { minMinutes: 1.5 }, 'minMinutes'],
    ['string boolean', { blockAllDay: 'no' }, 'blockAllDay'],
    ['51 keywords', { excludeKeywords: Array.from({ length: 51 }, (_, i) => `k${i}`) }, 'excludeKeywords'],
    ['empty keyword', { excludeKeywords: [''] }, 'excludeKeywords'],
    ['day 0', { workingHours: { ...BERLIN_WEEKDAYS, days: [0] } }, 'workingHours.days'],
    ['bad time', { workingHours: { ...BERLIN_WEEKDAYS, start: '9am' } }, 'workingHours.start'],
    ['end before start', { workingHours: { ...BERLIN_WEEKDAYS, end: '08:00' } }, 'workingHours.end'],
    ['bad zone', { workingHours: { ...BERLIN_WEEKDAYS, timeZone: 'Mars/Olympus' } }, 'workingHours.timeZone'],
    ['unavailable without hours', { unavailableOutsideHours: true }, 'unavailableOutsideHours'],
  ])('rejects %s, naming the field', (_name, input, field) => {
    expect(() => applyPolicyInput(DEFAULT_POLICY, input)).toThrow(PolicyError);
    try {
      applyPolicyInput(DEFAULT_POLICY, input);
    } catch (error) {
      expect((error as PolicyError).field).toBe(field);
    }
  });

  it('keeps the fields not sent and accepts a full policy', () => {
    const base = applyPolicyInput(DEFAULT_POLICY, { busyTitle: 'Away' });
    expect(applyPolicyInput(base, { minMinutes: 15 })).toEqual({
      ...DEFAULT_POLICY,
      busyTitle: 'Away',
      minMinutes: 15,
    });
    const full = {
      ...DEFAULT_POLICY,
      workingHours: { ...BERLIN_WEEKDAYS, days: [4, 2] },
      unavailableOutsideHours: true,
    };
    expect(applyPolicyInput(DEFAULT_POLICY, full)).toEqual({ ...full, workingHours: BERLIN_WEEKDAYS });
  });
});
