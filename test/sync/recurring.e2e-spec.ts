import { EventResource } from '../fake-google/model';
import { checkInvariants, CheckedUser, occurrences, readDbRows } from '../support/invariants';
import { SyncWorld } from '../support/sync-world';
import { A, Ann, B, C, connectAnn, expectBusyBlock, MAIN, PERSONAL, PREFIX, SEED } from './sync-fixtures';

const ZONE = 'Europe/Zurich';
const DAY = 86_400_000;

/** A weekly series at 09:00 Zurich time starting `days` ahead (local wall time kept across DST). */
function weekly(days: number, count = 8, extra: EventResource = {}): EventResource {
  const d = new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
  return {
    start: { dateTime: `${d}T09:00:00`, timeZone: ZONE },
    end: { dateTime: `${d}T10:00:00`, timeZone: ZONE },
    recurrence: [`RRULE:FREQ=WEEKLY;COUNT=${count}`],
    ...extra,
  };
}

describe('recurring events sync as series (scenarios 8-10)', () => {
  let world: SyncWorld;
  let ann: Ann;

  beforeEach(async () => {
    world = await SyncWorld.start(SEED);
    ann = await connectAnn(world);
    await world.sync.fullResync(ann.user.id);
  });
  afterEach(async () => {
    await world.close();
  });

  const syncAll = async () => {
    for (const cal of [ann.a, ann.b, ann.c, ann.personal, ann.main, ann.a, ann.main])
      await world.sync.syncCalendarNow(cal.id);
  };
  const managed = (cal: string) => world.live(cal).filter((e) => e.data.extendedProperties?.private?.busybridge);
  /** The one managed series on a calendar, asserting nothing was expanded into single events. */
  function onlySeries(cal: string): EventResource & { id: string } {
    const standalone = managed(cal).filter((e) => !e.data.recurringEventId);
    expect(standalone).toHaveLength(1);
    expect(standalone[0].data.recurrence?.length).toBeGreaterThan(0);
    return standalone[0].data as EventResource & { id: string };
  }
  const suffixes = (cal: string, id: string) => [...occurrences(world.fake, cal, id).keys()];
  async function invariantsHold(): Promise<void> {
    const users: CheckedUser[] = [
      {
        userId: ann.user.id,
        calendars: [
          { rowId: ann.main.id, googleId: MAIN, kind: 'main', account: MAIN },
          { rowId: ann.a.id, googleId: A, kind: 'client', account: A },
          { rowId: ann.b.id, googleId: B, kind: 'client', account: B },
          { rowId: ann.c.id, googleId: C, kind: 'client', account: C },
          { rowId: ann.personal.id, googleId: PERSONAL, kind: 'personal', account: PERSONAL },
        ],
      },
    ];
    const db = await readDbRows((sql) => world.db.reader.query(sql));
    expect(checkInvariants(world.fake, users, db, { prefix: PREFIX, windowStartMs: Date.now() - 30 * DAY })).toEqual(
      [],
    );
  }

  it('8. a client series: one main copy and one busy series per client, recurrence and zone kept, not expanded', async () => {
    const origin = world.fake.control.createEvent(A, A, {
      summary: 'Weekly sync',
      ...weekly(2, 6, { recurrence: ['RRULE:FREQ=WEEKLY;COUNT=6', 'EXDATE;TZID=Europe/Zurich:' + exdate(2 + 14)] }),
    });
    await world.sync.syncCalendarNow(ann.a.id);
    const copy = onlySeries(MAIN);
    expect(copy.summary).toBe('Weekly sync');
    expect(copy.recurrence).toEqual(origin.recurrence);
    expect(copy.start?.timeZone).toBe(ZONE);
    for (const cal of [B, C]) {
      const block = onlySeries(cal);
      expect(block.recurrence).toEqual(origin.recurrence);
      expectBusyBlock(managed(cal)[0]);
      expect(suffixes(cal, block.id)).toEqual(suffixes(A, origin.id!));
    }
    expect(suffixes(MAIN, copy.id)).toHaveLength(5);
    await invariantsHold();
  });

  it('9. one modified instance updates the same instance of every copy, as an exception of the copy series', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Standup', ...weekly(2) });
    await world.sync.syncCalendarNow(ann.a.id);
    const [, second] = world.fake.control.instanceIds(A, origin.id!);
    const suffix = second.slice(origin.id!.length + 1);
    const moved = new Date(Date.parse(`${new Date(Date.now() + 9 * DAY).toISOString().slice(0, 10)}T13:00:00Z`));
    world.fake.control.patchEvent(A, A, second, {
      summary: 'Standup (moved)',
      start: { dateTime: moved.toISOString(), timeZone: ZONE },
      end: { dateTime: new Date(moved.getTime() + 3_600_000).toISOString(), timeZone: ZONE },
    });
    await world.sync.syncCalendarNow(ann.a.id);
    for (const cal of [MAIN, B, C]) {
      const series = onlySeries(cal);
      const exception = world.live(cal).find((e) => e.id === `${series.id}_${suffix}`);
      expect(exception?.data.recurringEventId).toBe(series.id);
      expect(Date.parse(exception!.data.start!.dateTime!)).toBe(moved.getTime());
    }
    expect(world.live(MAIN).find((e) => e.data.recurringEventId)?.data.summary).toBe('Standup (moved)');
    await invariantsHold();
  });

  it('10. one cancelled instance is cancelled on every copy', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Retro', ...weekly(3) });
    await world.sync.syncCalendarNow(ann.a.id);
    const third = world.fake.control.instanceIds(A, origin.id!)[2];
    const suffix = third.slice(origin.id!.length + 1);
    world.fake.control.deleteEvent(A, A, third);
    await world.sync.syncCalendarNow(ann.a.id);
    for (const cal of [MAIN, B, C]) {
      const series = onlySeries(cal);
      expect(suffixes(cal, series.id)).not.toContain(suffix);
      expect(suffixes(cal, series.id)).toHaveLength(7);
    }
    const calls = world.fake.control.callLog({ kind: 'events.delete' });
    expect(
      calls
        .filter((c) => c.eventId?.endsWith(suffix))
        .map((c) => c.calendarId)
        .sort(),
    ).toEqual([B, C, MAIN].sort());
    await invariantsHold();
  });

  it('series time change: every copy series moves, occurrences still match', async () => {
    const origin = world.fake.control.createEvent(MAIN, MAIN, { summary: 'Gym', ...weekly(2) });
    await world.sync.syncCalendarNow(ann.main.id);
    const later = weekly(2);
    later.start!.dateTime = later.start!.dateTime!.replace('T09:00', 'T17:30');
    later.end!.dateTime = later.end!.dateTime!.replace('T10:00', 'T18:30');
    world.fake.control.patchEvent(MAIN, MAIN, origin.id!, { start: later.start, end: later.end });
    await world.sync.syncCalendarNow(ann.main.id);
    for (const cal of [A, B, C]) {
      const series = onlySeries(cal);
      expect(series.start?.dateTime).toContain('T17:30');
      expect(suffixes(cal, series.id)).toEqual(suffixes(MAIN, origin.id!));
    }
    await invariantsHold();
  });

  it('"this and following": old series trimmed with UNTIL, new series created; copy exceptions after the cut cleaned up', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Planning', ...weekly(2) });
    await world.sync.syncCalendarNow(ann.a.id);
    const ids = world.fake.control.instanceIds(A, origin.id!);
    world.fake.control.patchEvent(A, A, ids[5], { summary: 'Planning (special)' });
    world.fake.control.deleteEvent(A, A, ids[1]);
    await world.sync.syncCalendarNow(ann.a.id);
    expect(managed(MAIN).filter((e) => e.data.recurringEventId)).toHaveLength(1);
    // The user changes "this and all following" from the 4th occurrence on: Google's two writes.
    const cut = ids[3].slice(origin.id!.length + 1);
    const until = new Date(
      Date.parse(
        `${cut.slice(0, 4)}-${cut.slice(4, 6)}-${cut.slice(6, 8)}T${cut.slice(9, 11)}:${cut.slice(11, 13)}:00Z`,
      ) - 1000,
    );
    world.fake.control.patchEvent(A, A, origin.id!, {
      recurrence: [`RRULE:FREQ=WEEKLY;UNTIL=${until.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`],
    });
    const next = weekly(2 + 21, 5, { summary: 'Planning v2' });
    next.start!.dateTime = next.start!.dateTime!.replace('T09:00', 'T11:00');
    next.end!.dateTime = next.end!.dateTime!.replace('T10:00', 'T12:00');
    world.fake.control.createEvent(A, A, { ...next } as Record<string, unknown>);
    await world.sync.syncCalendarNow(ann.a.id);
    for (const cal of [MAIN, B, C]) {
      const series = managed(cal).filter((e) => !e.data.recurringEventId);
      expect(series.map((e) => (e.data.recurrence?.[0]?.includes('UNTIL') ? 'trimmed' : 'new')).sort()).toEqual([
        'new',
        'trimmed',
      ]);
      // The exception at the 6th occurrence was after the cut: nothing of it shows on the copy any more.
      expect(managed(cal).filter((e) => e.data.recurringEventId)).toEqual([]);
    }
    const trimmed = managed(MAIN).find((e) => e.data.recurrence?.[0]?.includes('UNTIL'))!;
    expect(suffixes(MAIN, trimmed.id)).toEqual(suffixes(A, origin.id!));
    await syncAll();
    await invariantsHold();
  });

  it('all-day recurring on main: all-day busy series on every client', async () => {
    const d = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10).replace(/-/g, '');
    const iso = (s: string) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
    const origin = world.fake.control.createEvent(MAIN, MAIN, {
      summary: 'Off-site',
      transparency: 'opaque',
      start: { date: iso(d(3)) },
      end: { date: iso(d(4)) },
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'],
    });
    world.fake.control.createEvent(MAIN, MAIN, {
      summary: 'Holiday (free)',
      transparency: 'transparent',
      start: { date: iso(d(5)) },
      end: { date: iso(d(6)) },
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'],
    });
    await world.sync.syncCalendarNow(ann.main.id);
    for (const cal of [A, B, C]) {
      const series = onlySeries(cal);
      expect(series.start).toEqual({ date: iso(d(3)) });
      expect(suffixes(cal, series.id)).toEqual(suffixes(MAIN, origin.id!));
    }
    await invariantsHold();
  });

  it('personal recurring: a Busy (Personal) series on main and every client, nothing written to the personal calendar', async () => {
    world.fake.control.createEvent(PERSONAL, PERSONAL, { summary: 'Therapy', description: 'secret', ...weekly(4, 10) });
    await world.sync.syncCalendarNow(ann.personal.id);
    for (const cal of [MAIN, A, B, C]) {
      const series = onlySeries(cal);
      expect(series.summary).toBe(`${PREFIX} Busy (Personal)`);
      expect(series.description).toBeUndefined();
    }
    expect(
      world.fake.control.callLog({ calendarId: PERSONAL }).filter((c) => /insert|update|patch|delete/.test(c.kind)),
    ).toEqual([]);
    await invariantsHold();
  });

  it('an instance edited on main by a user with edit rights goes to the same instance of the origin; deleting one cancels it there', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Review', ...weekly(2) });
    await world.sync.syncCalendarNow(ann.a.id);
    const copy = onlySeries(MAIN);
    const [first, second] = world.fake.control.instanceIds(MAIN, copy.id);
    world.fake.control.patchEvent(MAIN, MAIN, first, { summary: 'Review (edited on main)' });
    world.fake.control.deleteEvent(MAIN, MAIN, second);
    await world.sync.syncCalendarNow(ann.main.id);
    const suffix = (id: string) => id.slice(copy.id.length + 1);
    const onOrigin = world.fake.control.calendarState(A);
    expect(onOrigin.find((e) => e.id === `${origin.id}_${suffix(first)}`)?.data.summary).toBe(
      'Review (edited on main)',
    );
    expect(onOrigin.find((e) => e.id === `${origin.id}_${suffix(second)}`)?.data.status).toBe('cancelled');
    for (const cal of [B, C]) expect(suffixes(cal, onlySeries(cal).id)).not.toContain(suffix(second));
    await syncAll();
    await invariantsHold();
  });

  it('someone deletes or edits an occurrence of a busy series on a client: the consistency check restores it', async () => {
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Focus', ...weekly(2) });
    await world.sync.syncCalendarNow(ann.main.id);
    const block = onlySeries(B);
    const [first, second] = world.fake.control.instanceIds(B, block.id);
    world.fake.control.deleteEvent(B, B, first);
    world.fake.control.patchEvent(B, B, second, { summary: 'mine now' });
    await world.sync.consistencyCheck();
    expect(suffixes(B, block.id)).toEqual(suffixes(A, onlySeries(A).id));
    await invariantsHold();
  });
});

function exdate(days: number): string {
  return `${new Date(Date.now() + days * DAY).toISOString().slice(0, 10).replace(/-/g, '')}T090000`;
}
