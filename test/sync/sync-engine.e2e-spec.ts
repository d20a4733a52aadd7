import { SyncWorld } from '../support/sync-world';
import { A, Ann, at, B, C, connectAnn, D, expectBusyBlock, MAIN, PREFIX, SEED, titles } from './sync-fixtures';

const WRITE_KINDS = /events\.(insert|update|patch|delete)/;

describe('sync engine invariants against the emulator', () => {
  let world: SyncWorld;
  let ann: Ann;

  beforeEach(async () => {
    world = await SyncWorld.start(SEED);
    ann = await connectAnn(world, true);
    await world.sync.fullResync(ann.user.id);
  });
  afterEach(async () => {
    await world.close();
  });

  const others = () => [ann.main, ann.b, ann.c, ann.d!, ann.personal];

  it('a change on one client with three other clients costs one list call and exactly the writes the rules require', async () => {
    world.fake.control.createEvent(A, A, { summary: 'Sprint', ...at(10) });
    world.fake.control.clearCallLog();
    await world.sync.syncCalendarNow(ann.a.id);
    const calls = world.fake.control.callLog().filter((c) => c.kind.startsWith('events.'));
    expect(calls.filter((c) => c.kind === 'events.list').map((c) => c.calendarId)).toEqual([A]);
    const writes = calls
      .filter((c) => WRITE_KINDS.test(c.kind))
      .map((c) => `${c.kind} ${c.calendarId}`)
      .sort();
    expect(writes).toEqual(
      [`events.insert ${B}`, `events.insert ${C}`, `events.insert ${D}`, `events.insert ${MAIN}`].sort(),
    );
    expect(calls.length).toBe(5);
  });

  it('onIdle waits for a sync that was requested but not yet queued', async () => {
    world.fake.control.createEvent(A, A, { summary: 'Requested', ...at(9) });
    world.sync.requestSync(ann.a.id, 'webhook');
    await world.sync.onIdle();
    expect(titles(world, MAIN)).toContain('Requested');
  });

  it('a periodic poll that finds nothing leaves no sync_log row; one that finds a change does', async () => {
    const rows = async () =>
      (await world.db.reader.query('SELECT calendar_id FROM sync_log')) as Array<{ calendar_id: number }>;
    await world.sync.pollAll();
    await world.sync.onIdle();
    const before = (await rows()).length;
    await world.sync.pollAll();
    await world.sync.onIdle();
    expect((await rows()).length).toBe(before);
    world.fake.control.createEvent(A, A, { summary: 'Polled', ...at(11) });
    await world.sync.pollAll();
    await world.sync.onIdle();
    expect((await rows()).slice(before).map((r) => r.calendar_id)).toContain(ann.a.id);
    expect(titles(world, MAIN)).toContain('Polled');
  });

  it('the echo of our own writes costs zero writes (call log)', async () => {
    world.fake.control.createEvent(A, A, { summary: 'Sprint', ...at(10) });
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Gym', ...at(7) });
    await world.sync.syncCalendarNow(ann.a.id);
    await world.sync.syncCalendarNow(ann.main.id);
    world.fake.control.clearCallLog();
    for (const cal of [ann.a, ...others()]) await world.sync.syncCalendarNow(cal.id);
    const calls = world.fake.control.callLog().filter((c) => c.kind.startsWith('events.'));
    expect(calls.filter((c) => WRITE_KINDS.test(c.kind))).toEqual([]);
    expect(calls.filter((c) => c.kind !== 'events.list')).toEqual([]);
  });

  it('a second full re-sync right after a first makes zero writes', async () => {
    world.fake.control.createEvent(A, A, { summary: 'One', ...at(10) });
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Two', ...at(12) });
    world.fake.control.createEvent(ann.personal.googleCalendarId, ann.personal.googleCalendarId, {
      summary: 'Three',
      ...at(14),
    });
    await world.sync.fullResync(ann.user.id);
    const mark = Date.now();
    world.fake.control.clearCallLog();
    await world.sync.fullResync(ann.user.id);
    expect(world.writes(mark)).toEqual({});
    expect(titles(world, MAIN)).toEqual(['One', 'Two', `${PREFIX} Busy (Personal)`]);
    expect(titles(world, D)).toEqual([`${PREFIX} Busy`, `${PREFIX} Busy`, `${PREFIX} Busy (Personal)`]);
  });

  it('full re-sync recreates a busy block someone deleted, with the same id', async () => {
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Focus', ...at(9) });
    await world.sync.syncCalendarNow(ann.main.id);
    const [block] = world.live(B);
    world.fake.control.deleteEvent(B, B, block.id);
    await world.sync.fullResync(ann.user.id);
    expect(titles(world, B)).toEqual([`${PREFIX} Busy`]);
    expectBusyBlock(world.live(B)[0]);
    expect(world.live(B)[0].id).toBe(block.id); // same deterministic id, revived
  });

  it('crash between a Google write and its record: after a restart there is no duplicate', async () => {
    world.fake.control.createEvent(A, A, { summary: 'Crashy', ...at(10) });
    let writes = 0;
    world.sync.setHooks({
      afterGoogleWrite: () => {
        if (++writes === 2) throw new Error('simulated crash');
      },
    });
    await expect(world.sync.syncCalendarNow(ann.a.id)).rejects.toThrow('simulated crash');
    await world.restart();
    await world.sync.syncCalendarNow(ann.a.id);
    await world.sync.fullResync(ann.user.id);
    expect(titles(world, MAIN)).toEqual(['Crashy']);
    for (const cal of [B, C, D]) expect(titles(world, cal)).toEqual([`${PREFIX} Busy`]);
    // The token was not advanced past the unrecorded change, and the 409 path found the write.
    const conflicts = world.fake.control.callLog({ status: 409 });
    expect(conflicts.length).toBeGreaterThanOrEqual(1);
  });

  it('410 on an expired sync token: full re-list, deletions seen by absence', async () => {
    const keep = world.fake.control.createEvent(A, A, { summary: 'Keep', ...at(9) });
    const gone = world.fake.control.createEvent(A, A, { summary: 'Gone', ...at(11) });
    await world.sync.syncCalendarNow(ann.a.id);
    world.fake.control.deleteEvent(A, A, gone.id!);
    world.fake.control.invalidateSyncTokens(A);
    const result = await world.sync.syncCalendarNow(ann.a.id);
    expect(result.full).toBe(true);
    expect(titles(world, MAIN)).toEqual(['Keep']);
    expect(world.live(MAIN)[0].data.summary).toBe(keep.summary);
    for (const cal of [B, C, D]) expect(titles(world, cal)).toEqual([`${PREFIX} Busy`]);
  });

  it('safety valve: a calendar that suddenly lists none of its events deletes nothing and raises a warning', async () => {
    const ids = [8, 9, 10, 11].map((h) => world.fake.control.createEvent(A, A, { summary: `E${h}`, ...at(h) }).id!);
    await world.sync.syncCalendarNow(ann.a.id);
    for (const id of ids) world.fake.control.deleteEvent(A, A, id);
    world.fake.control.invalidateSyncTokens(A);
    const result = await world.sync.syncCalendarNow(ann.a.id);
    expect(result.valve).toBe(true);
    expect(titles(world, MAIN)).toEqual(['E10', 'E11', 'E8', 'E9']);
    expect(world.live(B)).toHaveLength(4);
    const log = await world.db.reader.query(
      `SELECT status FROM sync_log WHERE action = 'safety_valve' AND calendar_id = ?`,
      [ann.a.id],
    );
    expect(log).toEqual([{ status: 'warning' }]);
  });

  it('same meeting on main and on a client (same iCalUID): neither copied nor blocked there', async () => {
    const meeting = world.fake.control.createEvent('boss@clienta.example', 'boss@clienta.example', {
      summary: 'Joint',
      ...at(15),
      attendees: [{ email: A }, { email: MAIN }],
    });
    await world.sync.fullResync(ann.user.id);
    expect(titles(world, MAIN)).toEqual(['Joint']);
    expect(world.live(MAIN)[0].id).toBe(meeting.id);
    expect(titles(world, A)).toEqual(['Joint']);
    for (const cal of [B, C, D]) expect(titles(world, cal)).toEqual([`${PREFIX} Busy`]);
  });
});

