import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { DatabaseService } from '../database.service';
import { CalendarSyncState } from '../entities';
import { openDatabase } from '../open-database';
import { CalendarSyncStateRepository } from './calendar-sync-state.repository';

// Its statements are hand-written (DirectRows): what it stores and loads must be what TypeORM's own
// repository API stores and loads, types included.
describe('CalendarSyncStateRepository (hand-written statements)', () => {
  let dir: string;
  let source: DataSource;
  let states: CalendarSyncStateRepository;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-syncstate-'));
    source = await openDatabase(path.join(dir, 'db.sqlite'));
    await source.query('PRAGMA foreign_keys = OFF'); // a state row without its user and calendar rows
    states = new CalendarSyncStateRepository(new DatabaseService(source));
  });
  afterEach(async () => {
    await source.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });
  const viaTypeorm = (id: number) => source.getRepository(CalendarSyncState).findOneBy({ clientCalendarId: id });

  it('creates the row on first write with the defaults, then changes only what it is told', async () => {
    expect(await states.get(7)).toBeNull();
    await states.setStatus(7, 'syncing');
    expect(await states.get(7)).toEqual(await viaTypeorm(7));
    expect(await states.get(7)).toMatchObject({ clientCalendarId: 7, status: 'syncing', consecutiveFailures: 0, syncToken: null, nextRetryAt: null });
    const now = new Date('2026-03-04T05:06:07.089Z');
    await states.saveToken(7, 'tok-1', true, now);
    const saved = await states.get(7);
    expect(saved).toEqual(await viaTypeorm(7));
    expect(saved).toMatchObject({ status: 'ok', syncToken: 'tok-1', lastIncrementalSync: now, lastFullSync: now });
    expect(saved?.lastFullSync).toBeInstanceOf(Date);
    expect(await states.recordFailure(7, 'error', 'boom')).toBe(1);
    expect(await states.recordFailure(7, 'error', 'boom')).toBe(2);
    const failing = await states.get(7);
    expect(failing).toMatchObject({ syncToken: 'tok-1', lastFullSync: now, status: 'error', lastError: 'boom', consecutiveFailures: 2 });
    expect(await source.query('SELECT COUNT(*) AS n FROM calendar_sync_state')).toEqual([{ n: 1 }]);
  });

  it('reads a row TypeORM wrote exactly as TypeORM does', async () => {
    await source.getRepository(CalendarSyncState).insert({ clientCalendarId: 9, syncToken: 't', status: 'backoff', consecutiveFailures: 3, nextRetryAt: new Date('2026-01-02T03:04:05.000Z'), lastError: 'x' });
    expect(await states.get(9)).toEqual(await viaTypeorm(9));
  });
});
