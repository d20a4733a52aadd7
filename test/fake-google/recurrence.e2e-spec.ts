import { calendar_v3 } from '@googleapis/calendar';
import { FakeGoogle } from './index';
import { apiFor, googleError, listAll, startSeeded } from './test-helpers';

const BERLIN = 'Europe/Berlin';
const weekly = (id: string, extra: string[] = []): calendar_v3.Schema$Event => ({
  id,
  summary: 'Weekly',
  start: { dateTime: '2026-12-01T10:00:00', timeZone: BERLIN },
  end: { dateTime: '2026-12-01T11:00:00', timeZone: BERLIN },
  recurrence: ['RRULE:FREQ=WEEKLY;COUNT=5', ...extra],
});

describe('fake Google: recurring events', () => {
  let fake: FakeGoogle;
  let cat: calendar_v3.Calendar;
  beforeEach(async () => {
    fake = await startSeeded();
    cat = await apiFor(fake, 'cat@client.example');
  });
  afterEach(() => fake.close());

  it('serves instances with {id}_{YYYYMMDDTHHMMSSZ} ids in UTC', async () => {
    await cat.events.insert({ calendarId: 'primary', requestBody: weekly('series0001') });
    const { data } = await cat.events.instances({ calendarId: 'primary', eventId: 'series0001' });
    expect(data.items!.map((e) => e.id)).toEqual([
      'series0001_20261201T090000Z',
      'series0001_20261208T090000Z',
      'series0001_20261215T090000Z',
      'series0001_20261222T090000Z',
      'series0001_20261229T090000Z',
    ]);
    expect(data.items![0]).toMatchObject({
      recurringEventId: 'series0001',
      originalStartTime: { dateTime: '2026-12-01T10:00:00+01:00', timeZone: BERLIN },
      start: { dateTime: '2026-12-01T10:00:00+01:00' },
    });
    expect(data.items![0].recurrence).toBeUndefined();
  });

  it('keeps wall-clock time across DST and honours EXDATE and RDATE', async () => {
    await cat.events.insert({
      calendarId: 'primary',
      requestBody: {
        id: 'dstseries1',
        summary: 'DST',
        start: { dateTime: '2026-10-20T10:00:00', timeZone: BERLIN },
        end: { dateTime: '2026-10-20T11:00:00', timeZone: BERLIN },
        recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3', `EXDATE;TZID=${BERLIN}:20261027T100000`, 'RDATE:20261105T150000Z'],
      },
    });
    const { data } = await cat.events.list({ calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
    expect(data.items!.map((e) => e.id)).toEqual([
      'dstseries1_20261020T080000Z',
      'dstseries1_20261103T090000Z',
      'dstseries1_20261105T150000Z',
    ]);
  });

  it('uses {id}_{YYYYMMDD} for all-day instances', async () => {
    await cat.events.insert({
      calendarId: 'primary',
      requestBody: {
        id: 'alldate01',
        summary: 'Daily',
        start: { date: '2026-12-01' },
        end: { date: '2026-12-02' },
        recurrence: ['RRULE:FREQ=DAILY;COUNT=2'],
      },
    });
    const { data } = await cat.events.instances({ calendarId: 'primary', eventId: 'alldate01' });
    expect(data.items!.map((e) => [e.id, e.start?.date])).toEqual([
      ['alldate01_20261201', '2026-12-01'],
      ['alldate01_20261202', '2026-12-02'],
    ]);
  });

  it('requires a time zone on recurring timed events and rejects DTSTART lines', async () => {
    const noTz = await googleError(
      cat.events.insert({
        calendarId: 'primary',
        requestBody: {
          summary: 'x',
          start: { dateTime: '2026-12-01T10:00:00Z' },
          end: { dateTime: '2026-12-01T11:00:00Z' },
          recurrence: ['RRULE:FREQ=DAILY'],
        },
      }),
    );
    expect(noTz.status).toBe(400);
    const dtstart = await googleError(
      cat.events.insert({ calendarId: 'primary', requestBody: weekly('dtstart01', ['DTSTART:20261201T090000Z']) }),
    );
    expect(dtstart.status).toBe(400);
  });

  it('reports an instance edit and an instance delete in incremental sync as exceptions', async () => {
    await cat.events.insert({ calendarId: 'primary', requestBody: weekly('series0002') });
    const { nextSyncToken } = await listAll(cat, { calendarId: 'primary' });

    const moved = await cat.events.patch({
      calendarId: 'primary',
      eventId: 'series0002_20261208T090000Z',
      requestBody: {
        summary: 'Moved',
        start: { dateTime: '2026-12-08T14:00:00+01:00', timeZone: BERLIN },
        end: { dateTime: '2026-12-08T15:00:00+01:00', timeZone: BERLIN },
      },
    });
    expect(moved.data).toMatchObject({
      id: 'series0002_20261208T090000Z',
      recurringEventId: 'series0002',
      summary: 'Moved',
    });
    fake.control.deleteEvent('cat@client.example', 'cat@client.example', 'series0002_20261215T090000Z');

    const inc = await listAll(cat, { calendarId: 'primary', syncToken: nextSyncToken });
    const byId = Object.fromEntries(inc.items.map((e) => [e.id, e]));
    expect(Object.keys(byId).sort()).toEqual(['series0002_20261208T090000Z', 'series0002_20261215T090000Z']);
    expect(byId['series0002_20261208T090000Z']).toMatchObject({
      status: 'confirmed',
      recurringEventId: 'series0002',
      originalStartTime: { dateTime: '2026-12-08T10:00:00+01:00' },
    });
    expect(byId['series0002_20261215T090000Z']).toMatchObject({
      status: 'cancelled',
      recurringEventId: 'series0002',
      originalStartTime: { dateTime: '2026-12-15T10:00:00+01:00' },
    });

    // Full list (singleEvents=false): parent + modified exception + cancelled exception, even without showDeleted.
    const full = await cat.events.list({ calendarId: 'primary' });
    expect(full.data.items!.map((e) => [e.id, e.status]).sort()).toEqual([
      ['series0002', 'confirmed'],
      ['series0002_20261208T090000Z', 'confirmed'],
      ['series0002_20261215T090000Z', 'cancelled'],
    ]);
    const expanded = await cat.events.list({ calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
    expect(expanded.data.items!.map((e) => e.summary)).toEqual(['Weekly', 'Moved', 'Weekly', 'Weekly']);
    const instances = await cat.events.instances({ calendarId: 'primary', eventId: 'series0002' });
    expect(instances.data.items).toHaveLength(4);
  });

  it('deleting the series cancels it and its exceptions', async () => {
    await cat.events.insert({ calendarId: 'primary', requestBody: weekly('series0003') });
    await cat.events.patch({
      calendarId: 'primary',
      eventId: 'series0003_20261208T090000Z',
      requestBody: { summary: 'x' },
    });
    const { nextSyncToken } = await listAll(cat, { calendarId: 'primary' });
    await cat.events.delete({ calendarId: 'primary', eventId: 'series0003' });
    const inc = await cat.events.list({ calendarId: 'primary', syncToken: nextSyncToken });
    expect(inc.data.items!.map((e) => [e.id, e.status]).sort()).toEqual([
      ['series0003', 'cancelled'],
      ['series0003_20261208T090000Z', 'cancelled'],
    ]);
    expect((await cat.events.list({ calendarId: 'primary', singleEvents: true })).data.items).toEqual([]);
  });

  it('404s an instance id the series does not produce', async () => {
    await cat.events.insert({ calendarId: 'primary', requestBody: weekly('series0004') });
    expect(
      await googleError(cat.events.get({ calendarId: 'primary', eventId: 'series0004_20261202T090000Z' })),
    ).toMatchObject({ status: 404 });
    const inst = await cat.events.get({ calendarId: 'primary', eventId: 'series0004_20261208T090000Z' });
    expect(inst.data.recurringEventId).toBe('series0004');
  });
});
