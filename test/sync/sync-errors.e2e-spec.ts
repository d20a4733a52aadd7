import { AlertQueueItem, AlertType, CalendarSyncState, ClientCalendar } from '../../src/database/entities';
import { SETTING_KEYS, SettingsService } from '../../src/settings/settings.service';
import { SyncWorld } from '../support/sync-world';
import { A, Ann, at, B, C, connectAnn, MAIN, PREFIX, SEED, titles } from './sync-fixtures';

/** Error handling against the emulator: retries, backoff, the five-failure alert, inaccessible calendars. */
describe('sync error handling', () => {
  let world: SyncWorld;
  let ann: Ann;

  beforeEach(async () => {
    world = await SyncWorld.start(SEED);
    ann = await connectAnn(world);
    // Alerts are only queued with SMTP configured (nothing is sent here: the queue is read).
    await world.product.app.get(SettingsService).set({
      [SETTING_KEYS.smtpHost]: '127.0.0.1',
      [SETTING_KEYS.smtpPort]: '2525',
      [SETTING_KEYS.smtpFromAddress]: 'bb@home.example',
      [SETTING_KEYS.alertsEnabled]: 'true',
      [SETTING_KEYS.alertEmails]: 'ops@home.example',
    });
    await world.sync.fullResync(ann.user.id);
  });
  afterEach(async () => {
    await world.close();
  });

  const state = (id: number) =>
    world.db.reader.getRepository(CalendarSyncState).findOneByOrFail({ clientCalendarId: id });
  const alerts = (type: AlertType) => world.db.reader.getRepository(AlertQueueItem).findBy({ alertType: type });

  it('a transient fault within one call is retried with backoff: the sync succeeds, honouring Retry-After', async () => {
    world.fake.control.createEvent(A, A, { summary: 'Flaky', ...at(10) });
    world.fake.control.injectFault({
      kind: 'events.insert',
      status: 429,
      reason: 'rateLimitExceeded',
      retryAfter: 0,
      times: 2,
    });
    world.fake.control.injectFault({ kind: 'events.list', status: 503, times: 1 });
    await world.sync.syncCalendarNow(ann.a.id);
    expect(titles(world, MAIN)).toEqual(['Flaky']);
    expect(world.fake.control.callLog({ status: 429 })).toHaveLength(2);
    expect((await state(ann.a.id)).consecutiveFailures).toBe(0);
  });

  it('five failed syncs in a row: backoff via next_retry_at, one sync_failures alert; other calendars keep syncing', async () => {
    world.fake.control.injectFault({
      kind: 'events.list',
      path: encodeURIComponent(B),
      status: 500,
      reason: 'backendError',
    });
    for (let i = 1; i <= 6; i++) {
      await expect(world.sync.syncCalendarNow(ann.b.id)).rejects.toThrow();
      const s = await state(ann.b.id);
      expect(s.consecutiveFailures).toBe(i);
      expect(s.status).toBe('backoff');
      expect(s.nextRetryAt!.getTime()).toBeGreaterThan(Date.now() + 25_000);
      if (i === 4) expect(await alerts('sync_failures')).toEqual([]);
    }
    expect((await alerts('sync_failures')).length).toBeGreaterThan(0);
    const firstBatch = (await alerts('sync_failures')).length;
    // The poll leaves B to its backoff and syncs the others.
    world.fake.control.createEvent(C, C, { summary: 'Meanwhile', ...at(9) });
    world.fake.control.clearCallLog();
    await world.sync.pollAll();
    await world.sync.onIdle();
    expect(world.fake.control.callLog({ kind: 'events.list' }).map((c) => c.calendarId)).not.toContain(B);
    expect(titles(world, MAIN)).toEqual(['Meanwhile']);
    expect((await alerts('sync_failures')).length).toBe(firstBatch);
    // Once Google answers again, the next sync clears the streak.
    world.fake.control.clearFaults();
    await world.sync.syncCalendarNow(ann.b.id);
    expect(await state(ann.b.id)).toMatchObject({ consecutiveFailures: 0, status: 'ok', nextRetryAt: null });
  });

  it.each([
    ['is gone (404)', 404, 'notFound'],
    ['refuses writes (403)', 403, 'requiredAccessLevel'],
    ['has a revoked account (401 then invalid_grant)', 401, 'authError'],
  ])(
    "a target calendar that %s fails no other calendar's sync; the others get their blocks",
    async (_name, status, reason) => {
      world.fake.control.injectFault({ kind: 'events.insert', path: encodeURIComponent(C), status, reason });
      if (status === 401) world.fake.control.revokeGrants(C);
      world.fake.control.createEvent(MAIN, MAIN, { summary: 'Gym', ...at(7) });
      world.fake.control.createEvent(MAIN, MAIN, { summary: 'Dentist', ...at(11) });
      await world.sync.syncCalendarNow(ann.main.id);
      for (const cal of [A, B]) expect(titles(world, cal)).toEqual([`${PREFIX} Busy`, `${PREFIX} Busy`]);
      expect(titles(world, C)).toEqual([]);
      expect((await state(ann.main.id)).status).toBe('ok');
      // The calendar is closed for the rest of the run: one refused write, not one per event.
      expect(world.fake.control.callLog({ kind: 'events.insert', calendarId: C }).length).toBeLessThanOrEqual(1);
    },
  );

  it.each([
    ['calendar deleted (404)', 404, 'notFound'],
    ['insufficient permission (403)', 403, 'insufficientPermissions'],
  ])(
    '%s: the calendar is made inactive (not disconnected, rows kept) and calendar_inaccessible raised',
    async (_name, status, reason) => {
      world.fake.control.createEvent(MAIN, MAIN, { summary: 'Gym', ...at(7) });
      await world.sync.syncCalendarNow(ann.main.id);
      world.fake.control.injectFault({ kind: 'events.list', path: encodeURIComponent(C), status, reason });
      await expect(world.sync.syncCalendarNow(ann.c.id)).rejects.toThrow();
      const row = await world.db.reader.getRepository(ClientCalendar).findOneByOrFail({ id: ann.c.id });
      expect(row).toMatchObject({ isActive: false, disconnectedAt: null });
      expect(
        await world.db.reader.query(`SELECT COUNT(*) AS n FROM busy_blocks WHERE client_calendar_id = ?`, [ann.c.id]),
      ).toEqual([{ n: 1 }]);
      expect((await alerts('calendar_inaccessible')).length).toBeGreaterThan(0);
      // It no longer receives blocks or polls; the others go on.
      world.fake.control.clearCallLog();
      world.fake.control.createEvent(MAIN, MAIN, { summary: 'Dentist', ...at(11) });
      await world.sync.pollAll();
      await world.sync.onIdle();
      expect(world.fake.control.callLog().filter((c) => c.calendarId === C)).toEqual([]);
      expect(titles(world, B)).toEqual([`${PREFIX} Busy`, `${PREFIX} Busy`]);
    },
  );
});
