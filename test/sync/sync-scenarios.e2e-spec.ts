import { SyncWorld } from '../support/sync-world';
import {
  A,
  allDay,
  Ann,
  at,
  B,
  C,
  connectAnn,
  expectBusyBlock,
  MAIN,
  PERSONAL,
  PREFIX,
  SEED,
  titles,
} from './sync-fixtures';

describe('the product test scenarios against the emulator', () => {
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
    for (const cal of [ann.a, ann.b, ann.c, ann.personal, ann.main]) await world.sync.syncCalendarNow(cal.id);
  };

  function expectPersonalUntouched(): void {
    expect(
      world.fake.control
        .callLog()
        .filter((c) => c.calendarId === PERSONAL && /insert|update|patch|delete/.test(c.kind)),
    ).toEqual([]);
  }

  it('1. new event on client -> appears on main with details; Busy on the other clients', async () => {
    world.fake.control.createEvent(A, A, {
      summary: 'Kickoff',
      description: 'Agenda: scope',
      location: 'Room 7',
      ...at(10),
      attendees: [{ email: A }, { email: 'boss@clienta.example' }],
    });
    await world.sync.syncCalendarNow(ann.a.id);

    const [copy] = world.live(MAIN);
    expect(titles(world, MAIN)).toEqual(['Kickoff']);
    expect(copy.data.location).toBe('Room 7');
    expect(copy.data.description).toContain('Agenda: scope');
    expect(copy.data.description).toContain('boss@clienta.example');
    expect(copy.data.attendees ?? []).toEqual([]);
    expect(copy.data.start?.dateTime && Date.parse(copy.data.start.dateTime)).toBe(Date.parse(at(10).start.dateTime));
    for (const cal of [B, C]) {
      expect(titles(world, cal)).toEqual([`${PREFIX} Busy`]);
      expectBusyBlock(world.live(cal)[0]);
    }
    expect(titles(world, A)).toEqual(['Kickoff']);
    expect(titles(world, PERSONAL)).toEqual([]);
    expectPersonalUntouched();
  });

  it('2. new event on main -> busy blocks on all clients', async () => {
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Dentist', description: 'private!', ...at(9) });
    await world.sync.syncCalendarNow(ann.main.id);
    expect(titles(world, MAIN)).toEqual(['Dentist']);
    for (const cal of [A, B, C]) {
      expect(titles(world, cal)).toEqual([`${PREFIX} Busy`]);
      const [block] = world.live(cal);
      expectBusyBlock(block);
      expect(Date.parse(block.data.start!.dateTime!)).toBe(Date.parse(at(9).start.dateTime));
    }
    expect(titles(world, PERSONAL)).toEqual([]);
    expectPersonalUntouched();
  });

  it('3. edit event on client -> the copy on main and the blocks follow', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Review', ...at(10) });
    await world.sync.syncCalendarNow(ann.a.id);
    world.fake.control.patchEvent(A, A, origin.id!, { summary: 'Review (moved)', ...at(14) });
    await world.sync.syncCalendarNow(ann.a.id);
    expect(titles(world, MAIN)).toEqual(['Review (moved)']);
    for (const cal of [MAIN, B, C])
      expect(Date.parse(world.live(cal)[0].data.start!.dateTime!)).toBe(Date.parse(at(14).start.dateTime));
    for (const cal of [B, C]) expectBusyBlock(world.live(cal)[0]);
  });

  it('4. edit event on main (with permission) -> updates on client, blocks follow', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Planning', description: 'v1', ...at(10) });
    await world.sync.syncCalendarNow(ann.a.id);
    const [copy] = world.live(MAIN);
    world.fake.control.patchEvent(MAIN, MAIN, copy.id, { summary: 'Planning v2', ...at(15) });
    await world.sync.syncCalendarNow(ann.main.id);
    const [onClient] = world.live(A);
    expect(onClient.id).toBe(origin.id);
    expect(onClient.data.summary).toBe('Planning v2');
    expect(onClient.data.description).toBe('v1'); // our attendee reference block never travels back
    expect(Date.parse(onClient.data.start!.dateTime!)).toBe(Date.parse(at(15).start.dateTime));
    for (const cal of [B, C])
      expect(Date.parse(world.live(cal)[0].data.start!.dateTime!)).toBe(Date.parse(at(15).start.dateTime));
    // The origin's change comes back as our own echo: nothing more is written.
    const mark = Date.now();
    await syncAll();
    expect(world.writes(mark)).toEqual({});
    expect(titles(world, MAIN)).toEqual(['Planning v2']);
  });

  it('5. edit event on main (without permission) -> no change on client, the copy is restored', async () => {
    world.fake.control.createEvent('boss@clientc.example', 'boss@clientc.example', {
      summary: 'Steering',
      ...at(11),
      attendees: [{ email: C }],
    });
    await world.sync.syncCalendarNow(ann.c.id);
    const [copy] = world.live(MAIN);
    expect(copy.data.summary).toBe('Steering');
    world.fake.control.patchEvent(MAIN, MAIN, copy.id, { summary: 'My rename', ...at(16) });
    await world.sync.syncCalendarNow(ann.main.id);
    const [invitation] = world.live(C);
    expect(invitation.data.summary).toBe('Steering');
    expect(Date.parse(invitation.data.start!.dateTime!)).toBe(Date.parse(at(11).start.dateTime));
    expect(
      world.fake.control.callLog().filter((c) => c.calendarId === C && /patch|update|delete/.test(c.kind)),
    ).toEqual([]);
    expect(titles(world, MAIN)).toEqual(['Steering']);
    for (const cal of [A, B])
      expect(Date.parse(world.live(cal)[0].data.start!.dateTime!)).toBe(Date.parse(at(11).start.dateTime));
  });

  it('6. delete event on client -> removed from main and every busy block', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Gone soon', ...at(10) });
    await world.sync.syncCalendarNow(ann.a.id);
    expect(titles(world, B)).toEqual([`${PREFIX} Busy`]);
    world.fake.control.deleteEvent(A, A, origin.id!);
    await world.sync.syncCalendarNow(ann.a.id);
    for (const cal of [MAIN, A, B, C, PERSONAL]) expect(titles(world, cal)).toEqual([]);
  });

  it('7a. delete event on main -> its busy blocks are removed', async () => {
    const origin = world.fake.control.createEvent(MAIN, MAIN, { summary: 'Lunch', ...at(12) });
    await world.sync.syncCalendarNow(ann.main.id);
    world.fake.control.deleteEvent(MAIN, MAIN, origin.id!);
    await world.sync.syncCalendarNow(ann.main.id);
    for (const cal of [MAIN, A, B, C]) expect(titles(world, cal)).toEqual([]);
  });

  it('7b. delete a main copy the user may edit -> deleted on the client origin, blocks removed, not recreated', async () => {
    world.fake.control.createEvent(A, A, { summary: 'Mine', ...at(10) });
    await world.sync.syncCalendarNow(ann.a.id);
    world.fake.control.deleteEvent(MAIN, MAIN, world.live(MAIN)[0].id);
    await world.sync.syncCalendarNow(ann.main.id);
    await syncAll();
    for (const cal of [MAIN, A, B, C]) expect(titles(world, cal)).toEqual([]);
  });

  it('7c. delete the main copy of an invitation without rights -> declined on the client, only removed from main', async () => {
    const invite = world.fake.control.createEvent('boss@clientc.example', 'boss@clientc.example', {
      summary: 'All hands',
      ...at(13),
      attendees: [{ email: C }],
    });
    await world.sync.syncCalendarNow(ann.c.id);
    world.fake.control.deleteEvent(MAIN, MAIN, world.live(MAIN)[0].id);
    await world.sync.syncCalendarNow(ann.main.id);
    await syncAll();
    await world.sync.fullResync(ann.user.id);
    const [onClient] = world.live(C);
    expect(onClient.data.summary).toBe('All hands');
    expect(onClient.data.attendees?.find((a) => a.email === C)?.responseStatus).toBe('declined');
    const organizerCopy = world.live('boss@clientc.example').find((e) => e.id === invite.id);
    expect(organizerCopy?.data.attendees?.find((a) => a.email === C)?.responseStatus).toBe('declined');
    for (const cal of [MAIN, A, B]) expect(titles(world, cal)).toEqual([]);
  });

  it('11. all-day free event -> no busy blocks', async () => {
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Vacation', ...allDay(), transparency: 'transparent' });
    await world.sync.syncCalendarNow(ann.main.id);
    for (const cal of [A, B, C]) expect(titles(world, cal)).toEqual([]);
  });

  it('12. all-day busy event -> all-day busy blocks', async () => {
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Offsite', ...allDay(), transparency: 'opaque' });
    await world.sync.syncCalendarNow(ann.main.id);
    for (const cal of [A, B, C]) {
      const [block] = world.live(cal);
      expectBusyBlock(block);
      expect(block.data.start).toEqual({ date: allDay().start.date });
      expect(block.data.end).toEqual({ date: allDay().end.date });
    }
  });

  it('personal event -> Busy (Personal) on main and every client; the personal calendar is never written', async () => {
    world.fake.control.createEvent(PERSONAL, PERSONAL, { summary: 'Doctor', description: 'secret', ...at(8) });
    await world.sync.syncCalendarNow(ann.personal.id);
    for (const cal of [MAIN, A, B, C]) {
      expect(titles(world, cal)).toEqual([`${PREFIX} Busy (Personal)`]);
      expectBusyBlock(world.live(cal)[0], true);
    }
    await syncAll();
    expect(titles(world, PERSONAL)).toEqual(['Doctor']);
    expectPersonalUntouched();
  });

  it('13. disconnect a client -> its blocks, its copies on main and the blocks derived from it are gone', async () => {
    world.fake.control.createEvent(A, A, { summary: 'From A', ...at(10) });
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'From main', ...at(12) });
    await syncAll();
    expect(titles(world, A)).toEqual(['From A', `${PREFIX} Busy`]);
    expect(titles(world, B)).toEqual([`${PREFIX} Busy`, `${PREFIX} Busy`]);
    await world.sync.disconnectCalendar(ann.a.id);
    expect(titles(world, A)).toEqual(['From A']);
    expect(titles(world, MAIN)).toEqual(['From main']);
    for (const cal of [B, C]) expect(titles(world, cal)).toEqual([`${PREFIX} Busy`]);
    const row = await world.db.reader.query('SELECT is_active, disconnected_at FROM client_calendars WHERE id = ?', [
      ann.a.id,
    ]);
    expect(row[0].is_active).toBe(0);
    expect(row[0].disconnected_at).not.toBeNull();
    // Later syncs neither resurrect nor touch the disconnected calendar.
    const mark = Date.now();
    await world.sync.fullResync(ann.user.id);
    expect(world.fake.control.callLog({ since: mark }).filter((c) => c.calendarId === A)).toEqual([]);
    expect(titles(world, MAIN)).toEqual(['From main']);
  });
  it('13b. disconnect still cleans up when another client account has been revoked; that calendar is skipped, not fatal', async () => {
    world.fake.control.createEvent(A, A, { summary: 'From A', ...at(10) });
    await syncAll();
    expect(titles(world, B)).toEqual([`${PREFIX} Busy`]);
    world.fake.control.revokeGrants(C);
    await world.sync.disconnectCalendar(ann.a.id);
    expect(titles(world, MAIN)).toEqual([]);
    expect(titles(world, B)).toEqual([]);
    // C could not be reached: its block stays until the account is reconnected (then it is an orphan).
    expect(titles(world, C)).toEqual([`${PREFIX} Busy`]);
    const row = await world.db.reader.query('SELECT disconnected_at FROM client_calendars WHERE id = ?', [ann.a.id]);
    expect(row[0].disconnected_at).not.toBeNull();
    const warnings = await world.db.reader.query(
      "SELECT calendar_id FROM sync_log WHERE action = 'disconnect_unreachable'",
    );
    expect(warnings.map((w: { calendar_id: number }) => w.calendar_id)).toEqual([ann.c.id]);
  });
});
