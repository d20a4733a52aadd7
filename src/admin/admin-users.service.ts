import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { ConnectionsService } from '../calendars/connections.service';
import { User } from '../database/entities';
import { AdminRepository } from '../database/repositories/admin.repository';
import { ClientCalendarRepository } from '../database/repositories/client-calendar.repository';
import { SyncLogRepository } from '../database/repositories/sync-log.repository';
import { UserRepository } from '../database/repositories/user.repository';
import { SyncService } from '../sync/sync.service';
import { AdminCalendarView, AdminUserRow, calendarView, LogEntryView, logEntry, userRow, worst } from './admin-views';
import { WebhookStops } from './webhook-stops';

export interface UserDetail {
  user: AdminUserRow & { mainCalendarId: string | null; emailAlerts: boolean };
  calendars: AdminCalendarView[];
  recentLog: LogEntryView[];
}

export interface UserFilter {
  search?: string;
  admin?: boolean;
  status?: 'ok' | 'warning' | 'error' | 'none';
}

/** User management for admins: list, details, sync, re-auth, promote, remove, disconnect. */
@Injectable()
export class AdminUsersService {
  private readonly logger = new Logger('Admin');

  constructor(
    private readonly admin: AdminRepository,
    private readonly users: UserRepository,
    private readonly calendars: ClientCalendarRepository,
    private readonly syncLog: SyncLogRepository,
    private readonly connections: ConnectionsService,
    private readonly sync: SyncService,
    private readonly webhookStops: WebhookStops,
  ) {}

  async list(filter: UserFilter): Promise<AdminUserRow[]> {
    const rows = await this.admin.listUsers({ search: filter.search?.trim() || undefined, admin: filter.admin });
    const ids = rows.map((r) => r.user.id);
    const tokens = new Map((await this.admin.tokensOf(ids)).map((t) => [t.id, t]));
    const statuses = new Map<number, Array<'ok' | 'warning' | 'error'>>();
    for (const { calendar, state } of await this.admin.activeCalendarsOf(ids)) {
      const view = calendarView(calendar, state, tokens.get(calendar.oauthTokenId));
      statuses.set(calendar.userId, [...(statuses.get(calendar.userId) ?? []), view.status]);
    }
    const out = rows.map((r) => userRow(r.user, r.calendarCount, worst(statuses.get(r.user.id) ?? [])));
    return filter.status ? out.filter((u) => u.syncStatus === filter.status) : out;
  }

  async detail(id: number): Promise<UserDetail> {
    const user = await this.requireUser(id);
    const rows = await this.calendars.listForUser(id, ['main', 'client', 'personal']);
    const states = await this.calendars.statesOf(rows.map((r) => r.id));
    const tokens = new Map((await this.admin.tokensOf([id])).map((t) => [t.id, t]));
    const calendars = rows.map((r) => calendarView(r, states.get(r.id) ?? null, tokens.get(r.oauthTokenId)));
    const log = await this.syncLog.query({ userId: id, pageSize: 50 });
    const names = new Map(calendars.map((c) => [c.id, c.displayName ?? c.googleCalendarId]));
    const missing = [
      ...new Set(log.items.map((l) => l.calendarId).filter((c): c is number => c !== null && !names.has(c))),
    ];
    for (const [k, v] of await this.admin.calendarNames(missing)) names.set(k, v);
    return {
      user: {
        ...userRow(user, calendars.filter((c) => c.type !== 'main').length, worst(calendars.map((c) => c.status))),
        mainCalendarId: user.mainCalendarId,
        emailAlerts: user.emailAlerts,
      },
      calendars,
      recentLog: log.items.map((l) => logEntry(l, new Map([[user.id, user.email]]), names)),
    };
  }

  /** "Run immediate sync for any user's calendars": each active calendar queued in the user's lane. */
  async syncUser(id: number, actor: User): Promise<{ queued: number }> {
    await this.requireUser(id);
    const rows = await this.calendars.listForUser(id, ['main', 'client', 'personal']);
    for (const row of rows) this.sync.requestSync(row.id, 'admin');
    await this.syncLog.add({
      userId: id,
      action: 'admin_sync',
      status: 'success',
      details: { by: actor.id, calendars: rows.length },
    });
    return { queued: rows.length };
  }

