import { EventResource } from '../fake-google/model';
import { occurrences } from '../support/invariants';
import { SyncWorld } from '../support/sync-world';
import { A, Ann, at, B, C, connectAnn, MAIN, PREFIX, SEED, titles } from './sync-fixtures';

const BOSS = 'boss@clientc.example';
const ZONE = 'Europe/Zurich';

function weekly(summary: string, extra: EventResource = {}): EventResource {
  const d = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  return {
    summary,
    start: { dateTime: `${d}T09:00:00`, timeZone: ZONE },
    end: { dateTime: `${d}T10:00:00`, timeZone: ZONE },
    recurrence: ['RRULE:FREQ=WEEKLY;COUNT=6'],
    ...extra,
  };
}

/**
 * "The user deletes a synced event on the main calendar" against Google's bare tombstones: the product learns of
 * the deletion of its main copy from an item holding only id, status, etag and updated (plus the series id
 * and original start for an occurrence), so it must know the copy by its own records.
 */
describe('deleting a main copy, as strict Google reports it', () => {
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

  const copyOnMain = () => {
    const [copy] = world.live(MAIN).filter((e) => !e.data.recurringEventId);
    return copy;
  };
  /** The main copy's deletion reaches the product as a bare tombstone: proven here, not assumed. */
  async function deleteOnMainAndSync(eventId: string): Promise<void> {
    const mark = Date.now();
    world.fake.control.deleteEvent(MAIN, MAIN, eventId);
    await world.sync.syncCalendarNow(ann.main.id);
    expect(world.fake.control.callLog({ kind: 'events.list', calendarId: MAIN, since: mark }).length).toBeGreaterThan(
      0,
    );
  }
  const suffixes = (cal: string, seriesId: string) => [...occurrences(world.fake, cal, seriesId).keys()];
  const response = (calendarId: string, eventId: string, who: string) =>
    world.fake.control
      .calendarState(calendarId)
      .find((e) => e.id === eventId)
      ?.data.attendees?.find((a) => a.email === who)?.responseStatus;

  it('an event the user organizes: the client event and its blocks are deleted', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Mine', ...at(10) });
    await world.sync.syncCalendarNow(ann.a.id);
    expect(titles(world, B)).toEqual([`${PREFIX} Busy`]);
    await deleteOnMainAndSync(copyOnMain().id);
    expect(world.fake.control.calendarState(A).find((e) => e.id === origin.id)?.data.status).toBe('cancelled');
    for (const cal of [MAIN, A, B, C]) expect(titles(world, cal)).toEqual([]);
    await world.sync.fullResync(ann.user.id);
    for (const cal of [MAIN, A, B, C]) expect(titles(world, cal)).toEqual([]);
  });

  it("an invitation: declined on the organizer's event, the client event kept, copy and blocks gone, not revived by a full re-sync", async () => {
    const invite = world.fake.control.createEvent(BOSS, BOSS, {
      summary: 'All hands',
      ...at(13),
      attendees: [{ email: C }],
    });
    await world.sync.syncCalendarNow(ann.c.id);
    expect(titles(world, A)).toEqual([`${PREFIX} Busy`]);
    await deleteOnMainAndSync(copyOnMain().id);
    await world.sync.syncCalendarNow(ann.c.id);
    expect(response(BOSS, invite.id!, C)).toBe('declined');
    expect(titles(world, C)).toEqual(['All hands']);
    for (const cal of [MAIN, A, B]) expect(titles(world, cal)).toEqual([]);
    await world.sync.fullResync(ann.user.id);
    for (const cal of [MAIN, A, B]) expect(titles(world, cal)).toEqual([]);
    expect(response(BOSS, invite.id!, C)).toBe('declined');
  });

  it('one occurrence of a series the user organizes: that occurrence goes on the client and on every block series', async () => {
    const origin = world.fake.control.createEvent(A, A, { ...weekly('Standup') });
    await world.sync.syncCalendarNow(ann.a.id);
    const copy = copyOnMain();
    const third = world.fake.control.instanceIds(MAIN, copy.id)[2];
    const suffix = third.slice(copy.id.length + 1);
    await deleteOnMainAndSync(third);
    expect(world.fake.control.calendarState(A).find((e) => e.id === `${origin.id}_${suffix}`)?.data.status).toBe(
      'cancelled',
    );
    for (const cal of [A, B, C, MAIN]) {
      const series = world.live(cal).find((e) => e.data.recurrence)!;
      expect(suffixes(cal, series.id)).toHaveLength(5);
      expect(suffixes(cal, series.id)).not.toContain(suffix);
    }
    await world.sync.fullResync(ann.user.id);
    expect(suffixes(MAIN, copy.id)).not.toContain(suffix);
  });

  it('one occurrence of an invitation series: declined there only, the client keeps it, copy and blocks of it gone for good', async () => {
    const invite = world.fake.control.createEvent(BOSS, BOSS, {
      ...weekly('Weekly sync', { attendees: [{ email: C }] }),
    });
    await world.sync.syncCalendarNow(ann.c.id);
    const copy = copyOnMain();
    const second = world.fake.control.instanceIds(MAIN, copy.id)[1];
    const suffix = second.slice(copy.id.length + 1);
    await deleteOnMainAndSync(second);
    await world.sync.syncCalendarNow(ann.c.id);
    expect(response(BOSS, `${invite.id}_${suffix}`, C)).toBe('declined');
    expect(response(BOSS, invite.id!, C)).toBe('needsAction'); // the rest of the series is untouched
    expect(suffixes(C, invite.id!)).toContain(suffix);
    const blockSeries = (cal: string) => world.live(cal).find((e) => e.data.recurrence)!.id;
    for (const cal of [A, B]) expect(suffixes(cal, blockSeries(cal))).not.toContain(suffix);
    expect(suffixes(MAIN, copy.id)).not.toContain(suffix);
    await world.sync.fullResync(ann.user.id);
    expect(suffixes(MAIN, copy.id)).not.toContain(suffix);
    for (const cal of [A, B]) expect(suffixes(cal, blockSeries(cal))).not.toContain(suffix);
  });
});
