import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import { DatabaseService } from '../database.service';
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
} from '../entities';

export interface UserListQuery {
  search?: string;
  admin?: boolean;
}

export interface UserRowCounts {
  user: User;
  calendarCount: number;
}

export interface SystemCounts {
  users: number;
  admins: number;
  calendars: { main: number; client: number; personal: number };
  mainCopies: number;
  busyBlocks: number;
  syncRuns24h: number;
  syncFailures24h: number;
  webhookChannels: number;
  webhooksExpiringSoon: number;
  webhooksExpired: number;
  calendarsWithoutWebhook: number;
}

/** The admin console's cross-user reads, and user removal (every row a user owns, in one transaction). */
@Injectable()
export class AdminRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Users with their active client + personal calendar counts; search matches email or name. */
  async listUsers(q: UserListQuery): Promise<UserRowCounts[]> {
    const qb = this.db.reader.getRepository(User).createQueryBuilder('u');
    if (q.search) {
      const like = `%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where("LOWER(u.email) LIKE :like ESCAPE '\\'", { like })
            .orWhere("LOWER(COALESCE(u.display_name, '')) LIKE :like ESCAPE '\\'", { like }),
        ),
      );
    }
    if (q.admin !== undefined) qb.andWhere('u.is_admin = :admin', { admin: q.admin ? 1 : 0 });
    const users = await qb.orderBy('u.email', 'ASC').getMany();
    if (users.length === 0) return [];
    const rows: Array<{ userId: number; n: number }> = await this.db.reader
      .getRepository(ClientCalendar)
      .createQueryBuilder('c')
      .select('c.user_id', 'userId')
      .addSelect('COUNT(*)', 'n')
      .where('c.is_active = 1 AND c.calendar_type IN (:...types)', { types: ['client', 'personal'] })
      .andWhere('c.user_id IN (:...ids)', { ids: users.map((u) => u.id) })
      .groupBy('c.user_id')
      .getRawMany();
    const counts = new Map(rows.map((r) => [Number(r.userId), Number(r.n)]));
    return users.map((user) => ({ user, calendarCount: counts.get(user.id) ?? 0 }));
  }

  /** Active calendars of these users with their sync states (for the worst-status column). */
  async activeCalendarsOf(
    userIds: number[],
  ): Promise<Array<{ calendar: ClientCalendar; state: CalendarSyncState | null }>> {
    if (userIds.length === 0) return [];
    const calendars = await this.db.reader
      .getRepository(ClientCalendar)
      .find({ where: { userId: In(userIds), isActive: true }, order: { id: 'ASC' } });
    const ids = calendars.map((c) => c.id);
    const states = ids.length
      ? await this.db.reader.getRepository(CalendarSyncState).findBy({ clientCalendarId: In(ids) })
      : [];
    const byId = new Map(states.map((s) => [s.clientCalendarId, s]));
    return calendars.map((calendar) => ({ calendar, state: byId.get(calendar.id) ?? null }));
  }

  tokensOf(userIds: number[]): Promise<OAuthToken[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.db.reader.getRepository(OAuthToken).find({ where: { userId: In(userIds) } });
  }

  async counts(now: Date): Promise<SystemCounts> {
    const r = this.db.reader;
    const dayAgo = new Date(now.getTime() - 24 * 3600_000);
    const soon = new Date(now.getTime() + 24 * 3600_000);
    const byType: Array<{ t: string; n: number }> = await r
      .getRepository(ClientCalendar)
      .createQueryBuilder('c')
      .select('c.calendar_type', 't')
      .addSelect('COUNT(*)', 'n')
      .where('c.is_active = 1')
      .groupBy('c.calendar_type')
      .getRawMany();
    const type = (t: string) => Number(byType.find((x) => x.t === t)?.n ?? 0);
    const logs = r
      .getRepository(SyncLog)
      .createQueryBuilder('l')
      .where('l.created_at >= :dayAgo', { dayAgo })
      .andWhere("l.action IN ('sync', 'full_sync')");
    const channels = r.getRepository(WebhookChannel);
    const withoutWebhook: Array<{ n: number }> = await r.query(
      `SELECT COUNT(*) AS n FROM client_calendars c WHERE c.is_active = 1
       AND NOT EXISTS (SELECT 1 FROM webhook_channels w WHERE w.client_calendar_id = c.id AND w.expiration > ?)`,
      [now.toISOString().replace('T', ' ').replace('Z', '')],
    );
    return {
      users: await r.getRepository(User).count(),
      admins: await r.getRepository(User).countBy({ isAdmin: true }),
      calendars: { main: type('main'), client: type('client'), personal: type('personal') },
      mainCopies: await r
        .getRepository(EventMapping)
        .createQueryBuilder('m')
        .where('m.main_event_id IS NOT NULL AND m.deleted_at IS NULL')
        .getCount(),
      busyBlocks: await r.getRepository(BusyBlock).count(),
      syncRuns24h: await logs.clone().getCount(),
      syncFailures24h: await logs.clone().andWhere("l.status = 'failure'").getCount(),
      webhookChannels: await channels.createQueryBuilder('w').where('w.expiration > :now', { now }).getCount(),
      webhooksExpiringSoon: await channels
        .createQueryBuilder('w')
        .where('w.expiration > :now AND w.expiration <= :soon', { now, soon })
        .getCount(),
      webhooksExpired: await channels.createQueryBuilder('w').where('w.expiration <= :now', { now }).getCount(),
      calendarsWithoutWebhook: Number(withoutWebhook[0]?.n ?? 0),
    };
  }

  async calendarNames(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.reader
      .getRepository(ClientCalendar)
      .find({ select: { id: true, displayName: true, googleCalendarId: true }, where: { id: In(ids) } });
    return new Map(rows.map((c) => [c.id, c.displayName ?? c.googleCalendarId]));
  }

  recentAlerts(limit: number): Promise<AlertQueueItem[]> {
    return this.db.reader.getRepository(AlertQueueItem).find({ order: { id: 'DESC' }, take: limit });
  }

  /** Main copies of the coming window (for the events page): the mapping says whether the user may edit. */
  mainCopiesBetween(userId: number, from: Date, to: Date): Promise<EventMapping[]> {
    return this.db.reader
      .getRepository(EventMapping)
      .createQueryBuilder('m')
      .where(
        'm.user_id = :userId AND m.main_event_id IS NOT NULL AND m.deleted_at IS NULL AND m.dismissed_at IS NULL',
        { userId },
      )
      .andWhere('(m.is_recurring = 1 OR (m.event_end >= :from AND m.event_start <= :to))', { from, to })
      .orderBy('m.event_start', 'ASC')
      .getMany();
  }

  mappingsByIds(userId: number, ids: number[]): Promise<EventMapping[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.reader.getRepository(EventMapping).findBy({ userId, id: In(ids) });
  }

  /**
   * Removes the user and every row that belongs to them. The calendars' Google-side cleanup must already
   * be done (the caller runs the sync engine's disconnect first): this only forgets.
   */
  deleteUser(userId: number): Promise<boolean> {
    return this.db.write(async (m: EntityManager) => {
      // Checked at COMMIT: the order below then need not follow every foreign key.
      await m.query('PRAGMA defer_foreign_keys = ON');
      const calendarIds = (await m.getRepository(ClientCalendar).find({ select: { id: true }, where: { userId } })).map(
        (c) => c.id,
      );
      const mappingIds = (await m.getRepository(EventMapping).find({ select: { id: true }, where: { userId } })).map(
        (x) => x.id,
      );
      if (mappingIds.length) await m.getRepository(BusyBlock).delete({ eventMappingId: In(mappingIds) });
      if (calendarIds.length) {
        await m.getRepository(BusyBlock).delete({ clientCalendarId: In(calendarIds) });
        await m.getRepository(CalendarSyncState).delete({ clientCalendarId: In(calendarIds) });
      }
      await m.getRepository(EventMapping).delete({ userId });
      await m.getRepository(WebhookChannel).delete({ userId });
      await m.getRepository(ClientCalendar).delete({ userId });
      await m.getRepository(OAuthToken).delete({ userId });
      await m.getRepository(SyncLog).delete({ userId });
      await m.getRepository(AlertQueueItem).delete({ userId });
      const result = await m.getRepository(User).delete({ id: userId });
      return (result.affected ?? 0) > 0;
    });
  }

  /** Promote or demote; demotion ends the user's sessions. The last admin stays (checked in the same transaction). */
  setAdmin(userId: number, isAdmin: boolean): Promise<'ok' | 'last_admin' | 'missing'> {
    return this.db.write(async (m) => {
      const repo = m.getRepository(User);
      const user = await repo.findOneBy({ id: userId });
      if (!user) return 'missing';
      if (user.isAdmin === isAdmin) return 'ok';
      if (!isAdmin && (await repo.countBy({ isAdmin: true })) <= 1) return 'last_admin';
      await repo.update(userId, isAdmin ? { isAdmin } : { isAdmin, sessionVersion: user.sessionVersion + 1 });
      return 'ok';
    });
  }

  /** Force re-auth: every account marked needs_reauth and every session ended, together. */
  forceReauth(userId: number): Promise<number> {
    return this.db.write(async (m) => {
      const tokens = await m.getRepository(OAuthToken).update({ userId }, { needsReauth: true, updatedAt: new Date() });
      await m.getRepository(User).increment({ id: userId }, 'sessionVersion', 1);
      return tokens.affected ?? 0;
    });
  }
}
