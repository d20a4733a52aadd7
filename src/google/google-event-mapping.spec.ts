import { fromGoogleEvent, googleChange, toGoogleEvent } from './google-event-mapping';

describe('Google event <-> neutral model', () => {
  it('reads an own timed event: editable, busy, reminders as the calendar default', () => {
    const e = fromGoogleEvent({
      id: 'a1',
      status: 'confirmed',
      etag: '"1"',
      organizer: { email: 'ann@x', self: true },
      start: { dateTime: '2030-01-07T09:00:00+01:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2030-01-07T10:00:00+01:00' },
    });
    expect(e).toMatchObject({
      id: 'a1',
      etag: '"1"',
      canEdit: true,
      showAs: 'busy',
      visibility: 'default',
      kind: 'default',
      remindersOn: true,
      allDay: false,
      start: { dateTime: '2030-01-07T09:00:00+01:00', timeZone: 'Europe/Berlin' },
    });
  });

  it('reads an invitation as not editable unless guests may modify it', () => {
    const invitation = {
      id: 'i1',
      organizer: { email: 'cat@y' },
      attendees: [{ email: 'ann@x', self: true, responseStatus: 'needsAction' }],
    };
    expect(fromGoogleEvent(invitation)).toMatchObject({
      canEdit: false,
      organizerEmail: 'cat@y',
      attendees: [{ email: 'ann@x', self: true, responseStatus: 'needsAction' }],
    });
    expect(fromGoogleEvent({ ...invitation, guestsCanModify: true }).canEdit).toBe(true);
  });

  it('reads "no reminders" only when the defaults are off and nothing overrides them', () => {
    expect(fromGoogleEvent({ id: 'r', reminders: { useDefault: false, overrides: [] } }).remindersOn).toBe(false);
    expect(
      fromGoogleEvent({ id: 'r', reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 5 }] } })
        .remindersOn,
    ).toBe(true);
  });

  it('turns a cancelled occurrence into a tombstone that names its series and slot', () => {
    expect(
      googleChange({
        id: 's_20300107T080000Z',
        status: 'cancelled',
        recurringEventId: 's',
        originalStartTime: { dateTime: '2030-01-07T08:00:00Z' },
      }),
    ).toEqual({
      type: 'removed',
      id: 's_20300107T080000Z',
      seriesId: 's',
      originalStart: { dateTime: '2030-01-07T08:00:00Z' },
    });
  });

  it('writes a busy block: opaque, private, no reminders, our tags private', () => {
    expect(
      toGoogleEvent({
        summary: 'Busy',
        start: { date: '2030-01-07' },
        end: { date: '2030-01-08' },
        showAs: 'busy',
        visibility: 'private',
        remindersOn: false,
        tags: { bb: '1' },
      }),
    ).toEqual({
      summary: 'Busy',
      start: { date: '2030-01-07' },
      end: { date: '2030-01-08' },
      transparency: 'opaque',
      visibility: 'private',
      reminders: { useDefault: false, overrides: [] },
      extendedProperties: { private: { bb: '1' } },
    });
    expect(toGoogleEvent({ summary: 'Only this' })).toEqual({ summary: 'Only this' });
  });
});
