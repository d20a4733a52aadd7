import { FakeMicrosoft } from './index';
import { followPages, graphFor, Page, startSeeded, timed, tokenFor } from './test-helpers';

type Json = Record<string, unknown>;
const WINDOW = 'startDateTime=2030-05-01T00:00:00Z&endDateTime=2030-06-01T00:00:00Z';

describe('fake Microsoft: calendarView and delta (checklist rows 21-27)', () => {
  let fake: FakeMicrosoft;
  let ann: ReturnType<typeof graphFor>;
  beforeEach(async () => {
    fake = await startSeeded();
    fake.control.setOptions({ repeatShare: 0, tombstoneWithoutTypeShare: 0 });
    ann = graphFor(fake, tokenFor(fake, 'ann@contoso.example'));
  });
  afterEach(() => fake.close());

  const add = (subject: string, start: string, extra: Json = {}) =>
    fake.control.createEvent('ann@contoso.example', { subject, ...timed(start), ...extra });
  const pages = (first: string, size = 2) =>
    followPages((url) => ann<Page>('GET', url, undefined, { prefer: `odata.maxpagesize=${size}` }), first);
  const ids = (rows: Json[]) => rows.map((r) => r.id);
  const weekly = {
    recurrence: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' },
      range: { type: 'noEnd', startDate: '2030-05-06' },
    },
  };

  it('row 21: calendarView requires startDateTime/endDateTime and expands occurrences; @odata.nextLink paging; $top', async () => {
    const single = add('single', '2030-05-02T09:00:00');
    const master = add('weekly', '2030-05-06T09:00:00', weekly);
    add('outside', '2030-07-01T09:00:00');
    expect((await ann('GET', '/me/calendarView')).status).toBe(400);
    expect((await ann('GET', '/me/calendarView?startDateTime=2030-05-01T00:00:00Z')).status).toBe(400);
    const all = await followPages((url) => ann<Page>('GET', url), `/me/calendarView?${WINDOW}&$top=2`);
    expect(all.pages).toBe(3);
    expect(all.rows.map((r) => r.type).sort()).toEqual([
      'occurrence',
      'occurrence',
      'occurrence',
      'occurrence',
      'singleInstance',
    ]);
    expect(ids(all.rows)).toContain(single.id);
    expect(ids(all.rows)).not.toContain(master.id);
    expect(all.rows.filter((r) => r.type === 'occurrence').every((r) => r.seriesMasterId === master.id)).toBe(true);
    const cal = fake.control.calendarId('ann@contoso.example');
    const perCalendar = await ann<Page>('GET', `/me/calendars/${cal}/calendarView?${WINDOW}`, undefined, {
      prefer: 'odata.maxpagesize=3',
    });
    expect(perCalendar.body.value).toHaveLength(3);
    expect(perCalendar.body['@odata.nextLink']).toContain('$skip=3');
  });

  it('row 22: calendarView/delta (primary and per-calendar) with opaque skip/delta tokens that encode the window', async () => {
    for (let d = 10; d < 15; d++) add(`e${d}`, `2030-05-${d}T09:00:00`);
    const cal = fake.control.calendarId('ann@contoso.example');
    for (const path of ['/me/calendarView/delta', `/me/calendars/${cal}/calendarView/delta`]) {
      const round = await pages(`${path}?${WINDOW}`);
      expect(round.pages).toBe(3);
      expect(round.rows).toHaveLength(5);
      expect(round.deltaLink).toMatch(/\$deltatoken=/);
      expect(round.deltaLink).not.toMatch(/startDateTime|2030/);
      const empty = await pages(round.deltaLink!);
      expect(empty.rows).toEqual([]);
    }
    const round = await pages(`/me/calendarView/delta?${WINDOW}`);
    const added = add('new', '2030-05-20T09:00:00');
    const next = await pages(round.deltaLink!);
    expect(ids(next.rows)).toEqual([added.id]);
    expect(next.rows[0]).toMatchObject({ subject: 'new', type: 'singleInstance' });
  });

  it('row 23: delta rejects $select/$expand/$filter/$orderby/$search', async () => {
    for (const q of [
      '$select=subject',
      '$expand=extensions',
      "$filter=subject eq 'x'",
      '$orderby=start/dateTime',
      '$search="x"',
    ]) {
      const res = await ann('GET', `/me/calendarView/delta?${WINDOW}&${encodeURI(q)}`);
      expect([q, res.status]).toEqual([q, 400]);
    }
    expect((await ann('GET', '/me/calendarView/delta')).status).toBe(400);
  });

  it('row 24: delta returns @removed{reason:"deleted"} for deletions and for changes outside the window', async () => {
    const gone = add('gone', '2030-05-10T09:00:00');
    const leaves = add('leaves', '2030-05-11T09:00:00');
    const outside = add('outside', '2030-08-01T09:00:00');
    const base = await pages(`/me/calendarView/delta?${WINDOW}`, 10);
    expect(ids(base.rows).sort()).toEqual([gone.id, leaves.id].sort());
    fake.control.deleteEvent('ann@contoso.example', String(gone.id));
    fake.control.updateEvent('ann@contoso.example', String(leaves.id), timed('2030-09-01T09:00:00'));
    fake.control.updateEvent('ann@contoso.example', String(outside.id), { subject: 'still outside' });
    const born = add('born outside', '2030-10-01T09:00:00');
    const next = await pages(base.deltaLink!, 10);
    const removed = next.rows.filter((r) => r['@removed']);
    expect(next.rows).toHaveLength(removed.length);
    expect(ids(removed).sort()).toEqual([gone.id, leaves.id, outside.id, born.id].sort());
    for (const r of removed)
      expect(r).toMatchObject({ '@odata.type': '#microsoft.graph.event', '@removed': { reason: 'deleted' } });
  });

  it('row 25: the same entity may repeat within a round, and replays may cross rounds', async () => {
    fake.control.setOptions({ repeatShare: 1 });
    for (let d = 10; d < 16; d++) add(`e${d}`, `2030-05-${d}T09:00:00`);
    const round = await pages(`/me/calendarView/delta?${WINDOW}`, 2);
    expect(round.rows.length).toBeGreaterThan(6);
    expect(new Set(ids(round.rows)).size).toBe(6);
    const replay = await pages(round.deltaLink!, 10);
    expect(replay.rows.length).toBeGreaterThan(0);
    expect(replay.rows.every((r) => !r['@removed'] && ids(round.rows).includes(r.id))).toBe(true);
  });

  it('row 26: tombstones may omit type; a seriesMaster may appear', async () => {
    const master = add('weekly', '2030-05-06T09:00:00', weekly);
    const a = add('a', '2030-05-10T09:00:00');
    const b = add('b', '2030-05-11T09:00:00');
    const base = await pages(`/me/calendarView/delta?${WINDOW}`, 50);
    expect(base.rows.find((r) => r.id === master.id)).toMatchObject({
      type: 'seriesMaster',
      recurrence: { pattern: { type: 'weekly' } },
    });
    fake.control.deleteEvent('ann@contoso.example', String(a.id));
    fake.control.setOptions({ tombstoneWithoutTypeShare: 1 });
    const first = await pages(base.deltaLink!, 50);
    expect(first.rows).toEqual([
      { '@odata.type': '#microsoft.graph.event', id: a.id, '@removed': { reason: 'deleted' } },
    ]);
    fake.control.deleteEvent('ann@contoso.example', String(master.id));
    fake.control.deleteEvent('ann@contoso.example', String(b.id));
    fake.control.setOptions({ tombstoneWithoutTypeShare: 0 });
    const second = await pages(first.deltaLink!, 50);
    expect(second.rows.every((r) => r['@removed'] && typeof r.type === 'string')).toBe(true);
    expect(second.rows.find((r) => r.id === master.id)).toMatchObject({ type: 'seriesMaster' });
    expect(second.rows.filter((r) => r.type === 'occurrence')).toHaveLength(4);
  });

  it('row 27: injectable 410 Gone + Location, and syncStateNotFound (4xx), for token expiry', async () => {
    add('x', '2030-05-10T09:00:00');
    const cal = fake.control.calendarId('ann@contoso.example');
    const first = await pages(`/me/calendarView/delta?${WINDOW}`);
    expect(fake.control.invalidateDeltaTokens(cal, 'gone')).toBeGreaterThan(0);
    const gone = await ann('GET', first.deltaLink!);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toMatch(/\/v1\.0\/me\/calendarView\/delta\?\$deltatoken=$/);
    const second = await pages(`/me/calendarView/delta?${WINDOW}`);
    fake.control.invalidateDeltaTokens(cal, 'syncStateNotFound');
    expect(await ann('GET', second.deltaLink!)).toMatchObject({
      status: 400,
      body: { error: { code: 'syncStateNotFound' } },
    });
    const third = await pages(`/me/calendarView/delta?${WINDOW}`);
    fake.control.advanceClock(8 * 86_400_000);
    ann = graphFor(fake, tokenFor(fake, 'ann@contoso.example')); // the old access token expired too
    expect((await ann('GET', third.deltaLink!)).body).toMatchObject({ error: { code: 'syncStateNotFound' } });
    expect((await ann('GET', '/me/calendarView/delta?$deltatoken=made-up')).body).toMatchObject({
      error: { code: 'syncStateNotFound' },
    });
  });
});
