import { calendar_v3 } from '@googleapis/calendar';
import { FakeGoogle } from './index';
import { apiFor, googleError, SCOPE_EVENTS_READONLY, startSeeded, timed } from './test-helpers';

describe('fake Google: calendarList and events CRUD', () => {
  let fake: FakeGoogle;
  let ann: calendar_v3.Calendar;
  beforeAll(async () => {
    fake = await startSeeded();
    ann = await apiFor(fake, 'ann@home.example');
  });
  afterAll(() => fake.close());

  it('lists the calendars an account can see, primary first with accessRole', async () => {
    const { data } = await ann.calendarList.list();
    expect(data.items!.map((c) => [c.id, c.accessRole, c.primary ?? false])).toEqual([
      ['ann@home.example', 'owner', true],
      ['team@group.client.example', 'reader', false],
    ]);
    const entry = await ann.calendarList.get({ calendarId: 'primary' });
    expect(entry.data.id).toBe('ann@home.example');
  });

  it('inserts with a client id, gets, patches, updates and deletes with etags changing', async () => {
    const id = 'abcdef0123456789';
    const created = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { id, summary: 'One', ...timed('2026-12-01T10:00:00Z') },
    });
    expect(created.data).toMatchObject({
      id,
      status: 'confirmed',
      summary: 'One',
      organizer: { email: 'ann@home.example', self: true },
      iCalUID: `${id}@google.com`,
      eventType: 'default',
    });
    expect(created.data.etag).toMatch(/^"\d+"$/);
    const patched = await ann.events.patch({ calendarId: 'primary', eventId: id, requestBody: { description: 'd' } });
    expect(patched.data).toMatchObject({ summary: 'One', description: 'd' });
    expect(patched.data.etag).not.toBe(created.data.etag);
    const updated = await ann.events.update({
      calendarId: 'primary',
      eventId: id,
      requestBody: { summary: 'Two', ...timed('2026-12-01T11:00:00Z') },
    });
    expect(updated.data.description).toBeUndefined();
    expect(updated.data.summary).toBe('Two');
    const del = await ann.events.delete({ calendarId: 'primary', eventId: id });
    expect(del.status).toBe(204);
    const got = await ann.events.get({ calendarId: 'primary', eventId: id });
    expect(got.data.status).toBe('cancelled');
  });

  it('rejects invalid client ids and answers 404 for unknown events', async () => {
    const bad = await googleError(
      ann.events.insert({ calendarId: 'primary', requestBody: { id: 'UPPER_case', ...timed('2026-12-01T10:00:00Z') } }),
    );
    expect(bad).toMatchObject({ status: 400, reason: 'invalid' });
    const missing = await googleError(ann.events.get({ calendarId: 'primary', eventId: 'nosuchevent' }));
    expect(missing).toMatchObject({ status: 404, reason: 'notFound' });
    expect(await googleError(ann.events.delete({ calendarId: 'primary', eventId: 'nosuchevent' }))).toMatchObject({
      status: 404,
    });
  });

  it('keeps a tombstone: re-insert is 409, update with status confirmed revives it', async () => {
    const id = 'tomb00001';
    await ann.events.insert({
      calendarId: 'primary',
      requestBody: { id, summary: 'Old', ...timed('2026-12-02T10:00:00Z') },
    });
    await ann.events.delete({ calendarId: 'primary', eventId: id });
    const dup = await googleError(
      ann.events.insert({
        calendarId: 'primary',
        requestBody: { id, summary: 'New', ...timed('2026-12-02T10:00:00Z') },
      }),
    );
    expect(dup).toMatchObject({ status: 409, reason: 'duplicate' });
    const revived = await ann.events.update({
      calendarId: 'primary',
      eventId: id,
      requestBody: { status: 'confirmed', summary: 'New', ...timed('2026-12-02T10:00:00Z') },
    });
    expect(revived.data.status).toBe('confirmed');
    const listed = await ann.events.list({ calendarId: 'primary' });
    expect(listed.data.items!.map((e) => e.id)).toContain(id);
  });

  it('answers 410 deleted on a second delete', async () => {
    const { data } = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'Twice', ...timed('2026-12-03T10:00:00Z') },
    });
    await ann.events.delete({ calendarId: 'primary', eventId: data.id! });
    expect(await googleError(ann.events.delete({ calendarId: 'primary', eventId: data.id! }))).toMatchObject({
      status: 410,
      reason: 'deleted',
    });
  });

  it('answers 412 conditionNotMet on a stale If-Match', async () => {
    const { data } = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'Etag', ...timed('2026-12-04T10:00:00Z') },
    });
    await ann.events.patch({ calendarId: 'primary', eventId: data.id!, requestBody: { summary: 'Changed' } });
    const stale = { headers: { 'If-Match': data.etag! } };
    expect(
      await googleError(
        ann.events.patch({ calendarId: 'primary', eventId: data.id!, requestBody: { summary: 'X' } }, stale),
      ),
    ).toMatchObject({ status: 412, reason: 'conditionNotMet' });
    expect(await googleError(ann.events.delete({ calendarId: 'primary', eventId: data.id! }, stale))).toMatchObject({
      status: 412,
    });
    const fresh = await ann.events.get({ calendarId: 'primary', eventId: data.id! });
    const ok = await ann.events.patch(
      { calendarId: 'primary', eventId: data.id!, requestBody: { summary: 'Y' } },
      { headers: { 'If-Match': fresh.data.etag! } },
    );
    expect(ok.data.summary).toBe('Y');
  });

  it('enforces access roles: reader write -> 403 requiredAccessLevel, unshared calendar -> 404', async () => {
    const write = await googleError(
      ann.events.insert({
        calendarId: 'team@group.client.example',
        requestBody: { summary: 'nope', ...timed('2026-12-05T10:00:00Z') },
      }),
    );
    expect(write).toMatchObject({ status: 403, reason: 'requiredAccessLevel' });
    expect(JSON.stringify(write.body)).toContain('You need to have writer access to this calendar.');
    const unshared = await googleError(ann.events.list({ calendarId: 'dan@client.example' }));
    expect(unshared).toMatchObject({ status: 404, reason: 'notFound' });
    const dan = await apiFor(fake, 'dan@client.example');
    const asWriter = await dan.events.insert({
      calendarId: 'team@group.client.example',
      requestBody: { summary: 'ok', ...timed('2026-12-05T10:00:00Z') },
    });
    expect(asWriter.data).toMatchObject({
      organizer: { email: 'team@group.client.example' },
      creator: { email: 'dan@client.example' },
    });
  });

  it('enforces scopes: a readonly token cannot insert', async () => {
    const ro = await apiFor(fake, 'ben@home.example', `openid email ${SCOPE_EVENTS_READONLY}`);
    await ro.events.list({ calendarId: 'primary' });
    const err = await googleError(
      ro.events.insert({ calendarId: 'primary', requestBody: { summary: 'x', ...timed('2026-12-06T10:00:00Z') } }),
    );
    expect(err).toMatchObject({ status: 403, reason: 'insufficientPermissions' });
    expect(await googleError(ro.calendarList.list())).toMatchObject({ status: 403, reason: 'insufficientPermissions' });
  });

  it('stores eventType and extended properties and filters on them (AND when configured)', async () => {
    fake.control.setOptions({ extendedPropertyFilter: 'and' });
    await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'ooo', eventType: 'outOfOffice', ...timed('2026-12-07T10:00:00Z') },
    });
    const tagged = await ann.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: 'tagged',
        ...timed('2026-12-07T12:00:00Z'),
        extendedProperties: { private: { origin: 'a', kind: 'busy' }, shared: { s: '1' } },
      },
    });
    await ann.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: 'other',
        ...timed('2026-12-07T13:00:00Z'),
        extendedProperties: { private: { origin: 'b' } },
      },
    });
    const both = await ann.events.list({ calendarId: 'primary', privateExtendedProperty: ['origin=a', 'kind=busy'] });
    expect(both.data.items!.map((e) => e.id)).toEqual([tagged.data.id]);
    const none = await ann.events.list({ calendarId: 'primary', privateExtendedProperty: ['origin=a', 'origin=b'] });
    expect(none.data.items).toEqual([]);
    fake.control.setOptions({ extendedPropertyFilter: 'or' });
    const either = await ann.events.list({ calendarId: 'primary', privateExtendedProperty: ['origin=a', 'origin=b'] });
    expect(either.data.items).toHaveLength(2);
    const shared = await ann.events.list({ calendarId: 'primary', sharedExtendedProperty: ['s=1'] });
    expect(shared.data.items!.map((e) => e.id)).toEqual([tagged.data.id]);
    const types = await ann.events.list({ calendarId: 'primary', eventTypes: ['outOfOffice'] });
    expect(types.data.items!.map((e) => e.summary)).toEqual(['ooo']);
  });
});