describe('18. multiple users with overlapping client orgs', () => {
  it("each user's events block only that user's calendars; a shared meeting is copied to each main", async () => {
    const world = await SyncWorld.start(SEED);
    try {
      const ann = await connectAnn(world);
      const ben = await world.addUser('ben@home.example');
      const benMain = await world.connect(ben, 'ben@home.example', 'ben@home.example', 'main');
      const benA = await world.connect(ben, 'ben@clienta.example', 'ben@clienta.example', 'client');
      const benB = await world.connect(ben, B, B, 'client'); // the same client account, connected by both users
      void benB;
      world.fake.control.createEvent('boss@clienta.example', 'boss@clienta.example', {
        summary: 'Client all-hands',
        ...at(16),
        attendees: [{ email: A }, { email: 'ben@clienta.example' }],
      });
      world.fake.control.createEvent('ben@home.example', 'ben@home.example', { summary: 'Ben only', ...at(8) });
      await Promise.all([world.sync.fullResync(ann.user.id), world.sync.fullResync(ben.id)]);
      expect(titles(world, MAIN)).toEqual(['Client all-hands']);
      expect(titles(world, 'ben@home.example')).toEqual(['Ben only', 'Client all-hands']);
      // Client C is only Ann's: her copy of the all-hands blocks it; Ben's event does not.
      expect(titles(world, C)).toEqual([`${PREFIX} Busy`]);
      // Ben's main event blocks Ben's client A calendar, never Ann's.
      expect(titles(world, 'ben@clienta.example')).toEqual(['Client all-hands', `${PREFIX} Busy`]);
      expect(titles(world, A)).toEqual(['Client all-hands']);
      // The shared client calendar B carries one block per user, each user's own.
      const users = world
        .live(B)
        .map((e) => e.data.extendedProperties?.private?.busybridgeUser)
        .sort();
      expect(users).toEqual([String(ann.user.id), String(ben.id), String(ben.id)]);
      // Disconnecting Ann's B leaves Ben's blocks there.
      await world.sync.disconnectCalendar(ann.b.id);
      expect(world.live(B).map((e) => e.data.extendedProperties?.private?.busybridgeUser)).toEqual([
        String(ben.id),
        String(ben.id),
      ]);
      void benMain;
      void benA;
    } finally {
      await world.close();
    }
  });
});
