import { patternToRrule, rruleToPattern } from './graph-recurrence';

describe('RRULE <-> Graph patternedRecurrence', () => {
  const zone = 'W. Europe Standard Time';
  // 2030-01-07 is a Monday.
  it.each([
    [
      'RRULE:FREQ=DAILY;INTERVAL=2;COUNT=5',
      { type: 'daily', interval: 2 },
      { type: 'numbered', numberOfOccurrences: 5 },
    ],
    [
      'RRULE:FREQ=WEEKLY;BYDAY=MO,WE',
      { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'sunday' },
      { type: 'noEnd' },
    ],
    [
      'RRULE:FREQ=WEEKLY',
      { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' },
      { type: 'noEnd' },
    ],
    [
      'RRULE:FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20301231T000000Z',
      { type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 },
      { type: 'endDate', endDate: '2030-12-31' },
    ],
    [
      'RRULE:FREQ=MONTHLY;BYDAY=-1FR',
      { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' },
      { type: 'noEnd' },
    ],
    [
      'RRULE:FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2',
      { type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'second' },
      { type: 'noEnd' },
    ],
    ['RRULE:FREQ=YEARLY', { type: 'absoluteYearly', interval: 1, dayOfMonth: 7, month: 1 }, { type: 'noEnd' }],
    [
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=1SU',
      { type: 'relativeYearly', interval: 1, daysOfWeek: ['sunday'], index: 'first', month: 3 },
      { type: 'noEnd' },
    ],
  ])('%s', (rrule, pattern, range) => {
    const r = rruleToPattern([rrule], '2030-01-07', zone);
    expect(r).toEqual({ pattern, range: { startDate: '2030-01-07', recurrenceTimeZone: zone, ...range } });
  });

  it.each([
    ['a rule with BYHOUR', ['RRULE:FREQ=DAILY;BYHOUR=9,17']],
    ['several month days', ['RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15']],
    ['mixed ordinals', ['RRULE:FREQ=MONTHLY;BYDAY=1MO,3WE']],
    ['an EXDATE beside the rule', ['RRULE:FREQ=DAILY', 'EXDATE:20300108T090000Z']],
    ['a fifth weekday', ['RRULE:FREQ=MONTHLY;BYDAY=5MO']],
    ['hourly', ['RRULE:FREQ=HOURLY']],
  ])('cannot express %s', (_, lines) => {
    expect(rruleToPattern(lines, '2030-01-07', zone)).toBeNull();
  });

  it.each([
    'RRULE:FREQ=DAILY;INTERVAL=2;COUNT=5',
    'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;WKST=MO',
    'RRULE:FREQ=MONTHLY;BYDAY=-1FR',
    'RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=3',
    'RRULE:FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20301231T235959Z',
  ])('%s survives the round trip', (rrule) => {
    expect(patternToRrule(rruleToPattern([rrule], '2030-01-07', zone)!)).toBe(rrule);
  });
});