  async forceReauth(id: number, actor: User): Promise<{ ok: true; accounts: number }> {
    await this.requireUser(id);
    const accounts = await this.admin.forceReauth(id);
    await this.syncLog.add({
      userId: id,
      action: 'admin_force_reauth',
      status: 'warning',
      details: { by: actor.id, accounts },
    });
    this.logger.warn(`Admin ${actor.id} forced re-authentication of user ${id}`);
    return { ok: true, accounts };
  }

  async setAdmin(id: number, isAdmin: boolean, actor: User): Promise<AdminUserRow> {
    const outcome = await this.admin.setAdmin(id, isAdmin);
    if (outcome === 'missing') throw new NotFoundException(`No user ${id}`);
    if (outcome === 'last_admin') {
      throw new BadRequestException(
        'This is the last administrator: promote another user first, so someone can still manage BusyBridge',
      );
    }
    this.logger.log(`Admin ${actor.id} set isAdmin=${isAdmin} for user ${id}`);
    return (await this.detail(id)).user;
  }

  /** On the user's behalf: the same cleanup as their own Disconnect. */
  async disconnectCalendar(userId: number, calendarId: number, actor: User): Promise<AdminCalendarView> {
    const user = await this.requireUser(userId);
    const row = await this.calendars.findForUser(userId, calendarId);
    if (!row || !row.isActive) throw new NotFoundException(`User ${userId} has no connected calendar ${calendarId}`);
    if (row.calendarType === 'main')
      throw new BadRequestException(
        'The main calendar cannot be disconnected; the user can choose another one in their settings',
      );
    await this.connections.disconnect(user, row.calendarType, row.id);
    await this.syncLog.add({
      userId,
      calendarId,
      action: 'admin_disconnect',
      status: 'success',
      details: { by: actor.id },
    });
    const after = (await this.calendars.findById(row.id)) ?? row;
    const token = (await this.admin.tokensOf([userId])).find((t) => t.id === row.oauthTokenId);
    return calendarView(after, await this.calendars.stateOf(row.id), token);
  }

  /**
   * "Delete user and all their data": what BusyBridge wrote on Google is removed first (busy blocks and
   * copies, as on disconnect), their channels are stopped, then every row of theirs is deleted. A calendar
   * Google refuses to clean (revoked access) cannot block the removal; it is reported instead.
   */
  async remove(id: number, actor: User): Promise<{ deleted: true; email: string; cleanupFailed: number[] }> {
    const user = await this.requireUser(id);
    if (user.id === actor.id)
      throw new BadRequestException('You cannot remove your own account; ask another administrator');
    if (user.isAdmin && (await this.users.admins()).length <= 1)
      throw new BadRequestException('The last administrator cannot be removed');
    const rows = await this.calendars.listForUser(id, ['client', 'personal', 'main']);
    const cleanupFailed: number[] = [];
    // Client and personal first: their copies on main go before main's own busy blocks are handled.
    for (const row of [
      ...rows.filter((r) => r.calendarType !== 'main'),
      ...rows.filter((r) => r.calendarType === 'main'),
    ]) {
      try {
        await this.sync.disconnectCalendar(row.id);
      } catch (error) {
        cleanupFailed.push(row.id);
        this.logger.warn(
          `Removing user ${id}: cleaning calendar ${row.id} on Google failed: ${(error as Error).message}`,
        );
      }
    }
    await this.webhookStops.stop({ userId: id });
    await this.admin.deleteUser(id);
    await this.syncLog.add({
      userId: null,
      action: 'admin_remove_user',
      status: cleanupFailed.length ? 'warning' : 'success',
      details: { by: actor.id, removedUserId: id, cleanupFailed },
    });
    this.logger.warn(`Admin ${actor.id} removed user ${id}`);
    return { deleted: true, email: user.email, cleanupFailed };
  }

  async requireUser(id: number): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(`No user ${id}`);
    return user;
  }
}
