import { DEFAULT_POLICY, StoredPolicy } from './policy';
import { seriesProduces } from './recurrence';
import { isUnavailableBlock, planUnavailable } from './unavailable';
import { KEY, PREFIX } from './plan.fixtures';

const target = { userId: 1, calendarId: 3, prefix: PREFIX, idKey: KEY };
const hours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timeZone: 'Europe/Berlin' };
const policy = (over: Partial<StoredPolicy> = {}): StoredPolicy => ({
  ...DEFAULT_POLICY,
  workingHours: hours,
  unavailableOutsideHours: true,
  since: '2026-03-16',
  ...over,
});

describe('unavailable outside working hours: weekly series planned per client calendar', () => {
  it('writes nothing without the option or without hours', () => {
    expect(planUnavailable(undefined, target)).toEqual([]);
    expect(planUnavailable({ ...policy(), unavailableOutsideHours: false }, target)).toEqual([]);
    expect(planUnavailable({ ...policy(), workingHours: null }, target)).toEqual([]);
  });

  it('days off as one all-day series, the time before and after the hours as two timed series', () => {
    const series = planUnavailable(policy(), target);
    expect(series.map((s) => [s.body.summary, s.body.start, s.body.end, s.body.recurrence])).toEqual([
      [`${PREFIX} Unavailable`, { date: '2026-03-21' }, { date: '2026-03-22' }, ['RRULE:FREQ=WEEKLY;BYDAY=SA,SU']],
      [
        `${PREFIX} Unavailable`,
        { dateTime: '2026-03-16T00:00:00+01:00', timeZone: 'Europe/Berlin' },
        { dateTime: '2026-03-16T09:00:00+01:00', timeZone: 'Europe/Berlin' },
        ['RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
      ],
      [
        `${PREFIX} Unavailable`,
        { dateTime: '2026-03-16T17:00:00+01:00', timeZone: 'Europe/Berlin' },
        { dateTime: '2026-03-17T00:00:00+01:00', timeZone: 'Europe/Berlin' },
        ['RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
      ],
    ]);
    for (const s of series) {
      expect(isUnavailableBlock(s.body)).toBe(true);
      expect(s.body).toMatchObject({ transparency: 'opaque', visibility: 'private' });
      expect(s.body.description).toBeUndefined();
    }
  });

  it('keeps the wall-clock hours across the daylight-saving change (Berlin, 29 March 2026)', () => {
    const after = planUnavailable(policy(), target)[2].body;
    // 17:00 in Berlin is 16:00Z in winter time and 15:00Z in summer time.
    expect(seriesProduces(after, '20260324T160000Z')).toBe(true);
    expect(seriesProduces(after, '20260331T150000Z')).toBe(true);
    expect(seriesProduces(after, '20260331T160000Z')).toBe(false);
    expect(seriesProduces(after, '20260328T160000Z')).toBe(false); // a Saturday: the all-day series covers it
    const offDays = planUnavailable(policy(), target)[0].body;
    expect(seriesProduces(offDays, '20260328')).toBe(true);
    expect(seriesProduces(offDays, '20260329')).toBe(true);
    expect(seriesProduces(offDays, '20260330')).toBe(false);
  });

  it('hours from midnight to midnight every day leave nothing unavailable; ids are stable per piece', () => {
    expect(
      planUnavailable(
        policy({ workingHours: { ...hours, days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' } }),
        target,
      ),
    ).toEqual([]);
    const a = planUnavailable(policy(), target).map((s) => s.eventId);
    expect(planUnavailable(policy({ busyTitle: 'x' }), target).map((s) => s.eventId)).toEqual(a);
    expect(new Set(a).size).toBe(3);
    expect(planUnavailable(policy(), { ...target, calendarId: 4 }).map((s) => s.eventId)).not.toEqual(a);
  });
});
