import { DatabaseService } from '../database.service';
import { CalendarSyncState } from '../entities';
import { useTempDatabase } from '../../../test/support/temp-database';
import { CalendarSyncStateRepository } from './calendar-sync-state.repository';

// Its statements are hand-written (DirectRows): what it stores and loads must be what TypeORM's own
// repository API stores and loads, types included.
describe('CalendarSyncStateRepository (hand-written statements)', () => {
  const db = useTempDatabase('syncstate'); // state rows without their user and calendar rows
  let states: CalendarSyncStateRepository;
  beforeEach(() => {
    states = new CalendarSyncStateRepository(new DatabaseService(db()));
  });
  const viaTypeorm = (id: number) => db().getRepository(CalendarSyncState).findOneBy({ clientCalendarId: id });

  it('creates the row on first write with the defaults, then changes only what it is told', async () => {
    expect(await states.get(7)).toBeNull();
    await states.setStatus(7, 'syncing');
    expect(await states.get(7)).toEqual(await viaTypeorm(7));
    expect(await states.get(7)).toMatchObject({
      clientCalendarId: 7,
      status: 'syncing',
      consecutiveFailures: 0,
      syncToken: null,
      nextRetryAt: null,
    });
    const now = new Date('2026-03-04T05:06:07.089Z');
    await states.saveToken(7, 'tok-1', true, now);
    const saved = await states.get(7);
    expect(saved).toEqual(await viaTypeorm(7));
    expect(saved).toMatchObject({ status: 'ok', syncToken: 'tok-1', lastIncrementalSync: now, lastFullSync: now });
    expect(saved?.lastFullSync).toBeInstanceOf(Date);
    expect(await states.recordFailure(7, 'error', 'boom')).toBe(1);
    expect(await states.recordFailure(7, 'error', 'boom')).toBe(2);
    const failing = await states.get(7);
    expect(failing).toMatchObject({
      syncToken: 'tok-1',
      lastFullSync: now,
      status: 'error',
      lastError: 'boom',
      consecutiveFailures: 2,
    });
    expect(await db().query('SELECT COUNT(*) AS n FROM calendar_sync_state')).toEqual([{ n: 1 }]);
  });

  it('reads a row TypeORM wrote exactly as TypeORM does', async () => {
    await db()
      .getRepository(CalendarSyncState)
      .insert({
        clientCalendarId: 9,
        syncToken: 't',
        status: 'backoff',
        consecutiveFailures: 3,
        nextRetryAt: new Date('2026-01-02T03:04:05.000Z'),
        lastError: 'x',
      });
    expect(await states.get(9)).toEqual(await viaTypeorm(9));
  });
});
