import { FakeMicrosoft } from './index';
import { graphFor, startSeeded, timed, tokenFor } from './test-helpers';

type Json = Record<string, unknown>;
const XPROP = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name BusyBridgeOrigin';

describe('fake Microsoft: calendars and events (checklist rows 7-17)', () => {
  let fake: FakeMicrosoft;
  let ann: ReturnType<typeof graphFor>;
  let ben: ReturnType<typeof graphFor>;
  beforeAll(async () => {
    fake = await startSeeded({
      events: [
        {
          mailbox: 'eve@outlook.example',
          event: { subject: 'Legacy', ...timed('2030-01-07T09:00:00') },
          legacyCustomZone: true,
        },
      ],
    });
    ann = graphFor(fake, tokenFor(fake, 'ann@contoso.example'));
    ben = graphFor(fake, tokenFor(fake, 'ben@contoso.example'));
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.control.clearMails());

  const create = async (
    g: ReturnType<typeof graphFor>,
    body: Json,
    path = '/me/events',
    headers?: Record<string, string>,
  ) => {
    const res = await g('POST', path, body, headers);
    if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  it('row 7: /me/calendars with canEdit, isDefaultCalendar, owner, and a shared read-only calendar (canEdit:false) that rejects writes with 403 ErrorAccessDenied', async () => {
    const list = await ann<{ value: Json[] }>('GET', '/me/calendars');
    const byName = Object.fromEntries(list.body.value.map((c) => [c.name, c]));
    expect(byName.Calendar).toMatchObject({
      isDefaultCalendar: true,
      canEdit: true,
      owner: { name: 'Ann Contoso', address: 'ann@contoso.example' },
    });
    expect(byName.Team).toMatchObject({
      isDefaultCalendar: false,
      canEdit: false,
      owner: { name: 'Ben Contoso', address: 'ben@contoso.example' },
    });
    expect(byName['Shared Board']).toMatchObject({ canEdit: true });
    const team = String(byName.Team.id);
    const bens = await create(
      ben,
      { subject: 'Team offsite', ...timed('2030-01-08T09:00:00') },
      `/me/calendars/${team}/events`,
    );
    expect((await ann('GET', `/me/calendars/${team}/events/${bens.id}`)).status).toBe(200);
    for (const res of [
      await ann('POST', `/me/calendars/${team}/events`, { subject: 'x', ...timed('2030-01-08T10:00:00') }),
      await ann('PATCH', `/me/calendars/${team}/events/${bens.id}`, { subject: 'hijack' }),
      await ann('DELETE', `/me/calendars/${team}/events/${bens.id}`),
    ])
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'ErrorAccessDenied' } } });
    expect(
      (
        await ann('POST', `/me/calendars/${byName['Shared Board'].id}/events`, {
          subject: 'ok',
          ...timed('2030-01-08T11:00:00'),
        })
      ).status,
    ).toBe(201);
    const paged = await ann<{ value: Json[]; '@odata.nextLink'?: string }>('GET', '/me/calendars?$top=2');
    expect(paged.body.value).toHaveLength(2);
    expect((await ann<{ value: Json[] }>('GET', paged.body['@odata.nextLink']!)).body.value).toHaveLength(1);
  });

  it('row 8: event ids are long, case-sensitive, opaque; short or garbled ids → 400 ErrorInvalidIdMalformed', async () => {
    const ev = await create(ann, { subject: 'ids', ...timed('2030-01-09T09:00:00') });
    const id = String(ev.id);
    expect(id.length).toBeGreaterThanOrEqual(100);
    const i = [...id].findIndex((ch, k) => k > 10 && /[a-z]/.test(ch));
    const flipped = id.slice(0, i) + id[i].toUpperCase() + id.slice(i + 1);
    expect((await ann('GET', `/me/events/${flipped}`)).body).toMatchObject({ error: { code: 'ErrorItemNotFound' } });
    for (const bad of ['abc', `${id.slice(0, 50)}!!${id.slice(52)}`]) {
      expect(await ann('GET', `/me/events/${encodeURIComponent(bad)}`)).toMatchObject({
        status: 400,
        body: { error: { code: 'ErrorInvalidIdMalformed' } },
      });
    }
    expect((await ann('GET', `/me/events/${id}`)).status).toBe(200);
  });

  it('row 9: ids change when moved between calendars unless Prefer: IdType="ImmutableId"', async () => {
    const immutable = { prefer: 'IdType="ImmutableId"' };
    const rest = await create(ben, { subject: 'movable', ...timed('2030-01-10T09:00:00') });
    const stable = String((await ben('GET', `/me/events/${rest.id}`, undefined, immutable)).body.id);
    expect(stable).not.toBe(rest.id);
    const moved = fake.control.moveEvent(String(rest.id), fake.control.calendarId('ben@contoso.example', 'Team'));
    expect(moved.id).not.toBe(rest.id);
    expect((await ben('GET', `/me/events/${rest.id}`)).status).toBe(404);
    const again = await ben('GET', `/me/events/${stable}`, undefined, immutable);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: stable, subject: 'movable' });
    expect(again.headers.get('preference-applied')).toContain('IdType="ImmutableId"');
  });

  it('row 10: iCalUId is server-assigned and read-only, and differs per occurrence', async () => {
    const ev = await create(ann, { subject: 'uid', iCalUId: 'mine@example', ...timed('2030-01-11T09:00:00') });
    expect(ev.iCalUId).not.toBe('mine@example');
    expect((await ann('PATCH', `/me/events/${ev.id}`, { iCalUId: 'other' })).body.iCalUId).toBe(ev.iCalUId);
    const series = await create(ann, {
      subject: 'daily',
      ...timed('2030-02-04T09:00:00'),
      recurrence: {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'numbered', startDate: '2030-02-04', numberOfOccurrences: 3 },
      },
    });
    const inst = await ann<{ value: Json[] }>(
      'GET',
      `/me/events/${series.id}/instances?startDateTime=2030-02-01T00:00:00Z&endDateTime=2030-02-10T00:00:00Z`,
    );
    const uids = new Set([series.iCalUId, ...inst.body.value.map((o) => o.iCalUId)]);
    expect(inst.body.value).toHaveLength(3);
    expect(uids.size).toBe(4);
  });

  it('row 11: transactionId de-duplicates a repeated POST, is immutable on PATCH, and is echoed only when set', async () => {
    const body = { subject: 'Busy', transactionId: 'bb-7f3a-origin-target', ...timed('2030-01-12T09:00:00') };
    const first = await create(ann, body);
    const retry = await create(ann, body);
    expect(retry.id).toBe(first.id);
    expect(first.transactionId).toBe('bb-7f3a-origin-target');
    const list = await ann<{ value: Json[] }>('GET', '/me/events?$top=100');
    expect(list.body.value.filter((e) => e.transactionId === 'bb-7f3a-origin-target')).toHaveLength(1);
    expect(await ann('PATCH', `/me/events/${first.id}`, { transactionId: 'changed' })).toMatchObject({ status: 400 });
    expect(
      (await ann('PATCH', `/me/events/${first.id}`, { transactionId: 'bb-7f3a-origin-target', subject: 'Busy 2' }))
        .status,
    ).toBe(200);
    const plain = await create(ann, { subject: 'no tx', ...timed('2030-01-12T11:00:00') });
    expect('transactionId' in plain).toBe(false);
  });

  it('row 12: POST with attendees records a sent invitation; DELETE of an organizer meeting records a cancellation (tests can assert zero mails)', async () => {
    const busy = await create(ann, { subject: 'Busy', ...timed('2030-01-13T09:00:00'), showAs: 'busy' });
    await ann('DELETE', `/me/events/${busy.id}`);
    expect(fake.control.mails()).toEqual([]);
    const meeting = await create(ann, {
      subject: 'Review',
      ...timed('2030-01-13T10:00:00'),
      attendees: [
        { emailAddress: { address: 'ben@contoso.example', name: 'Ben' } },
        { emailAddress: { address: 'zed@elsewhere.example' } },
      ],
    });
    expect(fake.control.mails()).toEqual([
      expect.objectContaining({
        kind: 'invitation',
        from: 'ann@contoso.example',
        to: ['ben@contoso.example', 'zed@elsewhere.example'],
        subject: 'Review',
      }),
    ]);
    const copy = fake.control
      .events(fake.control.calendarId('ben@contoso.example'))
      .find((e) => e.subject === 'Review')!;
    expect(copy).toMatchObject({
      isOrganizer: false,
      responseStatus: { response: 'notResponded' },
      organizer: { emailAddress: { address: 'ann@contoso.example' } },
    });
    expect((await ann('DELETE', `/me/events/${meeting.id}`)).status).toBe(204);
    expect(fake.control.mails().map((m) => m.kind)).toEqual(['invitation', 'cancellation']);
    expect((await ben('GET', `/me/events/${copy.id}`)).body).toMatchObject({ isCancelled: true });
  });

  it('row 13: isAllDay requires midnight-to-midnight in the same zone, else 400; inverted ranges → 400; zero-length is accepted', async () => {
    const day = (s: string, e: string, tz = 'UTC', tz2 = tz) => ({
      isAllDay: true,
      start: { dateTime: s, timeZone: tz },
      end: { dateTime: e, timeZone: tz2 },
    });
    expect(
      (await ann('POST', '/me/events', { subject: 'a', ...day('2030-01-14T00:00:00', '2030-01-15T00:00:00') })).status,
    ).toBe(201);
    expect(
      (
        await ann('POST', '/me/events', {
          subject: 'b',
          ...day('2030-01-14T00:00:00', '2030-01-15T00:00:00', 'Pacific Standard Time'),
        })
      ).status,
    ).toBe(201);
    for (const bad of [
      day('2030-01-14T09:00:00', '2030-01-15T00:00:00'),
      day('2030-01-14T00:00:00', '2030-01-15T00:00:00', 'UTC', 'Pacific Standard Time'),
    ]) {
      expect((await ann('POST', '/me/events', { subject: 'bad', ...bad })).status).toBe(400);
    }
    const inverted = {
      start: { dateTime: '2030-01-14T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2030-01-14T09:00:00', timeZone: 'UTC' },
    };
    expect((await ann('POST', '/me/events', { subject: 'inv', ...inverted })).status).toBe(400);
    const zero = await ann('POST', '/me/events', { subject: 'zero', start: inverted.start, end: inverted.start });
    expect(zero.status).toBe(201);
    const ev = await create(ann, { subject: 'patch me', ...timed('2030-01-14T12:00:00') });
    expect((await ann('PATCH', `/me/events/${ev.id}`, { isAllDay: true })).status).toBe(400);
    expect(
      (await ann('PATCH', `/me/events/${ev.id}`, { end: { dateTime: '2030-01-14T11:00:00', timeZone: 'UTC' } })).status,
    ).toBe(400);
  });

  it('row 14: Prefer outlook.timezone and outlook.body-content-type are honoured; originalStartTimeZone uses Windows names, sometimes tzone://Microsoft/Custom', async () => {
    const ev = await create(ann, {
      subject: 'zones',
      body: { contentType: 'html', content: '<p>Hello <b>there</b></p>' },
      start: { dateTime: '2030-07-01T09:00:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2030-07-01T10:00:00', timeZone: 'Europe/Berlin' },
    });
    expect(ev).toMatchObject({
      originalStartTimeZone: 'W. Europe Standard Time',
      start: { dateTime: '2030-07-01T07:00:00.0000000', timeZone: 'UTC' },
    });
    expect((ev.body as Json).contentType).toBe('html');
    const pst = await ann('GET', `/me/events/${ev.id}`, undefined, {
      prefer: 'outlook.timezone="Pacific Standard Time", outlook.body-content-type="text"',
    });
    expect(pst.body).toMatchObject({
      start: { dateTime: '2030-07-01T00:00:00.0000000', timeZone: 'Pacific Standard Time' },
      body: { contentType: 'text', content: 'Hello there' },
    });
    expect(pst.headers.get('preference-applied')).toContain('outlook.timezone="Pacific Standard Time"');
    const eve = graphFor(fake, tokenFor(fake, 'eve@outlook.example'));
    const legacy = (await eve<{ value: Json[] }>('GET', '/me/events')).body.value.find((e) => e.subject === 'Legacy');
    expect(legacy).toMatchObject({ originalStartTimeZone: 'tzone://Microsoft/Custom' });
  });

  it('row 15: categories, showAs (6 values), sensitivity (4 values), isReminderOn, responseStatus.response incl. none, isOrganizer, isCancelled', async () => {
    for (const showAs of ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']) {
      for (const sensitivity of ['normal', 'personal', 'private', 'confidential'].slice(0, showAs === 'busy' ? 4 : 1)) {
        const ev = await create(ann, { subject: 's', showAs, sensitivity, ...timed('2030-01-15T09:00:00') });
        expect(ev).toMatchObject({ showAs, sensitivity });
      }
    }
    expect(
      (await ann('POST', '/me/events', { subject: 'x', showAs: 'away', ...timed('2030-01-15T09:00:00') })).body,
    ).toMatchObject({ error: { code: 'RequestBodyRead' } });
    expect(
      (await ann('POST', '/me/events', { subject: 'x', sensitivity: 'secret', ...timed('2030-01-15T09:00:00') }))
        .status,
    ).toBe(400);
    expect(
      (await ann('POST', '/me/events', { subject: 'x', visibility: 'private', ...timed('2030-01-15T09:00:00') }))
        .status,
    ).toBe(400);
    const busy = await create(ann, {
      subject: 'Busy',
      categories: ['BusyBridge'],
      isReminderOn: false,
      sensitivity: 'private',
      ...timed('2030-01-15T10:00:00'),
    });
    expect(busy).toMatchObject({
      categories: ['BusyBridge'],
      isReminderOn: false,
      isOrganizer: true,
      isCancelled: false,
      responseStatus: { response: 'none' },
      attendees: [],
    });
    const meeting = await create(ann, {
      subject: 'Sync',
      ...timed('2030-01-15T11:00:00'),
      attendees: [{ emailAddress: { address: 'ben@contoso.example' } }],
    });
    expect(meeting.responseStatus).toMatchObject({ response: 'organizer' });
  });

  it('row 16: singleValueExtendedProperties: create via POST/PATCH; $filter=…/Any(ep: …) on /events; $expand=…($filter=id eq …)', async () => {
    const marked = await create(ann, {
      subject: 'marked',
      singleValueExtendedProperties: [{ id: XPROP, value: 'origin-1' }],
      ...timed('2030-01-16T09:00:00'),
    });
    const later = await create(ann, { subject: 'later', ...timed('2030-01-16T10:00:00') });
    await ann('PATCH', `/me/events/${later.id}`, { singleValueExtendedProperties: [{ id: XPROP, value: 'origin-2' }] });
    expect(marked.singleValueExtendedProperties).toBeUndefined();
    const filter = (v?: string) =>
      encodeURIComponent(
        `singleValueExtendedProperties/Any(ep: ep/id eq '${XPROP}'${v ? ` and ep/value eq '${v}'` : ''})`,
      );
    const one = await ann<{ value: Json[] }>('GET', `/me/events?$filter=${filter('origin-1')}`);
    expect(one.body.value.map((e) => e.id)).toEqual([marked.id]);
    const cal = fake.control.calendarId('ann@contoso.example');
    const both = await ann<{ value: Json[] }>('GET', `/me/calendars/${cal}/events?$filter=${filter()}&$top=50`);
    expect(both.body.value.map((e) => e.id).sort()).toEqual([marked.id, later.id].sort());
    const expanded = await ann(
      'GET',
      `/me/events/${marked.id}?$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${XPROP}')`)}`,
    );
    expect(expanded.body.singleValueExtendedProperties).toEqual([{ id: XPROP, value: 'origin-1' }]);
    expect((await ann('GET', `/me/events/${marked.id}?$expand=singleValueExtendedProperties`)).status).toBe(400);
    expect(
      (
        await ann('POST', '/me/events', {
          subject: 'bad',
          singleValueExtendedProperties: [{ id: 'BusyBridge', value: 'x' }],
          ...timed('2030-01-16T11:00:00'),
        })
      ).status,
    ).toBe(400);
  });

  it('row 17: @odata.etag and changeKey bump on every write; If-Match mismatch → 412 ErrorIrresolvableConflict', async () => {
    const ev = await create(ann, { subject: 'v1', ...timed('2030-01-17T09:00:00') });
    expect(ev['@odata.etag']).toBe(`W/"${ev.changeKey}"`);
    const v2 = await ann('PATCH', `/me/events/${ev.id}`, { subject: 'v2' }, { 'if-match': String(ev['@odata.etag']) });
    expect(v2.status).toBe(200);
    expect(v2.body.changeKey).not.toBe(ev.changeKey);
    expect(v2.body['@odata.etag']).not.toBe(ev['@odata.etag']);
    const stale = await ann(
      'PATCH',
      `/me/events/${ev.id}`,
      { subject: 'v3' },
      { 'if-match': String(ev['@odata.etag']) },
    );
    expect(stale).toMatchObject({ status: 412, body: { error: { code: 'ErrorIrresolvableConflict' } } });
    expect(
      (await ann('DELETE', `/me/events/${ev.id}`, undefined, { 'if-match': String(ev['@odata.etag']) })).status,
    ).toBe(412);
    expect((await ann('GET', `/me/events/${ev.id}`)).body.subject).toBe('v2');
    expect(
      (await ann('DELETE', `/me/events/${ev.id}`, undefined, { 'if-match': String(v2.body['@odata.etag']) })).status,
    ).toBe(204);
  });
});
