import { Consultant, HttpWorld } from './http-world';
import { A, allDay, at, B, C, expectBusyBlock, MAIN, PERSONAL, PREFIX, SEED, titles } from './sync-fixtures';

/**
 * the product's test scenarios 1-7, 11-13 and 18 driven only from the outside: users signed in through
 * /auth/login, calendars connected with the connect flows and `POST /api/{client,personal}-calendars`,
 * syncs asked for with the 202 routes, disconnect with `DELETE /api/client-calendars/:id`, events made by
 * their owners through the emulator's control API. Same assertions as sync-scenarios.e2e-spec.ts, which
 * seeds the database and calls SyncService instead.
 *
 * Main calendar changes: no user route syncs the main calendar alone, and `POST /api/sync/full` re-lists
 * everything. The product learns of them as it does in production: the push channel opened at sign-in,
 * the emulator POSTing to `/api/webhooks/google-calendar`, an incremental sync of main. `world.settle()`
 * waits for those deliveries and the syncs they start. Client and personal changes are synced with their
 * own route (their pushes arrive too and find nothing left to do).
 */
describe('the product test scenarios through the HTTP API', () => {
  let world: HttpWorld;
  let ann: Consultant;
  let users: Consultant[];
  const BUSY = `${PREFIX} Busy`;
  const startOf = (calendarId: string) => Date.parse(world.live(calendarId)[0].data.start!.dateTime!);
  const personalUntouched = () => expect(world.writesTo(PERSONAL)).toEqual([]);

  beforeEach(async () => {
    world = await HttpWorld.start(SEED);
    ann = await world.signIn(MAIN);
    for (const client of [A, B, C]) await world.connect(ann, 'client', client);
    await world.connect(ann, 'personal', PERSONAL);
    users = [ann];
    await world.settle();
  });
  afterEach(async () => {
    try {
      expect(await world.invariants(...users)).toEqual([]);
    } finally {
      await world.close();
    }
  });

  it('1. new event on client -> appears on main with details; Busy on the other clients', async () => {
    world.fake.control.createEvent(A, A, {
      summary: 'Kickoff',
      description: 'Agenda: scope',
      location: 'Room 7',
      ...at(10),
      attendees: [{ email: A }, { email: 'boss@clienta.example' }],
    });
    await world.sync(ann, A);

    const [copy] = world.live(MAIN);
    expect(titles(world, MAIN)).toEqual(['Kickoff']);
    expect(copy.data.location).toBe('Room 7');
    expect(copy.data.description).toContain('Agenda: scope');
    expect(copy.data.description).toContain('boss@clienta.example');
    expect(copy.data.attendees ?? []).toEqual([]);
    expect(startOf(MAIN)).toBe(Date.parse(at(10).start.dateTime));
    for (const cal of [B, C]) {
      expect(titles(world, cal)).toEqual([BUSY]);
      expectBusyBlock(world.live(cal)[0]);
      expect(startOf(cal)).toBe(Date.parse(at(10).start.dateTime));
    }
    expect(titles(world, A)).toEqual(['Kickoff']);
    expect(titles(world, PERSONAL)).toEqual([]);
    personalUntouched();
  });

  it('2. new event on main -> busy blocks on all clients (through the webhook)', async () => {
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Dentist', description: 'private!', ...at(9) });
    await world.settle();
    expect(titles(world, MAIN)).toEqual(['Dentist']);
    for (const cal of [A, B, C]) {
      expect(titles(world, cal)).toEqual([BUSY]);
      expectBusyBlock(world.live(cal)[0]);
      expect(startOf(cal)).toBe(Date.parse(at(9).start.dateTime));
    }
    expect(titles(world, PERSONAL)).toEqual([]);
    personalUntouched();
  });

  it('3. edit event on client -> the copy on main and the blocks follow', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Review', ...at(10) });
    await world.sync(ann, A);
    world.fake.control.patchEvent(A, A, origin.id!, { summary: 'Review (moved)', ...at(14) });
    await world.sync(ann, A);
    expect(titles(world, MAIN)).toEqual(['Review (moved)']);
    expect(titles(world, A)).toEqual(['Review (moved)']);
    for (const cal of [B, C]) {
      expect(titles(world, cal)).toEqual([BUSY]);
      expectBusyBlock(world.live(cal)[0]);
    }
    for (const cal of [MAIN, B, C]) expect(startOf(cal)).toBe(Date.parse(at(14).start.dateTime));
    personalUntouched();
  });

  it('4. edit event on main (with permission) -> updates on client, blocks follow, echo costs nothing', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Planning', description: 'v1', ...at(10) });
    await world.sync(ann, A);
    const [copy] = world.live(MAIN);
    world.fake.control.patchEvent(MAIN, MAIN, copy.id, { summary: 'Planning v2', ...at(15) });
    await world.settle();
    const [onClient] = world.live(A);
    expect(world.live(A)).toHaveLength(1);
    expect(onClient.id).toBe(origin.id);
    expect(onClient.data.summary).toBe('Planning v2');
    expect(onClient.data.description).toBe('v1'); // our attendee reference block never travels back
    expect(startOf(A)).toBe(Date.parse(at(15).start.dateTime));
    for (const cal of [B, C]) {
      expect(titles(world, cal)).toEqual([BUSY]);
      expect(startOf(cal)).toBe(Date.parse(at(15).start.dateTime));
    }
    // Every calendar read again from scratch: the origin's change is our own echo, nothing more is written.
    const mark = Date.now();
    await world.sync(ann);
    expect([MAIN, A, B, C, PERSONAL].flatMap((cal) => world.writesTo(cal, mark))).toEqual([]);
    expect(titles(world, MAIN)).toEqual(['Planning v2']);
    personalUntouched();
  });

  it('5. edit event on main (without permission) -> no change on client, the copy is restored', async () => {
    world.fake.control.createEvent('boss@clientc.example', 'boss@clientc.example', {
      summary: 'Steering',
      ...at(11),
      attendees: [{ email: C }],
    });
    await world.sync(ann, C);
    const [copy] = world.live(MAIN);
    expect(copy.data.summary).toBe('Steering');
    world.fake.control.patchEvent(MAIN, MAIN, copy.id, { summary: 'My rename', ...at(16) });
    await world.settle();
    const [invitation] = world.live(C);
    expect(titles(world, C)).toEqual(['Steering']);
    expect(Date.parse(invitation.data.start!.dateTime!)).toBe(Date.parse(at(11).start.dateTime));
    expect(world.writesTo(C)).toEqual([]);
    expect(titles(world, MAIN)).toEqual(['Steering']);
    expect(startOf(MAIN)).toBe(Date.parse(at(11).start.dateTime));
    for (const cal of [A, B]) {
      expect(titles(world, cal)).toEqual([BUSY]);
      expect(startOf(cal)).toBe(Date.parse(at(11).start.dateTime));
    }
    personalUntouched();
  });

  it('6. delete event on client -> removed from main and every busy block', async () => {
    const origin = world.fake.control.createEvent(A, A, { summary: 'Gone soon', ...at(10) });
    await world.sync(ann, A);
    expect(titles(world, B)).toEqual([BUSY]);
    world.fake.control.deleteEvent(A, A, origin.id!);
    await world.sync(ann, A);
    for (const cal of [MAIN, A, B, C, PERSONAL]) expect(titles(world, cal)).toEqual([]);
    personalUntouched();
  });

  it('7a. delete event on main -> its busy blocks are removed', async () => {
    const origin = world.fake.control.createEvent(MAIN, MAIN, { summary: 'Lunch', ...at(12) });
    await world.settle();
    for (const cal of [A, B, C]) expect(titles(world, cal)).toEqual([BUSY]);
    world.fake.control.deleteEvent(MAIN, MAIN, origin.id!);
    await world.settle();
    for (const cal of [MAIN, A, B, C, PERSONAL]) expect(titles(world, cal)).toEqual([]);
    personalUntouched();
  });

  it('7b. delete a main copy the user may edit -> deleted on the client origin, blocks removed, not recreated', async () => {
    world.fake.control.createEvent(A, A, { summary: 'Mine', ...at(10) });
    await world.sync(ann, A);
    world.fake.control.deleteEvent(MAIN, MAIN, world.live(MAIN)[0].id);
    await world.settle();
    for (const cal of [MAIN, A, B, C]) expect(titles(world, cal)).toEqual([]);
    await world.sync(ann);
    for (const cal of [MAIN, A, B, C, PERSONAL]) expect(titles(world, cal)).toEqual([]);
    personalUntouched();
  });

  it('7c. delete the main copy of an invitation without rights -> declined on the client, only removed from main', async () => {
    const invite = world.fake.control.createEvent('boss@clientc.example', 'boss@clientc.example', {
      summary: 'All hands',
      ...at(13),
      attendees: [{ email: C }],
    });
    await world.sync(ann, C);
    expect(titles(world, A)).toEqual([BUSY]);
    world.fake.control.deleteEvent(MAIN, MAIN, world.live(MAIN)[0].id);
    await world.settle();
    await world.sync(ann);
    const [onClient] = world.live(C);
    expect(titles(world, C)).toEqual(['All hands']);
    expect(onClient.data.attendees?.find((a) => a.email === C)?.responseStatus).toBe('declined');
    const organizerCopy = world.live('boss@clientc.example').find((e) => e.id === invite.id);
    expect(organizerCopy?.data.attendees?.find((a) => a.email === C)?.responseStatus).toBe('declined');
    for (const cal of [MAIN, A, B, PERSONAL]) expect(titles(world, cal)).toEqual([]);
    personalUntouched();
  });

  it('11. all-day free event -> no busy blocks', async () => {
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Vacation', ...allDay(), transparency: 'transparent' });
    await world.settle();
    expect(world.fake.control.deliveries().some((d) => d.state === 'exists' && d.status === 200)).toBe(true);
    expect(titles(world, MAIN)).toEqual(['Vacation']);
    for (const cal of [A, B, C, PERSONAL]) expect(titles(world, cal)).toEqual([]);
    personalUntouched();
  });

  it('12. all-day busy event -> all-day busy blocks', async () => {
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Offsite', ...allDay(), transparency: 'opaque' });
    await world.settle();
    for (const cal of [A, B, C]) {
      expect(titles(world, cal)).toEqual([BUSY]);
      const [block] = world.live(cal);
      expectBusyBlock(block);
      expect(block.data.start).toEqual({ date: allDay().start.date });
      expect(block.data.end).toEqual({ date: allDay().end.date });
    }
    expect(titles(world, PERSONAL)).toEqual([]);
    personalUntouched();
  });

  it('personal event -> Busy (Personal) on main and every client; the personal calendar is never written', async () => {
    world.fake.control.createEvent(PERSONAL, PERSONAL, { summary: 'Doctor', description: 'secret', ...at(8) });
    await world.sync(ann, PERSONAL);
    for (const cal of [MAIN, A, B, C]) {
      expect(titles(world, cal)).toEqual([`${PREFIX} Busy (Personal)`]);
      expectBusyBlock(world.live(cal)[0], true);
    }
    await world.sync(ann);
    expect(titles(world, PERSONAL)).toEqual(['Doctor']);
    personalUntouched();
  });

  it('13. disconnect a client -> its blocks, its copies on main and the blocks derived from it are gone', async () => {
    world.fake.control.createEvent(A, A, { summary: 'From A', ...at(10) });
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'From main', ...at(12) });
    await world.sync(ann);
    expect(titles(world, MAIN)).toEqual(['From A', 'From main']);
    expect(titles(world, A)).toEqual(['From A', BUSY]);
    for (const cal of [B, C]) expect(titles(world, cal)).toEqual([BUSY, BUSY]);
    const id = ann.rows.get(A)!.id;
    expect(await world.disconnect(ann, A)).toMatchObject({ id, isActive: false });
    expect(titles(world, A)).toEqual(['From A']);
    expect(titles(world, MAIN)).toEqual(['From main']);
    for (const cal of [B, C]) {
      expect(titles(world, cal)).toEqual([BUSY]);
      expectBusyBlock(world.live(cal)[0]);
    }
    const listed = (await ann.session.json<Array<{ id: number; isActive: boolean }>>('GET', '/api/client-calendars'))
      .body;
    expect(
      listed
        .filter((r) => r.isActive)
        .map((r) => r.id)
        .sort(),
    ).toEqual([ann.rows.get(B)!.id, ann.rows.get(C)!.id].sort());
    // Later syncs neither resurrect nor touch the disconnected calendar.
    const mark = Date.now();
    await world.sync(ann);
    expect(world.fake.control.callLog({ since: mark }).filter((c) => c.calendarId === A)).toEqual([]);
    expect(titles(world, MAIN)).toEqual(['From main']);
    expect(titles(world, A)).toEqual(['From A']);
    personalUntouched();
  });

  it('18. two consultants with overlapping client orgs and one shared client calendar stay independent', async () => {
    const ben = await world.signIn('ben@home.example');
    users.push(ben);
    await world.connect(ben, 'client', 'ben@clienta.example');
    await world.connect(ben, 'client', B); // the same client account and calendar, connected by both users
    await world.settle();
    world.fake.control.createEvent('boss@clienta.example', 'boss@clienta.example', {
      summary: 'Client all-hands',
      ...at(16),
      attendees: [{ email: A }, { email: 'ben@clienta.example' }],
    });
    world.fake.control.createEvent('ben@home.example', 'ben@home.example', { summary: 'Ben only', ...at(8) });
    await Promise.all([world.sync(ann), world.sync(ben)]);
    expect(titles(world, MAIN)).toEqual(['Client all-hands']);
    expect(titles(world, 'ben@home.example')).toEqual(['Ben only', 'Client all-hands']);
    // Client C is only Ann's: her copy of the all-hands blocks it; Ben's event does not.
    expect(titles(world, C)).toEqual([BUSY]);
    // Ben's main event blocks Ben's client A calendar, never Ann's.
    expect(titles(world, 'ben@clienta.example')).toEqual(['Client all-hands', BUSY]);
    expect(titles(world, A)).toEqual(['Client all-hands']);
    // The shared client calendar B carries one block per user and origin, each user's own.
    const owners = () =>
      world
        .live(B)
        .map((e) => e.data.extendedProperties?.private?.busybridgeUser)
        .sort();
    expect(owners()).toEqual([String(ann.userId), String(ben.userId), String(ben.userId)].sort());
    for (const block of world.live(B)) expectBusyBlock(block);
    // Ann disconnecting her B leaves Ben's blocks there and Ben's calendars as they were.
    await world.disconnect(ann, B);
    expect(owners()).toEqual([String(ben.userId), String(ben.userId)]);
    expect(titles(world, 'ben@home.example')).toEqual(['Ben only', 'Client all-hands']);
    expect(titles(world, MAIN)).toEqual(['Client all-hands']);
    personalUntouched();
  });
});
