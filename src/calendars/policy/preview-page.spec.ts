import { BadRequestException } from '@nestjs/common';
import { DEFAULT_POLICY } from '../../sync/rules';
import { previewRange, withSince } from './client-policy.service';
import { formFields, policyFromForm, weekGrid } from './preview-page';

describe('preview page helpers', () => {
  it('reads the plain form: last value of a checkbox pair, keywords split, hours only when switched on', () => {
    expect(
      policyFromForm({
        busyTitle: 'Away',
        blockAllDay: ['false', 'true'],
        blockTentative: 'false',
        minMinutes: '15',
        excludeKeywords: 'lunch, gym\nerrand',
        useHours: 'false',
        unavailableOutsideHours: ['false', 'true'],
      }),
    ).toEqual({
      busyTitle: 'Away',
      blockAllDay: true,
      blockTentative: false,
      minMinutes: 15,
      excludeKeywords: ['lunch', 'gym', 'errand'],
      workingHours: null,
      unavailableOutsideHours: false,
    });
    expect(
      policyFromForm({
        busyTitle: 'x',
        useHours: ['false', 'true'],
        days: ['2', '4'],
        start: '09:00',
        end: '17:00',
        timeZone: ' UTC ',
        minMinutes: 'abc',
      }),
    ).toMatchObject({
      workingHours: { days: [2, 4], start: '09:00', end: '17:00', timeZone: 'UTC' },
      minMinutes: 'abc',
    });
  });

  it('fills the form from a policy (working days default to Monday-Friday)', () => {
    const f = formFields(DEFAULT_POLICY) as { useHours: boolean; weekdays: Array<{ checked: boolean }> };
    expect(f.useHours).toBe(false);
    expect(f.weekdays.map((d) => d.checked)).toEqual([true, true, true, true, true, false, false]);
  });

  it('puts each item under the day it starts, in the zone shown', () => {
    const days = weekGrid(
      {
        calendarId: 1,
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-09T00:00:00.000Z',
        items: [
          {
            start: '2026-03-02T23:30:00.000Z',
            end: '2026-03-03T00:30:00.000Z',
            allDay: false,
            title: 'late',
            source: 'native',
            busy: true,
          },
          { start: '2026-03-04', end: '2026-03-05', allDay: true, title: 'off', source: 'busybridge', busy: true },
        ],
      },
      'Europe/Berlin',
    );
    expect(days).toHaveLength(7);
    expect(days[1].items.map((i) => [i.title, i.time, i.ours])).toEqual([['late', '00:30–01:30', false]]);
    expect(days[2].items.map((i) => [i.title, i.time, i.ours])).toEqual([['off', 'All day', true]]);
  });

  it('checks the range: ISO instants, to after from, at most 31 days; default this week', () => {
    const now = new Date('2026-03-04T12:00:00Z');
    expect(previewRange({}, 'UTC', now)).toEqual({
      from: new Date('2026-03-02T00:00:00Z'),
      to: new Date('2026-03-09T00:00:00Z'),
    });
    expect(() => previewRange({ from: 'yesterday' }, 'UTC', now)).toThrow(BadRequestException);
    expect(() => previewRange({ from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, 'UTC', now)).toThrow(
      BadRequestException,
    );
    expect(() => previewRange({ from: '2026-03-01T00:00:00Z', to: '2026-04-02T00:00:00Z' }, 'UTC', now)).toThrow(
      BadRequestException,
    );
  });

  it("keeps the unavailable series' start week unless the hours change", () => {
    const hours = { days: [1], start: '09:00', end: '17:00', timeZone: 'UTC' };
    const first = withSince(
      { ...DEFAULT_POLICY, workingHours: hours, unavailableOutsideHours: true },
      undefined,
      new Date('2026-03-04T12:00:00Z'),
    );
    expect(first.since).toBe('2026-03-02');
    expect(withSince({ ...first, busyTitle: 'x' }, first, new Date('2026-05-04T12:00:00Z')).since).toBe('2026-03-02');
    expect(
      withSince({ ...first, workingHours: { ...hours, end: '18:00' } }, first, new Date('2026-05-06T12:00:00Z')).since,
    ).toBe('2026-05-04');
  });
});
