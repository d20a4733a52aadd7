import { fromGraphEvent, GraphEvent, MARKER_PROPERTY_ID, toGraphEvent } from './graph-event-mapping';

const base: GraphEvent = { id: 'AAMkAD', isOrganizer: true, showAs: 'busy', sensitivity: 'normal', isReminderOn: true };

describe('Graph event <-> neutral model', () => {
  it('reads a timed event written in a Windows zone as an instant in its IANA zone', () => {
    const e = fromGraphEvent(
      {
        ...base,
        start: { dateTime: '2030-01-07T08:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2030-01-07T09:00:00.0000000', timeZone: 'UTC' },
        originalStartTimeZone: 'W. Europe Standard Time',
      },
      'ann@x.example',
    );
    expect(e.start).toEqual({ dateTime: '2030-01-07T09:00:00+01:00', timeZone: 'Europe/Berlin' });
    expect(e.end).toEqual({ dateTime: '2030-01-07T10:00:00+01:00', timeZone: 'Europe/Berlin' });
    expect(e.allDay).toBe(false);
  });

  it('reads a legacy custom zone as UTC instants without a zone', () => {
    const e = fromGraphEvent(
      {
        ...base,
        start: { dateTime: '2030-01-07T08:00:00', timeZone: 'UTC' },
        end: { dateTime: '2030-01-07T09:00:00', timeZone: 'UTC' },
        originalStartTimeZone: 'tzone://Microsoft/Custom',
      },
      'a@x',
    );
    expect(e.start).toEqual({ dateTime: '2030-01-07T08:00:00Z' });
  });

  it('reads all-day events as whole days and writes them midnight to midnight', () => {
    const e = fromGraphEvent(
      {
        ...base,
        isAllDay: true,
        start: { dateTime: '2030-01-07T00:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2030-01-09T00:00:00.0000000', timeZone: 'UTC' },
      },
      'a@x',
    );
    expect([e.start, e.end, e.allDay]).toEqual([{ date: '2030-01-07' }, { date: '2030-01-09' }, true]);
    expect(
      toGraphEvent({
        start: { date: '2030-01-07', timeZone: 'Europe/Paris' },
        end: { date: '2030-01-08', timeZone: 'Europe/Paris' },
      }),
    ).toEqual({
      start: { dateTime: '2030-01-07T00:00:00', timeZone: 'Romance Standard Time' },
      end: { dateTime: '2030-01-08T00:00:00', timeZone: 'Romance Standard Time' },
      isAllDay: true,
    });
  });

  it('writes a timed event as wall time in its zone, Windows-named', () => {
    expect(toGraphEvent({ start: { dateTime: '2030-07-01T07:30:00Z', timeZone: 'America/New_York' } }).start).toEqual({
      dateTime: '2030-07-01T03:30:00',
      timeZone: 'Eastern Standard Time',
    });
    expect(toGraphEvent({ start: { dateTime: '2030-07-01T09:30:00+02:00' } }).start).toEqual({
      dateTime: '2030-07-01T07:30:00',
      timeZone: 'UTC',
    });
  });

  it.each([
    ['normal', 'default'],
    ['personal', 'private'],
    ['private', 'private'],
    ['confidential', 'confidential'],
  ] as const)('sensitivity %s reads as visibility %s', (sensitivity, visibility) => {
    expect(fromGraphEvent({ ...base, sensitivity }, 'a@x').visibility).toBe(visibility);
  });

  it('writes a busy block private, busy, reminder-free, with our marker and never attendees', () => {
    const out = toGraphEvent({
      summary: 'Busy',
      showAs: 'busy',
      visibility: 'private',
      remindersOn: false,
      tags: { mapping: '42', bb: '1' },
    });
    expect(out).toEqual({
      subject: 'Busy',
      showAs: 'busy',
      sensitivity: 'private',
      isReminderOn: false,
      singleValueExtendedProperties: [{ id: MARKER_PROPERTY_ID, value: 'bb=1&mapping=42' }],
    });
    expect(
      fromGraphEvent(
        {
          ...base,
          singleValueExtendedProperties:
            out.singleValueExtendedProperties as GraphEvent['singleValueExtendedProperties'],
        },
        'a@x',
      ).tags,
    ).toEqual({ bb: '1', mapping: '42' });
  });

  it('reads an invitation: not editable, own attendee entry marked, responses mapped', () => {
    const e = fromGraphEvent(
      {
        ...base,
        isOrganizer: false,
        organizer: { emailAddress: { address: 'ben@x' } },
        attendees: [
          { emailAddress: { address: 'Ann@X' }, status: { response: 'notResponded' }, type: 'required' },
          {
            emailAddress: { address: 'cat@x', name: 'Cat' },
            status: { response: 'tentativelyAccepted' },
            type: 'optional',
          },
        ],
      },
      'ann@x',
    );
    expect(e.canEdit).toBe(false);
    expect(e.organizerEmail).toBe('ben@x');
    expect(e.attendees).toEqual([
      { email: 'Ann@X', responseStatus: 'needsAction', self: true },
      { email: 'cat@x', displayName: 'Cat', responseStatus: 'tentative', optional: true },
    ]);
  });

  it('reads a series master as an RRULE and an exception with its series and slot', () => {
    const master = fromGraphEvent(
      {
        ...base,
        type: 'seriesMaster',
        recurrence: {
          pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' },
          range: { type: 'numbered', startDate: '2030-01-07', numberOfOccurrences: 3 },
        },
      },
      'a@x',
    );
    expect(master.recurrence).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3']);
    const exception = fromGraphEvent(
      { ...base, type: 'exception', seriesMasterId: 'M', originalStart: '2030-01-14T08:00:00Z' },
      'a@x',
    );
    expect(exception).toMatchObject({ seriesId: 'M', originalStart: { dateTime: '2030-01-14T08:00:00Z' } });
  });

  it('refuses to write a recurrence Graph cannot express', () => {
    expect(() =>
      toGraphEvent({ start: { dateTime: '2030-01-07T09:00:00Z' }, recurrence: ['RRULE:FREQ=DAILY;BYHOUR=9,17'] }),
    ).toThrow('Graph has no pattern');
  });
});
