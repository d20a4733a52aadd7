import { FakeMicrosoft } from './index';
import { graphFor, startSeeded, timed, tokenFor } from './test-helpers';

type Json = Record<string, unknown>;
const WINDOW = 'startDateTime=2030-03-01T00:00:00Z&endDateTime=2031-06-01T00:00:00Z';

describe('fake Microsoft: recurrence (checklist rows 18-20)', () => {
  let fake: FakeMicrosoft;
  let ann: ReturnType<typeof graphFor>;
  beforeAll(async () => {
    fake = await startSeeded();
    ann = graphFor(fake, tokenFor(fake, 'ann@contoso.example'));
  });
  afterAll(() => fake.close());

  const series = async (start: string, pattern: Json, range: Json, extra: Json = {}) =>
    ann('POST', '/me/events', {
      subject: 'series',
      ...timed(start, 30),
      recurrence: { pattern, range: { startDate: start.slice(0, 10), ...range } },
      ...extra,
    });
  const instances = async (id: unknown, window = WINDOW) =>
    (await ann<{ value: Json[] }>('GET', `/me/events/${id}/instances?${window}&$top=100`)).body.value;
  const starts = (rows: Json[]) => rows.map((r) => String((r.start as Json).dateTime).slice(0, 16));

  it('row 18: series master plus occurrences/exceptions; /events/{id}/instances?startDateTime&endDateTime; seriesMasterId, originalStart', async () => {
    const master = (
      await series('2030-03-04T09:00:00', { type: 'daily', interval: 1 }, { type: 'numbered', numberOfOccurrences: 3 })
    ).body;
    expect(master).toMatchObject({
      type: 'seriesMaster',
      seriesMasterId: null,
      recurrence: { pattern: { type: 'daily', interval: 1 } },
    });
    const rows = await instances(master.id);
    expect(rows.map((r) => r.type)).toEqual(['occurrence', 'occurrence', 'occurrence']);
    expect(rows[1]).toMatchObject({
      seriesMasterId: master.id,
      originalStart: '2030-03-05T09:00:00Z',
      recurrence: null,
      subject: 'series',
    });
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
    expect((await ann('GET', `/me/events/${rows[1].id}`)).body).toMatchObject({
      type: 'occurrence',
      seriesMasterId: master.id,
    });
    expect((await ann('GET', `/me/events/${master.id}/instances`)).status).toBe(400);
    const list = await ann<{ value: Json[] }>('GET', '/me/events?$top=100');
    expect(list.body.value.filter((e) => e.seriesMasterId === master.id)).toEqual([]);
  });

  it('row 19: PATCH occurrence → type:exception. DELETE occurrence → removed from instances', async () => {
    const master = (
      await series('2030-03-11T09:00:00', { type: 'daily', interval: 1 }, { type: 'numbered', numberOfOccurrences: 4 })
    ).body;
    const [first, second, third] = await instances(master.id);
    // A refused PATCH changes nothing: the occurrence does not become an exception.
    expect(
      (
        await ann('PATCH', `/me/events/${second.id}`, {
          subject: 'bad',
          end: { dateTime: '2030-03-12T08:00:00', timeZone: 'UTC' },
        })
      ).status,
    ).toBe(400);
    expect((await instances(master.id)).map((r) => r.type)).toEqual([
      'occurrence',
      'occurrence',
      'occurrence',
      'occurrence',
    ]);
    const moved = await ann('PATCH', `/me/events/${second.id}`, {
      subject: 'moved',
      ...timed('2030-03-12T15:00:00', 30),
    });
    expect(moved.body).toMatchObject({
      id: second.id,
      type: 'exception',
      seriesMasterId: master.id,
      originalStart: '2030-03-12T09:00:00Z',
      subject: 'moved',
    });
    expect((await ann('DELETE', `/me/events/${third.id}`)).status).toBe(204);
    const after = await instances(master.id);
    expect(after.map((r) => r.type)).toEqual(['occurrence', 'exception', 'occurrence']);
    expect(starts(after)).toEqual(['2030-03-11T09:00', '2030-03-12T15:00', '2030-03-14T09:00']);
    expect(after.map((r) => r.id)).not.toContain(third.id);
    expect((await ann('GET', `/me/events/${third.id}`)).status).toBe(404);
    expect(first.id).toBe(after[0].id);
  });

  it('row 20: the six pattern types and three range types are validated as in REC; unsupported extra properties → 400', async () => {
    const cases: Array<[Json, Json, string, string[]]> = [
      [
        { type: 'daily', interval: 2 },
        { type: 'numbered', numberOfOccurrences: 3 },
        '2030-03-04T09:00:00',
        ['2030-03-04', '2030-03-06', '2030-03-08'],
      ],
      [
        { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'thursday'], firstDayOfWeek: 'sunday' },
        { type: 'endDate', endDate: '2030-03-14' },
        '2030-03-04T09:00:00',
        ['2030-03-04', '2030-03-07', '2030-03-11', '2030-03-14'],
      ],
      [
        { type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 },
        { type: 'numbered', numberOfOccurrences: 3 },
        '2030-03-15T09:00:00',
        ['2030-03-15', '2030-04-15', '2030-05-15'],
      ],
      [
        { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' },
        { type: 'numbered', numberOfOccurrences: 2 },
        '2030-03-29T09:00:00',
        ['2030-03-29', '2030-04-26'],
      ],
      [
        { type: 'absoluteYearly', interval: 1, dayOfMonth: 4, month: 3 },
        { type: 'numbered', numberOfOccurrences: 2 },
        '2030-03-04T09:00:00',
        ['2030-03-04', '2031-03-04'],
      ],
      [
        { type: 'relativeYearly', interval: 1, daysOfWeek: ['monday'], index: 'first', month: 3 },
        { type: 'numbered', numberOfOccurrences: 2 },
        '2030-03-04T09:00:00',
        ['2030-03-04', '2031-03-03'],
      ],
    ];
    for (const [pattern, range, start, expected] of cases) {
      const res = await series(start, pattern, range);
      expect(res.status).toBe(201);
      expect(starts(await instances(res.body.id)).map((s) => s.slice(0, 10))).toEqual(expected);
    }
    const open = (await series('2030-03-04T09:00:00', { type: 'daily', interval: 1 }, { type: 'noEnd' })).body;
    expect(
      await instances(open.id, 'startDateTime=2030-03-04T00:00:00Z&endDateTime=2030-03-14T00:00:00Z'),
    ).toHaveLength(10);

    const refused: Array<[Json, Json]> = [
      [{ type: 'daily', interval: 1, daysOfWeek: ['monday'] }, { type: 'noEnd' }],
      [{ type: 'weekly', interval: 1, dayOfMonth: 3, daysOfWeek: ['monday'] }, { type: 'noEnd' }],
      [{ type: 'weekly', interval: 1 }, { type: 'noEnd' }],
      [{ type: 'absoluteMonthly', interval: 1 }, { type: 'noEnd' }],
      [{ type: 'hourly', interval: 1 }, { type: 'noEnd' }],
      [{ type: 'daily', interval: 0 }, { type: 'noEnd' }],
      [{ type: 'daily', interval: 1, byHour: 3 }, { type: 'noEnd' }],
      [
        { type: 'daily', interval: 1 },
        { type: 'noEnd', numberOfOccurrences: 5 },
      ],
      [{ type: 'daily', interval: 1 }, { type: 'endDate' }],
      [{ type: 'daily', interval: 1 }, { type: 'numbered' }],
      [{ type: 'daily', interval: 1 }, { type: 'forever' }],
    ];
    for (const [pattern, range] of refused) {
      const res = await series('2030-03-04T09:00:00', pattern, range);
      expect([res.status, pattern, range]).toEqual([400, pattern, range]);
    }
    // Defaults a serializer sends for unused properties are tolerated.
    expect(
      (
        await series(
          '2030-03-04T09:00:00',
          {
            type: 'daily',
            interval: 1,
            month: 0,
            dayOfMonth: 0,
            daysOfWeek: [],
            index: 'first',
            firstDayOfWeek: 'sunday',
          },
          { type: 'numbered', numberOfOccurrences: 2, endDate: '0001-01-01' },
        )
      ).status,
    ).toBe(201);
    const mismatch = await ann('POST', '/me/events', {
      subject: 's',
      ...timed('2030-03-04T09:00:00'),
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'noEnd', startDate: '2030-03-05' } },
    });
    expect(mismatch.status).toBe(400);
  });
});
