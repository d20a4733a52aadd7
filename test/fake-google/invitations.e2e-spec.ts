import { calendar_v3 } from '@googleapis/calendar';
import { FakeGoogle } from './index';
import { apiFor, googleError, listAll, startSeeded, timed } from './test-helpers';

describe('fake Google: invitations', () => {
  let fake: FakeGoogle;
  let cat: calendar_v3.Calendar;
  let ann: calendar_v3.Calendar;
  const invite = (id: string, extra: calendar_v3.Schema$Event = {}) =>
    cat.events.insert({
      calendarId: 'primary',
      requestBody: {
        id,
        summary: 'Client meeting',
        ...timed('2026-12-01T10:00:00Z'),
        attendees: [
          { email: 'cat@client.example' },
          { email: 'ann@home.example' },
          { email: 'outside@nowhere.example' },
        ],
        ...extra,
      },
    });
  beforeEach(async () => {
    fake = await startSeeded();
    cat = await apiFor(fake, 'cat@client.example');
    ann = await apiFor(fake, 'ann@home.example');
  });
  afterEach(() => fake.close());

  it('puts a copy with the same id and iCalUID on the attendee calendar, organizer.self=false', async () => {
    const org = await invite('invite0001');
    const copy = await ann.events.get({ calendarId: 'primary', eventId: 'invite0001' });
    expect(copy.data).toMatchObject({
      id: 'invite0001',
      iCalUID: org.data.iCalUID,
      summary: 'Client meeting',
      organizer: { email: 'cat@client.example' },
    });
    expect(copy.data.organizer!.self).toBeUndefined();
    expect(copy.data.attendees!.find((a) => a.self)).toMatchObject({
      email: 'ann@home.example',
      responseStatus: 'needsAction',
    });
    expect(org.data.organizer!.self).toBe(true);
    expect(org.data.attendees!.find((a) => a.self)).toMatchObject({
      email: 'cat@client.example',
      organizer: true,
      responseStatus: 'accepted',
    });
  });

  it('propagates organizer edits and cancellation to attendee copies (visible in their incremental sync)', async () => {
    await invite('invite0002');
    const { nextSyncToken } = await listAll(ann, { calendarId: 'primary' });
    await cat.events.patch({ calendarId: 'primary', eventId: 'invite0002', requestBody: { summary: 'Renamed' } });
    const inc = await ann.events.list({ calendarId: 'primary', syncToken: nextSyncToken });
    expect(inc.data.items!.map((e) => e.summary)).toEqual(['Renamed']);
    await cat.events.delete({ calendarId: 'primary', eventId: 'invite0002' });
    const inc2 = await ann.events.list({ calendarId: 'primary', syncToken: inc.data.nextSyncToken! });
    expect(inc2.data.items!.map((e) => e.status)).toEqual(['cancelled']);
  });

  it('propagates the attendee response to the organizer copy', async () => {
    await invite('invite0003');
    await ann.events.patch({
      calendarId: 'primary',
      eventId: 'invite0003',
      requestBody: { attendeesOmitted: true, attendees: [{ email: 'ann@home.example', responseStatus: 'accepted' }] },
    });
    const org = await cat.events.get({ calendarId: 'primary', eventId: 'invite0003' });
    expect(org.data.attendees!.find((a) => a.email === 'ann@home.example')!.responseStatus).toBe('accepted');
    fake.control.respondToInvitation('ann@home.example', 'invite0003', 'declined');
    const again = await cat.events.get({ calendarId: 'primary', eventId: 'invite0003' });
    expect(again.data.attendees!.find((a) => a.email === 'ann@home.example')!.responseStatus).toBe('declined');
  });

  it('accepts an RSVP when the attendee is the only guest', async () => {
    await cat.events.insert({
      calendarId: 'primary',
      requestBody: {
        id: 'solo00001',
        summary: 'Solo',
        ...timed('2026-12-01T10:00:00Z'),
        attendees: [{ email: 'ann@home.example', displayName: 'Ann' }],
      },
    });
    fake.control.respondToInvitation('ann@home.example', 'solo00001', 'tentative');
    const org = await cat.events.get({ calendarId: 'primary', eventId: 'solo00001' });
    expect(org.data.attendees).toEqual([
      { email: 'ann@home.example', displayName: 'Ann', responseStatus: 'tentative' },
    ]);
  });

  it('keeps private extended properties, transparency and reminders per copy', async () => {
    await invite('invite0004');
    await ann.events.patch({
      calendarId: 'primary',
      eventId: 'invite0004',
      requestBody: { transparency: 'transparent', extendedProperties: { private: { mine: '1' } } },
    });
    await cat.events.patch({
      calendarId: 'primary',
      eventId: 'invite0004',
      requestBody: { summary: 'Edited', extendedProperties: { private: { org: '1' } } },
    });
    const copy = await ann.events.get({ calendarId: 'primary', eventId: 'invite0004' });
    expect(copy.data).toMatchObject({
      summary: 'Edited',
      transparency: 'transparent',
      extendedProperties: { private: { mine: '1' } },
    });
    const org = await cat.events.get({ calendarId: 'primary', eventId: 'invite0004' });
    expect(org.data.extendedProperties).toEqual({ private: { org: '1' } });
    expect(org.data.transparency).toBeUndefined();
    const filtered = await ann.events.list({ calendarId: 'primary', privateExtendedProperty: ['mine=1'] });
    expect(filtered.data.items!.map((e) => e.id)).toEqual(['invite0004']);
  });

  it('403 forbiddenForNonOrganizer for shared edits on a copy; guestsCanModify lets them through and propagate', async () => {
    await invite('invite0005');
    const err = await googleError(
      ann.events.patch({ calendarId: 'primary', eventId: 'invite0005', requestBody: { summary: 'Hijack' } }),
    );
    expect(err).toMatchObject({ status: 403, reason: 'forbiddenForNonOrganizer' });
    await invite('invite0006', { guestsCanModify: true });
    await ann.events.patch({ calendarId: 'primary', eventId: 'invite0006', requestBody: { summary: 'Guest edit' } });
    expect((await cat.events.get({ calendarId: 'primary', eventId: 'invite0006' })).data.summary).toBe('Guest edit');
    const perms = await googleError(
      ann.events.patch({ calendarId: 'primary', eventId: 'invite0006', requestBody: { guestsCanModify: false } }),
    );
    expect(perms).toMatchObject({ status: 403, reason: 'forbiddenForNonOrganizer' });
  });

  it('attendee deleting their copy leaves a tombstone there and, when configured, records declined for the organizer', async () => {
    fake.control.setOptions({ deleteOfAttendeeCopyDeclines: true });
    await invite('invite0007');
    await ann.events.delete({ calendarId: 'primary', eventId: 'invite0007' });
    expect((await ann.events.get({ calendarId: 'primary', eventId: 'invite0007' })).data.status).toBe('cancelled');
    const org = await cat.events.get({ calendarId: 'primary', eventId: 'invite0007' });
    expect(org.data.status).toBe('confirmed');
    expect(org.data.attendees!.find((a) => a.email === 'ann@home.example')!.responseStatus).toBe('declined');
    await cat.events.patch({ calendarId: 'primary', eventId: 'invite0007', requestBody: { summary: 'Still on' } });
    expect((await ann.events.get({ calendarId: 'primary', eventId: 'invite0007' })).data.status).toBe('cancelled');
  });

  it('removing an attendee cancels their copy', async () => {
    await invite('invite0008');
    await cat.events.patch({
      calendarId: 'primary',
      eventId: 'invite0008',
      requestBody: { attendees: [{ email: 'cat@client.example' }] },
    });
    expect((await ann.events.get({ calendarId: 'primary', eventId: 'invite0008' })).data.status).toBe('cancelled');
  });

  it('propagates recurring exceptions to attendee copies', async () => {
    await cat.events.insert({
      calendarId: 'primary',
      requestBody: {
        id: 'recinvite1',
        summary: 'Standup',
        start: { dateTime: '2026-12-01T09:00:00', timeZone: 'Europe/Berlin' },
        end: { dateTime: '2026-12-01T09:15:00', timeZone: 'Europe/Berlin' },
        recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
        attendees: [{ email: 'ann@home.example' }],
      },
    });
    await cat.events.delete({ calendarId: 'primary', eventId: 'recinvite1_20261202T080000Z' });
    const inst = await ann.events.instances({ calendarId: 'primary', eventId: 'recinvite1' });
    expect(inst.data.items!.map((e) => e.id)).toEqual(['recinvite1_20261201T080000Z', 'recinvite1_20261203T080000Z']);
  });
});
