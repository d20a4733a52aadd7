import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, RawEvent, startFakeGoogle } from '../fake-google';
import { prepareOrganization, signInHomeUser, TEST_CLIENT_ID } from '../support/calendar-session';
import { connectCalendar, HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { CalendarRow, HOME_DOMAIN, WORLD } from './world';

interface Item {
  start: string;
  end: string;
  allDay: boolean;
  title: string;
  source: string;
  busy: boolean;
}
interface Preview {
  calendarId: number;
  from: string;
  to: string;
  items: Item[];
}

const MAIN = 'ann@home.example';
const ACME = 'ann@acme.example';
const GLOBEX = 'ann@globex.example';
const PERSONAL = 'ann.personal@gmail.example';
const PROJECTS = 'acme-projects@group.acme.example';

/** Monday 00:00Z of next week: every event of this test sits in that week. */
const MONDAY = (() => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  return d;
})();
const at = (day: number, hour: number, minutes = 0) =>
  new Date(MONDAY.getTime() + day * 86_400_000 + hour * 3_600_000 + minutes * 60_000).toISOString();
const timed = (day: number, hour: number, lengthMinutes: number) => ({
  start: { dateTime: at(day, hour) },
  end: { dateTime: at(day, hour, lengthMinutes) },
});
const date = (day: number) => at(day, 0).slice(0, 10);
const RANGE = { from: MONDAY.toISOString(), to: at(7, 0) };

