import { SyncWorld } from '../support/sync-world';
import { A, allDay, Ann, at, B, C, connectAnn, expectBusyBlock, MAIN, PERSONAL, PREFIX, SEED, titles } from './sync-fixtures';

describe('SPEC.md test scenarios against the emulator', () => {
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
    expect(world.fake.control.callLog().filter((c) => c.calendarId === PERSONAL && /insert|update|patch|delete/.test(c.kind))).toEqual([]);
  }

  it('1. new event on client -> appears on main with details; Busy on the other clients', async () => {
    world.fake.control.createEvent(A, A, {
      summary: 'Kickoff', description: 'Agenda: scope', location: 'Room 7', ...at(10),
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
});
