import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseService } from '../../src/database/database.service';
import {
  AlertQueueItem,
  BusyBlock,
  CalendarSyncState,
  ClientCalendar,
  EventMapping,
  OAuthToken,
  SyncLog,
  User,
  WebhookChannel,
} from '../../src/database/entities';
import { openDatabase } from '../../src/database/open-database';
import { RetentionRepository } from '../../src/database/repositories/retention.repository';
import { RetentionService } from '../../src/jobs/retention.service';

const DAY = 86_400_000;
const T0 = new Date('2026-01-01T12:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * DAY);

/** Small factories over a real migrated database. */
let seqCounter = 0;

class World {
  private get seq(): number {
    return seqCounter;
  }
  private set seq(v: number) {
    seqCounter = v;
  }
  constructor(readonly m: EntityManager) {}

  async user(): Promise<User> {
    const n = ++this.seq;
    return this.m.getRepository(User).save({ email: `u${n}@corp.example`, googleUserId: `g${n}` });
  }
  async account(user: User, type: 'home' | 'client' = 'client'): Promise<OAuthToken> {
    return this.m.getRepository(OAuthToken).save({
      userId: user.id,
      accountType: type,
      googleAccountEmail: `a${++this.seq}@client.example`,
      accessTokenEncrypted: Buffer.from('x'),
      refreshTokenEncrypted: Buffer.from('y'),
    });
  }
  async calendar(user: User, account: OAuthToken, type: 'main' | 'client' = 'client'): Promise<ClientCalendar> {
    const cal = await this.m
      .getRepository(ClientCalendar)
      .save({ userId: user.id, oauthTokenId: account.id, googleCalendarId: `c${++this.seq}`, calendarType: type });
    await this.m.getRepository(CalendarSyncState).save({ clientCalendarId: cal.id });
    return cal;
  }
  async mapping(
    user: User,
    origin: ClientCalendar,
    fields: Partial<EventMapping>,
    blocksOn: ClientCalendar[] = [],
  ): Promise<EventMapping> {
    const mapping = await this.m.getRepository(EventMapping).save({
      userId: user.id,
      originType: 'client',
      originCalendarId: origin.id,
      originEventId: `e${++this.seq}`,
      ...fields,
    });
    for (const cal of blocksOn) {
      await this.m
        .getRepository(BusyBlock)
        .save({ eventMappingId: mapping.id, clientCalendarId: cal.id, busyBlockEventId: `b${++this.seq}` });
    }
    return mapping;
  }
  async log(at: Date, calendarId: number | null = null): Promise<void> {
    await this.m.getRepository(SyncLog).insert({ action: 'sync', status: 'success', calendarId, createdAt: at });
  }
  async alert(at: Date, state: 'sent' | 'failed' | 'pending'): Promise<void> {
    await this.m.getRepository(AlertQueueItem).insert({
      alertType: 'system_error',
      recipientEmail: 'a@corp.example',
      subject: 's',
      body: 'b',
      createdAt: at,
      sentAt: state === 'sent' ? at : null,
      failedAt: state === 'failed' ? at : null,
    });
  }
  async disconnect(cal: ClientCalendar, at: Date): Promise<void> {
    await this.m.getRepository(ClientCalendar).update(cal.id, { isActive: false, disconnectedAt: at });
  }
}

describe('retention cleanup', () => {
  let dir: string;
  let ds: DataSource;
  let retention: RetentionService;
  let w: World;
  const count = (entity: Parameters<EntityManager['count']>[0]) => ds.manager.count(entity);

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-retention-'));
    ds = await openDatabase(path.join(dir, 'db.sqlite'));
    retention = new RetentionService(new RetentionRepository(new DatabaseService(ds)));
    w = new World(ds.manager);
  });
  afterEach(async () => {
    if (ds.isInitialized) await ds.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('applies each row of the retention table at its boundary', async () => {
    const u = await w.user();
    const home = await w.account(u, 'home');
    const main = await w.calendar(u, home, 'main');
    const client = await w.calendar(u, await w.account(u));
    const now = day(100);
    const recentSingle = await w.mapping(u, client, { eventEnd: day(71) }, [main]); // ended 29 days ago: kept
    const oldSingle = await w.mapping(u, client, { eventEnd: day(69) }, [main]); // ended 31 days ago: deleted
    const liveSeries = await w.mapping(u, client, { isRecurring: true, eventEnd: day(1) }); // series exists: kept forever
    const oldException = await w.mapping(u, client, {
      originRecurringEventId: liveSeries.originEventId,
      eventEnd: day(2),
    }); // with its live parent: kept
    const recentlyDeletedSeries = await w.mapping(u, client, { isRecurring: true, deletedAt: day(80) }); // 20 days: kept (recovery window)
    const deletedSeries = await w.mapping(u, client, { isRecurring: true, deletedAt: day(60) }, [main]); // 40 days: deleted
    const itsInstance = await w.mapping(u, client, {
      originRecurringEventId: deletedSeries.originEventId,
      eventEnd: day(99),
    }); // goes with it
    const orphan = await w.mapping(u, client, {
      originRecurringEventId: 'never-mapped-series',
      eventEnd: day(99),
      createdAt: day(0),
    }); // parent gone: deleted
    await w.log(day(11)); // 89 days: kept
    await w.log(day(9)); // 91 days: deleted
    await w.alert(day(94), 'sent'); // 6 days: kept
    await w.alert(day(92), 'sent'); // 8 days: deleted
    await w.alert(day(92), 'failed'); // 8 days: deleted
    await w.alert(day(50), 'pending'); // never sent yet: kept

    const counts = await retention.cleanup(now);

    const ids = (await ds.manager.find(EventMapping)).map((m) => m.id).sort((a, b) => a - b);
    expect(ids).toEqual(
      [recentSingle.id, liveSeries.id, oldException.id, recentlyDeletedSeries.id].sort((a, b) => a - b),
    );
    expect(ids).not.toContain(oldSingle.id);
    expect(ids).not.toContain(itsInstance.id);
    expect(ids).not.toContain(orphan.id);
    // Busy-block rows went with their mappings.
    expect((await ds.manager.find(BusyBlock)).map((b) => b.eventMappingId)).toEqual([recentSingle.id]);
    expect(await count(SyncLog)).toBe(1);
    expect(await count(AlertQueueItem)).toBe(2);
    expect(counts).toEqual({
      singleMappings: 1,
      deletedSeries: 1,
      orphanInstances: 1,
      syncLog: 1,
      disconnectedCalendars: 0,
      alerts: 2,
    });
  });

  it('removes a calendar 30 days after disconnection with its mappings, blocks, state, channels and account', async () => {
    const u = await w.user();
    const home = await w.account(u, 'home');
    const main = await w.calendar(u, home, 'main');
    const otherClient = await w.calendar(u, await w.account(u));
    const sharedAccount = await w.account(u);
    const gone = await w.calendar(u, sharedAccount);
    const stillUsesAccount = await w.calendar(u, sharedAccount);
    const goneAlone = await w.calendar(u, await w.account(u));
    const recent = await w.calendar(u, await w.account(u));
    // Origin on the disconnected calendar; blocks on it for events from elsewhere.
    await w.mapping(u, gone, { eventEnd: day(200) }, [otherClient]);
    const fromMain = await w.mapping(u, main, { originType: 'main', eventEnd: day(200) }, [gone, otherClient]);
    await ds.manager.getRepository(WebhookChannel).insert({
      userId: u.id,
      calendarType: 'client',
      clientCalendarId: gone.id,
      channelId: 'ch1',
      resourceId: 'r',
      expiration: day(40),
    });
    await w.disconnect(gone, day(60));
    await w.disconnect(goneAlone, day(60));
    await w.disconnect(recent, day(80));
    await w.log(day(99), gone.id); // audit kept by its own 90-day rule

    const counts = await retention.cleanup(day(100));

    expect(counts.disconnectedCalendars).toBe(2);
    const calendars = (await ds.manager.find(ClientCalendar)).map((c) => c.id).sort((a, b) => a - b);
    expect(calendars).toEqual([main.id, otherClient.id, stillUsesAccount.id, recent.id].sort((a, b) => a - b));
    expect((await ds.manager.find(EventMapping)).map((m) => m.id)).toEqual([fromMain.id]);
    expect((await ds.manager.find(BusyBlock)).map((b) => b.clientCalendarId)).toEqual([otherClient.id]);
    expect(await ds.manager.countBy(CalendarSyncState, { clientCalendarId: gone.id })).toBe(0);
    expect(await count(WebhookChannel)).toBe(0);
    // The account shared with a live calendar stays; the one used only by the removed calendar goes.
    expect(await ds.manager.countBy(OAuthToken, { id: sharedAccount.id })).toBe(1);
    expect(await ds.manager.countBy(OAuthToken, { id: goneAlone.oauthTokenId })).toBe(0);
    expect(await ds.manager.countBy(OAuthToken, { id: home.id })).toBe(1);
    expect(await count(SyncLog)).toBe(1);
    const [{ integrity_check }] = await ds.query('PRAGMA integrity_check');
    expect(integrity_check).toBe('ok');
    expect(await ds.query('PRAGMA foreign_key_check')).toEqual([]);
  });

  it('keeps the database bounded over 300 simulated days of steady use', async () => {
    // Speed only: this test's own file, where durability across power loss is irrelevant.
    await ds.query('PRAGMA synchronous = OFF');
    const u = await w.user();
    const home = await w.account(u, 'home');
    const main = await w.calendar(u, home, 'main');
    const client = await w.calendar(u, await w.account(u));
    const sizes: Array<Record<string, number>> = [];
    let series: EventMapping | null = null;
    for (let d = 0; d < 300; d++) {
      const today = day(d);
      await ds.transaction(async (m) => {
        const tw = new World(m);
        for (let i = 0; i < 10; i++)
          await tw.mapping(u, client, { eventStart: today, eventEnd: new Date(today.getTime() + 3600_000) }, [main]);
        for (let i = 0; i < 20; i++) await tw.log(today);
        await tw.alert(today, d % 3 === 0 ? 'failed' : 'sent');
        if (d % 7 === 0) {
          // A weekly series replaces last week's, which is soft-deleted; a client is connected and dropped.
          if (series) await m.getRepository(EventMapping).update(series.id, { deletedAt: today });
          series = await tw.mapping(u, client, { isRecurring: true, eventStart: today }, [main]);
          await tw.mapping(u, client, { originRecurringEventId: series.originEventId, eventEnd: today });
          const c = await tw.calendar(u, await tw.account(u));
          await tw.mapping(u, c, { eventEnd: new Date(today.getTime() + 90 * DAY) }, [main]);
          await tw.disconnect(c, today);
        }
      });
      await retention.cleanup(today);
      if (d % 50 === 49) {
        sizes.push({
          mappings: await count(EventMapping),
          blocks: await count(BusyBlock),
          logs: await count(SyncLog),
          alerts: await count(AlertQueueItem),
          calendars: await count(ClientCalendar),
          accounts: await count(OAuthToken),
        });
      }
    }
    // After the longest window (90 days) every table has reached its plateau and stays there.
    const plateau = sizes.slice(2);
    for (const s of plateau) {
      expect(s.logs).toBeLessThanOrEqual(91 * 20);
      expect(s.alerts).toBeLessThanOrEqual(8);
      expect(s.mappings).toBeLessThanOrEqual(31 * 10 + 2 * 6 + 10);
      expect(s.calendars).toBeLessThanOrEqual(2 + 6);
      expect(s.accounts).toBeLessThanOrEqual(2 + 6);
    }
    const first = plateau[0];
    for (const s of plateau)
      for (const k of Object.keys(first))
        expect(Math.abs(s[k] - first[k])).toBeLessThanOrEqual(Math.max(3, first[k] * 0.05));
  }, 120_000);
});