describe('per-client policy, preview and dry run against the emulator', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let ann: HttpSession;
  const rows: Record<string, CalendarRow> = {};

  const idle = async () => {
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await product.app.get(SyncService).onIdle();
    }
  };
  const ours = (calendarId: string): RawEvent[] =>
    fake.control
      .calendarState(calendarId)
      .filter((e) => e.data.status !== 'cancelled' && e.data.extendedProperties?.private?.busybridge !== undefined);
  /** Our events on a calendar as text, so a change anywhere shows up in a comparison. */
  const shown = (calendarId: string) =>
    ours(calendarId)
      .map((e) => JSON.stringify([e.data.id, e.data.summary, e.data.start, e.data.end, e.data.recurrence ?? null]))
      .sort();
  const everywhere = () => Object.fromEntries([MAIN, ACME, GLOBEX, PERSONAL].map((c) => [c, shown(c)]));
  const startOf = (t: unknown) => {
    const s = t as { dateTime?: string; date?: string };
    return s.dateTime ? new Date(s.dateTime).toISOString() : (s.date as string);
  };
  const acmeStarts = () =>
    ours(ACME)
      .map((e) => `${e.data.summary}@${startOf(e.data.start)}`)
      .sort();
  const writes = () => fake.control.callLog().filter((c) => /events\.(insert|update|patch|delete)/.test(c.kind));
  const policyUrl = () => `/api/client-calendars/${rows.acme.id}/policy`;

  beforeAll(async () => {
    fake = await startFakeGoogle();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    await prepareOrganization(product, fake, HOME_DOMAIN);
    fake.control.seed(WORLD);
    fake.control.createEvent(MAIN, MAIN, { summary: 'Planning', ...timed(1, 10, 60) });
    fake.control.createEvent(MAIN, MAIN, { summary: 'Quick errand', ...timed(1, 13, 10) });
    fake.control.createEvent(MAIN, MAIN, { summary: 'Offsite', start: { date: date(2) }, end: { date: date(3) } });
    fake.control.createEvent(MAIN, MAIN, { summary: 'Late call', ...timed(3, 19, 60) });
    fake.control.createEvent('ben@home.example', 'ben@home.example', {
      summary: 'Maybe lunch',
      ...timed(2, 12, 60),
      attendees: [{ email: MAIN }],
    });
    fake.control.createEvent(GLOBEX, GLOBEX, { summary: 'Globex review', ...timed(2, 15, 60) });
    fake.control.createEvent(PERSONAL, PERSONAL, { summary: 'Dentist', ...timed(4, 9, 60) });
    fake.control.createEvent(ACME, ACME, { summary: 'Acme standup', ...timed(1, 9, 30) });
    ann = new HttpSession(product.url, (await signInHomeUser(product, MAIN)).cookie);
    for (const [key, kind, email] of [
      ['acme', 'client', ACME],
      ['globex', 'client', GLOBEX],
      ['personal', 'personal', PERSONAL],
    ] as const) {
      const res = await connectCalendar<CalendarRow>(ann, kind, email, email);
      expect(res.status).toBe(201);
      rows[key] = res.body;
    }
    await idle();
  });
  afterAll(async () => {
    await idle();
    await product?.close();
    await fake?.close();
  });

  it('starts with the defaults, which block as before; personal and main calendars have no policy', async () => {
    expect((await ann.json('GET', policyUrl())).body).toEqual({
      busyTitle: 'Busy',
      blockAllDay: true,
      minMinutes: 0,
      blockTentative: true,
      excludeKeywords: [],
      workingHours: null,
      unavailableOutsideHours: false,
    });
    expect(acmeStarts()).toEqual(
      [
        `[BusyBridge] Busy (Personal)@${at(4, 9)}`,
        `[BusyBridge] Busy@${at(1, 10)}`,
        `[BusyBridge] Busy@${at(1, 13)}`,
        `[BusyBridge] Busy@${at(2, 12)}`,
        `[BusyBridge] Busy@${at(2, 15)}`,
        `[BusyBridge] Busy@${at(3, 19)}`,
        `[BusyBridge] Busy@${date(2)}`,
      ].sort(),
    );
    expect((await ann.json('GET', `/api/client-calendars/${rows.personal.id}/policy`)).status).toBe(404);
    expect((await ann.json('PUT', `/api/client-calendars/${rows.personal.id}/policy`, { busyTitle: 'x' })).status).toBe(
      404,
    );
    expect((await ann.json('GET', '/api/client-calendars/999999/policy')).status).toBe(404);
  });

  it.each<[string, Record<string, unknown>, (before: string[]) => string[]]>([
    [
      'busyTitle',
      { busyTitle: 'Busy (other engagement)' },
      (b) => b.map((s) => s.replace('] Busy', '] Busy (other engagement)')).sort(),
    ],
    ['blockAllDay', { blockAllDay: false }, (b) => b.filter((s) => !s.endsWith(date(2)))],
    ['minMinutes', { minMinutes: 15 }, (b) => b.filter((s) => !s.includes(at(1, 13).slice(0, 16)))],
    ['blockTentative', { blockTentative: false }, (b) => b.filter((s) => !s.includes(at(2, 12).slice(0, 16)))],
    ['excludeKeywords', { excludeKeywords: ['ERRAND'] }, (b) => b.filter((s) => !s.includes(at(1, 13).slice(0, 16)))],
    [
      'workingHours',
      { workingHours: { days: [2, 3], start: '09:00', end: '17:00', timeZone: 'UTC' } },
      (b) => b.filter((s) => !s.includes(at(3, 19).slice(0, 16)) && !s.includes(at(4, 9).slice(0, 16))),
    ],
  ])(
    '%s changes exactly the blocks on that calendar, and changing it back restores them',
    async (_field, change, expected) => {
      const before = everywhere();
      const acmeBefore = acmeStarts();
      const put = await ann.json('PUT', policyUrl(), change);
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject(change);
      expect(acmeStarts()).toEqual(expected(acmeBefore));
      expect(acmeStarts()).not.toEqual(acmeBefore);
      const after = everywhere();
      for (const other of [MAIN, GLOBEX, PERSONAL]) expect(after[other]).toEqual(before[other]);
      const reset = await ann.json('PUT', policyUrl(), {
        busyTitle: 'Busy',
        blockAllDay: true,
        minMinutes: 0,
        blockTentative: true,
        excludeKeywords: [],
        workingHours: null,
      });
      expect(reset.status).toBe(200);
      expect(everywhere()).toEqual(before);
    },
  );

  it('unavailableOutsideHours adds weekly series on that calendar only, and removes them again', async () => {
    const before = everywhere();
    const hours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timeZone: 'Europe/Berlin' };
    expect((await ann.json('PUT', policyUrl(), { workingHours: hours, unavailableOutsideHours: true })).status).toBe(
      200,
    );
    const unavailable = ours(ACME).filter((e) => e.data.summary === '[BusyBridge] Unavailable');
    expect(unavailable.map((e) => e.data.recurrence)).toEqual(
      expect.arrayContaining([['RRULE:FREQ=WEEKLY;BYDAY=SA,SU'], ['RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR']]),
    );
    expect(unavailable).toHaveLength(3);
    for (const other of [MAIN, GLOBEX, PERSONAL]) expect(shown(other)).toEqual(before[other]);
    expect((await ann.json('PUT', policyUrl(), { workingHours: null, unavailableOutsideHours: false })).status).toBe(
      200,
    );
    expect(everywhere()).toEqual(before);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ minMinutes: -5 }, 'minMinutes'],
    [{ busyTitle: '' }, 'busyTitle'],
    [{ excludeKeywords: 'errand' }, 'excludeKeywords'],
    [{ workingHours: { days: [8], start: '09:00', end: '17:00', timeZone: 'UTC' } }, 'workingHours.days'],
    [{ unavailableOutsideHours: true }, 'unavailableOutsideHours'],
    [{ busyTitle: 'Fine', colour: 'red' }, 'colour'],
  ])('a bad field (%j) is 400 naming %s, and nothing changes', async (body, field) => {
    const policy = (await ann.json('GET', policyUrl())).body;
    const before = everywhere();
    fake.control.clearCallLog();
    const res = await ann.json<{ error: string; details: { field: string } }>('PUT', policyUrl(), body);
    expect(res.status).toBe(400);
    expect(res.body.details.field).toBe(field);
    expect(res.body.error).toContain(field.split('.').pop());
    expect((await ann.json('GET', policyUrl())).body).toEqual(policy);
    expect(writes()).toEqual([]);
    expect(everywhere()).toEqual(before);
  });

  it('the preview lists exactly the events the emulator holds on the calendar for the range', async () => {
    const token = fake.control.mintAccessToken(ACME, TEST_CLIENT_ID, 'https://www.googleapis.com/auth/calendar');
    const url = `${fake.url}/calendar/v3/calendars/${encodeURIComponent(ACME)}/events?singleEvents=true&timeMin=${RANGE.from}&timeMax=${RANGE.to}`;
    const listed = (
      (await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        items: RawEvent['data'][];
      }
    ).items;
    const res = await ann.json<Preview>(
      'GET',
      `/api/client-calendars/${rows.acme.id}/preview?from=${RANGE.from}&to=${RANGE.to}`,
    );
    expect(res.status).toBe(200);
    const instant = (t: { dateTime?: string; date?: string }) => t.date ?? new Date(t.dateTime as string).toISOString();
    const expected = listed.map((e) => ({
      start: instant(e.start as object),
      end: instant(e.end as object),
      allDay: !!(e.start as { date?: string }).date,
      title: e.summary ?? '',
      source: e.extendedProperties?.private?.busybridge ? 'busybridge' : 'native',
      busy: e.transparency !== 'transparent',
    }));
    expect(res.body.items).toHaveLength(8);
    expect([...res.body.items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      expected.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(res.body.items.filter((i) => i.source === 'native').map((i) => i.title)).toEqual(['Acme standup']);
    expect(
      (await ann.json('GET', `/api/client-calendars/${rows.acme.id}/preview?from=${RANGE.from}&to=${at(40, 0)}`))
        .status,
    ).toBe(400);
    expect((await ann.json('GET', `/api/client-calendars/${rows.personal.id}/preview`)).status).toBe(404);
  });

  it('a draft preview writes nothing and matches what the calendar holds once the same policy is saved', async () => {
    const policy = {
      busyTitle: 'Engaged',
      minMinutes: 15,
      excludeKeywords: ['lunch'],
      workingHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', timeZone: 'UTC' },
      unavailableOutsideHours: true,
    };
    fake.control.clearCallLog();
    const draft = await ann.json<Preview>('POST', `/api/client-calendars/${rows.acme.id}/preview`, {
      ...RANGE,
      policy,
    });
    expect(draft.status).toBe(200);
    expect(writes()).toEqual([]);
    expect(draft.body.items.map((i) => i.title)).toEqual(
      expect.arrayContaining(['[BusyBridge] Engaged', '[BusyBridge] Unavailable', 'Acme standup']),
    );
    expect((await ann.json('PUT', policyUrl(), policy)).status).toBe(200);
    const saved = await ann.json<Preview>(
      'GET',
      `/api/client-calendars/${rows.acme.id}/preview?from=${RANGE.from}&to=${RANGE.to}`,
    );
    expect(saved.body.items).toEqual(draft.body.items);
    expect(
      (
        await ann.json('POST', `/api/client-calendars/${rows.acme.id}/preview`, {
          ...RANGE,
          policy: { minMinutes: 'x' },
        })
      ).status,
    ).toBe(400);
    await ann.json('PUT', policyUrl(), {
      busyTitle: 'Busy',
      minMinutes: 0,
      excludeKeywords: [],
      workingHours: null,
      unavailableOutsideHours: false,
    });
  });

  it('a dry run writes and stores nothing, and its counts and items match what connecting then writes', async () => {
    fake.control.createEvent(ACME, PROJECTS, { summary: 'Project kickoff', ...timed(1, 14, 60) });
    const weekly = timed(3, 11, 45);
    fake.control.createEvent(ACME, PROJECTS, {
      summary: 'Project sync',
      start: { ...weekly.start, timeZone: 'UTC' },
      end: { ...weekly.end, timeZone: 'UTC' },
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'],
    });
    const accountId = rows.acme.accountId;
    const listed = (await ann.json<CalendarRow[]>('GET', '/api/client-calendars')).body;
    fake.control.clearCallLog();
    const dry = await ann.json<{
      dryRun: true;
      busyBlocks: number;
      mainCopies: number;
      otherBlocks: number;
      items: Array<{ title: string; start: string; calendar: string; action: string }>;
    }>('POST', '/api/client-calendars', { accountId, calendarId: PROJECTS, dryRun: true });
    expect(dry.status).toBe(200);
    expect(writes()).toEqual([]);
    const ids = (list: CalendarRow[]) => list.map((r) => [r.id, r.googleCalendarId]);
    expect(ids((await ann.json<CalendarRow[]>('GET', '/api/client-calendars')).body)).toEqual(ids(listed));
    expect(dry.body).toMatchObject({ dryRun: true, busyBlocks: 8, mainCopies: 2, otherBlocks: 4 });

    fake.control.clearCallLog();
    const real = await ann.json<CalendarRow>('POST', '/api/client-calendars', { accountId, calendarId: PROJECTS });
    expect(real.status).toBe(201);
    await idle();
    const inserts = (cal: string) =>
      fake.control.callLog({ kind: 'events.insert', calendarId: cal }).filter((c) => c.status < 300).length;
    expect(inserts(PROJECTS)).toBe(dry.body.busyBlocks);
    expect(inserts(MAIN)).toBe(dry.body.mainCopies);
    expect(inserts(ACME) + inserts(GLOBEX)).toBe(dry.body.otherBlocks);
    const written = [...ours(PROJECTS), ...ours(MAIN), ...ours(ACME), ...ours(GLOBEX)].map(
      (e) => `${e.data.summary}@${startOf(e.data.start)}`,
    );
    for (const item of dry.body.items) expect(written).toContain(`${item.title}@${item.start}`);
    expect(dry.body.items.every((i) => i.action === 'create')).toBe(true);
  });
});
