import { DatabaseService } from '../../src/database/database.service';
import { connectAccount } from '../support/http-session';
import { Consultant, HttpWorld } from './http-world';
import { A, at, B, C, D, MAIN, PREFIX, SEED, titles } from './sync-fixtures';

const BUSY = `${PREFIX} Busy`;

/**
 * A revoked token alerts and makes that calendar inactive; nothing else breaks. One client account's
 * grant is revoked at Google; the product finds out when it next writes there, and from then on plans that
 * calendar like an inactive one until the account is connected again.
 */
describe('one revoked client account', () => {
  let world: HttpWorld;
  let ann: Consultant;

  beforeEach(async () => {
    world = await HttpWorld.start(SEED);
    ann = await world.signIn(MAIN);
    for (const client of [A, B, C, D]) await world.connect(ann, 'client', client);
    await world.settle();
  });
  afterEach(async () => {
    try {
      expect(await world.invariants(ann)).toEqual([]);
    } finally {
      await world.close();
    }
  });

  const statuses = async () => {
    const rows = (
      await ann.session.json<Array<{ googleCalendarId: string; status: string }>>('GET', '/api/client-calendars')
    ).body;
    return Object.fromEntries(rows.map((r) => [r.googleCalendarId, r.status]));
  };
  const syncStates = async () => {
    const rows: Array<{ id: number; status: string }> = await world.product.app
      .get(DatabaseService)
      .reader.query('SELECT client_calendar_id AS id, status FROM calendar_sync_state');
    return rows.filter((r) => r.id !== ann.rows.get(C)!.id).map((r) => r.status);
  };

  it('stalls nothing else, shows only its own error, and is made up for when the account is reconnected', async () => {
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Before', ...at(8) });
    await world.settle();
    for (const cal of [A, B, C, D]) expect(titles(world, cal)).toEqual([BUSY]);

    world.fake.control.revokeGrants(C);
    world.fake.control.createEvent(MAIN, MAIN, { summary: 'Dentist', ...at(9) });
    await world.settle();
    for (const cal of [A, B, D]) expect(titles(world, cal)).toEqual([BUSY, BUSY]);
    expect(titles(world, C)).toEqual([BUSY]);

    world.fake.control.createEvent(A, A, { summary: 'Kickoff', ...at(11) });
    await world.sync(ann, A);
    expect(titles(world, MAIN)).toEqual(['Before', 'Dentist', 'Kickoff']);
    for (const cal of [B, D]) expect(titles(world, cal)).toEqual([BUSY, BUSY, BUSY]);
    expect(titles(world, C)).toEqual([BUSY]);
    expect(await statuses()).toEqual({ [A]: 'ok', [B]: 'ok', [C]: 'error', [D]: 'ok' });
    expect(new Set(await syncStates())).toEqual(new Set(['ok']));

    const back = await connectAccount(ann.session, '/auth/connect-client', C);
    expect(back.headers.get('location')).toMatch(/^\/app\/connect\?account=/);
    await world.settle();
    expect(titles(world, C)).toEqual([BUSY, BUSY, BUSY]);
    expect(await statuses()).toEqual({ [A]: 'ok', [B]: 'ok', [C]: 'ok', [D]: 'ok' });
  });
});
