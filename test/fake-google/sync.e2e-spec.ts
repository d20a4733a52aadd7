import { calendar_v3 } from '@googleapis/calendar';
import { FakeGoogle } from './index';
import { apiFor, googleError, listAll, startSeeded, timed } from './test-helpers';

describe('fake Google: incremental sync and paging', () => {
  let fake: FakeGoogle;
  let ann: calendar_v3.Calendar;
  beforeEach(async () => {
    fake = await startSeeded();
    ann = await apiFor(fake, 'ann@home.example');
  });
  afterEach(() => fake.close());

  it('round-trips a sync token: only changes since, including deletions', async () => {
    const keep = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'keep', ...timed('2026-12-01T10:00:00Z') },
    });
    const gone = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'gone', ...timed('2026-12-01T12:00:00Z') },
    });
    const full = await listAll(ann, { calendarId: 'primary' });
    expect(full.items).toHaveLength(2);

    const empty = await ann.events.list({ calendarId: 'primary', syncToken: full.nextSyncToken });
    expect(empty.data.items).toEqual([]);
    expect(empty.data.nextSyncToken).toBeTruthy();

    await ann.events.patch({ calendarId: 'primary', eventId: keep.data.id!, requestBody: { summary: 'kept' } });
    await ann.events.delete({ calendarId: 'primary', eventId: gone.data.id! });
    fake.control.createEvent('ann@home.example', 'ann@home.example', {
      summary: 'by person',
      ...timed('2026-12-02T10:00:00Z'),
    });
    const inc = await listAll(ann, { calendarId: 'primary', syncToken: empty.data.nextSyncToken! });
    const byId = Object.fromEntries(inc.items.map((e) => [e.summary ?? e.id, e.status]));
    expect(byId).toEqual({ kept: 'confirmed', [gone.data.id!]: 'cancelled', 'by person': 'confirmed' });

    const again = await ann.events.list({ calendarId: 'primary', syncToken: inc.nextSyncToken });
    expect(again.data.items).toEqual([]);
  });

  it('rejects parameters that are not allowed with syncToken (400)', async () => {
    const { nextSyncToken } = await listAll(ann, { calendarId: 'primary' });
    const err = await googleError(
      ann.events.list({ calendarId: 'primary', syncToken: nextSyncToken, timeMin: '2026-01-01T00:00:00Z' }),
    );
    expect(err.status).toBe(400);
  });

  it('answers 410 fullSyncRequired for an invalidated or garbage token, then a full re-list works', async () => {
    await ann.events.insert({ calendarId: 'primary', requestBody: { summary: 'a', ...timed('2026-12-01T10:00:00Z') } });
    const { nextSyncToken } = await listAll(ann, { calendarId: 'primary' });
    fake.control.invalidateSyncTokens('ann@home.example');
    const err = await googleError(ann.events.list({ calendarId: 'primary', syncToken: nextSyncToken }));
    expect(err).toMatchObject({ status: 410, reason: 'fullSyncRequired' });
    expect(await googleError(ann.events.list({ calendarId: 'primary', syncToken: 'garbage' }))).toMatchObject({
      status: 410,
    });
    const relist = await listAll(ann, { calendarId: 'primary' });
    expect(relist.items.map((e) => e.summary)).toEqual(['a']);
    const ok = await ann.events.list({ calendarId: 'primary', syncToken: relist.nextSyncToken });
    expect(ok.status).toBe(200);
  });

  it('pages with a small maxResults; nextSyncToken only on the last page; changes during paging are not lost', async () => {
    for (let i = 0; i < 7; i++) {
      await ann.events.insert({
        calendarId: 'primary',
        requestBody: { summary: `e${i}`, ...timed(`2026-12-0${i + 1}T10:00:00Z`) },
      });
    }
    const first = await ann.events.list({ calendarId: 'primary', maxResults: 3 });
    expect(first.data.items).toHaveLength(3);
    expect(first.data.nextPageToken).toBeTruthy();
    expect(first.data.nextSyncToken).toBeUndefined();
    // Written while the client pages: must show up in the next incremental sync.
    const late = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'late', ...timed('2026-11-30T10:00:00Z') },
    });
    const rest = await listAll(ann, {
      calendarId: 'primary',
      maxResults: 3,
      pageToken: first.data.nextPageToken!,
    } as calendar_v3.Params$Resource$Events$List);
    const seen = [...first.data.items!, ...rest.items].map((e) => e.summary);
    expect(seen.filter((s) => s?.startsWith('e')).sort()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    const inc = await ann.events.list({ calendarId: 'primary', syncToken: rest.nextSyncToken });
    expect(inc.data.items!.map((e) => e.id)).toContain(late.data.id);
  });

  it('lists cancelled events only with showDeleted or during incremental sync', async () => {
    const ev = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'x', ...timed('2026-12-01T10:00:00Z') },
    });
    await ann.events.delete({ calendarId: 'primary', eventId: ev.data.id! });
    expect((await ann.events.list({ calendarId: 'primary' })).data.items).toEqual([]);
    const withDeleted = await ann.events.list({ calendarId: 'primary', showDeleted: true });
    expect(withDeleted.data.items!.map((e) => e.status)).toEqual(['cancelled']);
  });

  it('filters by timeMin/timeMax and iCalUID', async () => {
    await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'early', ...timed('2026-12-01T10:00:00Z') },
    });
    const late = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'late', ...timed('2026-12-10T10:00:00Z') },
    });
    const win = await ann.events.list({
      calendarId: 'primary',
      timeMin: '2026-12-05T00:00:00Z',
      timeMax: '2026-12-31T00:00:00Z',
    });
    expect(win.data.items!.map((e) => e.summary)).toEqual(['late']);
    const byUid = await ann.events.list({ calendarId: 'primary', iCalUID: late.data.iCalUID! });
    expect(byUid.data.items!.map((e) => e.summary)).toEqual(['late']);
    expect(
      await googleError(
        ann.events.list({ calendarId: 'primary', timeMin: '2026-12-05T00:00:00Z', timeMax: '2026-12-01T00:00:00Z' }),
      ),
    ).toMatchObject({ status: 400, reason: 'timeRangeEmpty' });
  });

  it('purges tombstones after the configured TTL; older sync tokens then 410', async () => {
    const ev = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { id: 'purgeme01', summary: 'x', ...timed('2026-12-01T10:00:00Z') },
    });
    const { nextSyncToken } = await listAll(ann, { calendarId: 'primary' });
    await ann.events.delete({ calendarId: 'primary', eventId: ev.data.id! });
    fake.control.setTombstoneTtl(60);
    fake.control.advanceClock(61_000);
    const relist = await ann.events.list({ calendarId: 'primary', showDeleted: true });
    expect(relist.data.items).toEqual([]);
    expect(await googleError(ann.events.list({ calendarId: 'primary', syncToken: nextSyncToken }))).toMatchObject({
      status: 410,
    });
    const reinsert = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { id: 'purgeme01', summary: 'again', ...timed('2026-12-01T10:00:00Z') },
    });
    expect(reinsert.status).toBe(200);
  });
});
