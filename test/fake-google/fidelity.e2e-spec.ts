import { calendar_v3 } from '@googleapis/calendar';
import { FakeGoogle } from './index';
import { apiFor, authorize, googleError, listAll, oauthClient, startSeeded, timed } from './test-helpers';

type Ev = calendar_v3.Schema$Event;
const G = 'https://www.googleapis.com/auth/';
const TOMBSTONE_KEYS = ['etag', 'id', 'kind', 'status', 'updated'];
const OCCURRENCE_TOMBSTONE_KEYS = [...TOMBSTONE_KEYS, 'originalStartTime', 'recurringEventId'].sort();
const keys = (e: Ev | undefined) => Object.keys(e ?? {}).sort();

/**
 * One test per row of the fidelity table in README.md: the emulator gives Google's least helpful documented
 * (or observed) answer, so a client that passes here relies on nothing Google does not promise.
 */
describe('fake Google: fidelity table', () => {
  let fake: FakeGoogle;
  let ann: calendar_v3.Calendar;
  let cat: calendar_v3.Calendar;
  beforeEach(async () => {
    fake = await startSeeded();
    ann = await apiFor(fake, 'ann@home.example');
    cat = await apiFor(fake, 'cat@client.example');
  });
  afterEach(() => fake.close());

  const tokenOf = async (api: calendar_v3.Calendar) => (await listAll(api, { calendarId: 'primary' })).nextSyncToken;
  const changes = async (api: calendar_v3.Calendar, syncToken: string) =>
    (await listAll(api, { calendarId: 'primary', syncToken })).items;
  const invite = (id: string, extra: Ev = {}) =>
    cat.events.insert({
      calendarId: 'primary',
      requestBody: {
        id,
        summary: 'Client meeting',
        ...timed('2026-12-01T10:00:00Z'),
        attendees: [{ email: 'cat@client.example' }, { email: 'ann@home.example' }, { email: 'dan@client.example' }],
        ...extra,
      },
    });
  const weekly = (summary: string): Ev => ({
    summary,
    ...timed('2026-12-07T09:00:00', 60, 'UTC'),
    recurrence: ['RRULE:FREQ=WEEKLY;COUNT=6'],
  });

  it('T1 an event its owner deleted: incremental listing gives only id, status, etag, updated', async () => {
    const ev = await ann.events.insert({
      requestBody: {
        summary: 'Secret',
        description: 'd',
        ...timed('2026-12-01T10:00:00Z'),
        extendedProperties: { private: { ours: '1' } },
      },
      calendarId: 'primary',
    });
    const token = await tokenOf(ann);
    fake.control.deleteEvent('ann@home.example', 'ann@home.example', ev.data.id!);
    const [tomb] = await changes(ann, token);
    expect(tomb).toMatchObject({ id: ev.data.id, status: 'cancelled' });
    expect(keys(tomb)).toEqual(TOMBSTONE_KEYS);
  });

  it('T2 an event deleted through the API (by an app): the same bare tombstone, also with showDeleted on a full listing', async () => {
    const ev = await ann.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: 'Ours',
        ...timed('2026-12-01T12:00:00Z'),
        extendedProperties: { private: { busybridge: '1' } },
      },
    });
    await ann.events.delete({ calendarId: 'primary', eventId: ev.data.id! });
    const full = await listAll(ann, { calendarId: 'primary', showDeleted: true });
    expect(keys(full.items.find((e) => e.id === ev.data.id))).toEqual(TOMBSTONE_KEYS);
  });

  it('T3 a cancelled occurrence: id, status, recurringEventId, originalStartTime (+ etag, updated), in listings and instances', async () => {
    const series = await ann.events.insert({ calendarId: 'primary', requestBody: weekly('Standup') });
    const token = await tokenOf(ann);
    const third = fake.control.instanceIds('ann@home.example', series.data.id!)[2];
    await ann.events.delete({ calendarId: 'primary', eventId: third });
    const [tomb] = await changes(ann, token);
    expect(tomb).toMatchObject({ id: third, status: 'cancelled', recurringEventId: series.data.id });
    expect(keys(tomb)).toEqual(OCCURRENCE_TOMBSTONE_KEYS);
    const inst = await ann.events.instances({ calendarId: 'primary', eventId: series.data.id!, showDeleted: true });
    expect(keys(inst.data.items!.find((e) => e.id === third))).toEqual(OCCURRENCE_TOMBSTONE_KEYS);
    const plain = await ann.events.list({ calendarId: 'primary' });
    expect(keys(plain.data.items!.find((e) => e.id === third))).toEqual(OCCURRENCE_TOMBSTONE_KEYS);
  });

  it('T4 an invitation the attendee removed: bare in their listing, full details on get', async () => {
    await invite('fidel0004');
    const token = await tokenOf(ann);
    await ann.events.delete({ calendarId: 'primary', eventId: 'fidel0004' });
    const [tomb] = await changes(ann, token);
    expect(keys(tomb)).toEqual(TOMBSTONE_KEYS);
    const got = await ann.events.get({ calendarId: 'primary', eventId: 'fidel0004' });
    expect(got.data).toMatchObject({ status: 'cancelled', summary: 'Client meeting' });
  });

  it('T5 an attendee copy the organizer cancelled: bare in the listing and on get', async () => {
    await invite('fidel0005');
    const token = await tokenOf(ann);
    await cat.events.delete({ calendarId: 'primary', eventId: 'fidel0005' });
    expect(keys((await changes(ann, token))[0])).toEqual(TOMBSTONE_KEYS);
    expect(keys((await ann.events.get({ calendarId: 'primary', eventId: 'fidel0005' })).data)).toEqual(TOMBSTONE_KEYS);
  });

  it("T6 events.get on the organizer's calendar returns a deleted event in full (it can be undeleted)", async () => {
    const ev = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'Mine', ...timed('2026-12-02T10:00:00Z'), extendedProperties: { private: { k: 'v' } } },
    });
    await ann.events.delete({ calendarId: 'primary', eventId: ev.data.id! });
    const got = await ann.events.get({ calendarId: 'primary', eventId: ev.data.id! });
    expect(got.data).toMatchObject({
      status: 'cancelled',
      summary: 'Mine',
      extendedProperties: { private: { k: 'v' } },
    });
  });

  it('T7 organizer.self / creator.self appear only when true, relative to the calendar of the copy', async () => {
    const dan = await apiFor(fake, 'dan@client.example');
    const onTeam = await dan.events.insert({
      calendarId: 'team@group.client.example',
      requestBody: { summary: 'Team', ...timed('2026-12-03T10:00:00Z') },
    });
    expect(onTeam.data.organizer).toEqual({
      email: 'team@group.client.example',
      displayName: 'Client team',
      self: true,
    });
    expect(onTeam.data.creator).toEqual({ email: 'dan@client.example', displayName: 'Dan Client' });
    await invite('fidel0007');
    const copy = (await ann.events.get({ calendarId: 'primary', eventId: 'fidel0007' })).data;
    expect('self' in copy.organizer!).toBe(false);
    expect(copy.attendees!.filter((a) => 'self' in a).map((a) => a.email)).toEqual(['ann@home.example']);
  });

  it('T8 maxAttendees below the guest count: only the participant, with attendeesOmitted', async () => {
    await invite('fidel0008');
    const got = await ann.events.get({ calendarId: 'primary', eventId: 'fidel0008', maxAttendees: 1 });
    expect(got.data.attendeesOmitted).toBe(true);
    expect(got.data.attendees!.map((a) => a.email)).toEqual(['ann@home.example']);
    const listed = await ann.events.list({ calendarId: 'primary', maxAttendees: 2 });
    expect(listed.data.items![0].attendees).toHaveLength(1);
  });

  it("T9 an attendee's own entry alone is an RSVP only with attendeesOmitted; without it, a forbidden shared edit", async () => {
    await invite('fidel0009');
    const own = [{ email: 'ann@home.example', responseStatus: 'declined' }];
    const refused = await googleError(
      ann.events.patch({ calendarId: 'primary', eventId: 'fidel0009', requestBody: { attendees: own } }),
    );
    expect(refused).toMatchObject({ status: 403, reason: 'forbiddenForNonOrganizer' });
    await ann.events.patch({
      calendarId: 'primary',
      eventId: 'fidel0009',
      requestBody: { attendeesOmitted: true, attendees: own },
    });
    const org = await cat.events.get({ calendarId: 'primary', eventId: 'fidel0009' });
    expect(org.data.attendees!.map((a) => [a.email, a.responseStatus])).toEqual([
      ['cat@client.example', 'accepted'],
      ['ann@home.example', 'declined'],
      ['dan@client.example', 'needsAction'],
    ]);
  });

  it('T10 deleting an attendee copy does not decline for the organizer', async () => {
    await invite('fidel0010');
    await ann.events.delete({ calendarId: 'primary', eventId: 'fidel0010' });
    const org = await cat.events.get({ calendarId: 'primary', eventId: 'fidel0010' });
    expect(org.data.attendees!.find((a) => a.email === 'ann@home.example')!.responseStatus).toBe('needsAction');
  });

  it('T11 repeated privateExtendedProperty constraints are ORed (the guide), not ANDed', async () => {
    await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'a', ...timed('2026-12-04T10:00:00Z'), extendedProperties: { private: { origin: 'a' } } },
    });
    await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'b', ...timed('2026-12-04T11:00:00Z'), extendedProperties: { private: { origin: 'b' } } },
    });
    const both = await ann.events.list({ calendarId: 'primary', privateExtendedProperty: ['origin=a', 'origin=b'] });
    expect(both.data.items!.map((e) => e.summary)).toEqual(['a', 'b']);
  });

  it('T12 calendarList minAccessRole filters by the effective role; an unknown role is a 400', async () => {
    const all = await ann.calendarList.list({});
    expect(all.data.items!.map((c) => c.id)).toEqual(['ann@home.example', 'team@group.client.example']);
    const writable = await ann.calendarList.list({ minAccessRole: 'writer' });
    expect(writable.data.items!.map((c) => c.id)).toEqual(['ann@home.example']);
    expect(await googleError(ann.calendarList.list({ minAccessRole: 'editor' }))).toMatchObject({
      status: 400,
      reason: 'invalid',
    });
  });

  it('T13 PUT on a deleted event keeps it deleted unless it says status confirmed; insert of its id is a 409', async () => {
    const body = { summary: 'Back?', ...timed('2026-12-05T10:00:00Z') };
    await ann.events.insert({ calendarId: 'primary', requestBody: { id: 'fidel0013', ...body } });
    await ann.events.delete({ calendarId: 'primary', eventId: 'fidel0013' });
    expect(
      await googleError(ann.events.insert({ calendarId: 'primary', requestBody: { id: 'fidel0013', ...body } })),
    ).toMatchObject({ status: 409, reason: 'duplicate' });
    const still = await ann.events.update({ calendarId: 'primary', eventId: 'fidel0013', requestBody: body });
    expect(still.data.status).toBe('cancelled');
    const revived = await ann.events.update({
      calendarId: 'primary',
      eventId: 'fidel0013',
      requestBody: { ...body, status: 'confirmed' },
    });
    expect(revived.data.status).toBe('confirmed');
  });

  it('T14 tombstones are purged after 7 days: get is a 404, older sync tokens a 410 fullSyncRequired, the id is free again', async () => {
    await ann.events.insert({
      calendarId: 'primary',
      requestBody: { id: 'fidel0014', summary: 'Old', ...timed('2026-12-06T10:00:00Z') },
    });
    const token = await tokenOf(ann);
    await ann.events.delete({ calendarId: 'primary', eventId: 'fidel0014' });
    // Access tokens live an hour of emulator time: a fresh one after each jump.
    fake.control.advanceClock(6 * 86_400_000);
    ann = await apiFor(fake, 'ann@home.example');
    expect(keys((await changes(ann, token))[0])).toEqual(TOMBSTONE_KEYS);
    fake.control.advanceClock(2 * 86_400_000);
    ann = await apiFor(fake, 'ann@home.example');
    expect(await googleError(ann.events.list({ calendarId: 'primary', syncToken: token }))).toMatchObject({
      status: 410,
      reason: 'fullSyncRequired',
    });
    expect(await googleError(ann.events.get({ calendarId: 'primary', eventId: 'fidel0014' }))).toMatchObject({
      status: 404,
    });
    const again = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { id: 'fidel0014', summary: 'New', ...timed('2026-12-06T10:00:00Z') },
    });
    expect(again.data.status).toBe('confirmed');
  });

  it('T15 an exception past an UNTIL trim survives in events.list; events.instances no longer lists it', async () => {
    const series = await ann.events.insert({ calendarId: 'primary', requestBody: weekly('Planning') });
    const ids = fake.control.instanceIds('ann@home.example', series.data.id!);
    await ann.events.patch({ calendarId: 'primary', eventId: ids[4], requestBody: { summary: 'Planning (special)' } });
    await ann.events.patch({
      calendarId: 'primary',
      eventId: series.data.id!,
      requestBody: { recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20261221T000000Z'] },
    });
    const listed = await ann.events.list({ calendarId: 'primary' });
    expect(listed.data.items!.map((e) => e.id)).toContain(ids[4]);
    const inst = await ann.events.instances({ calendarId: 'primary', eventId: series.data.id!, showDeleted: true });
    expect(inst.data.items!.map((e) => e.id)).toEqual(ids.slice(0, 2));
  });

  it('T16 granular consent: the grant covers only what was left ticked; sign-in scopes cannot be unticked', async () => {
    fake.control.setAccountFlags('dan@client.example', { untickedScopes: [`${G}calendar`, 'email'] });
    const client = oauthClient(fake);
    const params = await authorize(fake, client, 'dan@client.example', {
      scope: `openid email ${G}calendar ${G}calendar.calendarlist.readonly`,
    });
    const { tokens } = await client.getToken(params.get('code')!);
    expect(String(tokens.scope).split(' ').sort()).toEqual(
      ['openid', `${G}calendar.calendarlist.readonly`, `${G}userinfo.email`].sort(),
    );
  });

  it('T17 deleting an already deleted event answers 410 deleted', async () => {
    const ev = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'Twice', ...timed('2026-12-08T10:00:00Z') },
    });
    await ann.events.delete({ calendarId: 'primary', eventId: ev.data.id! });
    expect(
      await googleError(ann.events.delete({ calendarId: 'primary', eventId: ev.data.id! }, { retry: false } as never)),
    ).toMatchObject({ status: 410, reason: 'deleted' });
  });
});
