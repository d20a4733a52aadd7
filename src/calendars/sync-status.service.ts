import { Injectable, NotFoundException } from '@nestjs/common';
import { User } from '../database/entities';
import { ClientCalendarRepository } from '../database/repositories/client-calendar.repository';
import { SyncLogRepository } from '../database/repositories/sync-log.repository';
import { SettingsService } from '../settings/settings.service';
import { CalendarRowView } from './calendar-view';
import { ConnectionsService } from './connections.service';
import { SyncLogQueryDto } from './dto';
import { SyncBridge } from './sync-ports';

export interface SyncStatusView {
  paused: boolean;
  status: CalendarRowView['status'];
  lastSyncAt: string | null;
  errors: Array<{ calendarId: number; displayName: string | null; lastError: string | null }>;
  clientCalendars: CalendarRowView[];
  personalCalendars: CalendarRowView[];
}

export interface SyncLogView {
  items: Array<{
    id: number;
    createdAt: string;
    calendarId: number | null;
    action: string;
    status: string;
    details: unknown;
  }>;
  page: number;
  pageSize: number;
  total: number;
}

const RANK = { ok: 0, warning: 1, error: 2 } as const;

/** docs/api.md "User API": `GET /api/sync/status`, `GET /api/sync/log`, `POST /api/sync/full` for the signed-in user. */
@Injectable()
export class SyncStatusService {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly calendars: ClientCalendarRepository,
    private readonly syncLog: SyncLogRepository,
    private readonly settings: SettingsService,
    private readonly bridge: SyncBridge,
  ) {}

  async status(user: User): Promise<SyncStatusView> {
    const [clientCalendars, personalCalendars, paused] = await Promise.all([
      this.connections.list(user, 'client'),
      this.connections.list(user, 'personal'),
      this.settings.isSyncPaused(),
    ]);
    const active = [...clientCalendars, ...personalCalendars].filter((c) => c.isActive);
    const worst = active.reduce<CalendarRowView['status']>((w, c) => (RANK[c.status] > RANK[w] ? c.status : w), 'ok');
    const last =
      active
        .map((c) => c.lastSyncAt)
        .filter((t): t is string => !!t)
        .sort()
        .pop() ?? null;
    return {
      paused,
      status: worst,
      lastSyncAt: last,
      errors: active
        .filter((c) => c.status !== 'ok')
        .map((c) => ({ calendarId: c.id, displayName: c.displayName, lastError: c.lastError })),
      clientCalendars,
      personalCalendars,
    };
  }

  async log(user: User, query: SyncLogQueryDto): Promise<SyncLogView> {
    if (query.calendarId !== undefined) {
      const own = await this.calendars.listForUser(user.id, ['main', 'client', 'personal'], true);
      if (!own.some((c) => c.id === query.calendarId)) throw new NotFoundException('No such calendar');
    }
    const result = await this.syncLog.query({
      userId: user.id,
      calendarId: query.calendarId,
      status: query.status,
      page: query.page,
      pageSize: 50,
    });
    return {
      items: result.items.map((e) => ({
        id: e.id,
        createdAt: new Date(e.createdAt).toISOString(),
        calendarId: e.calendarId,
        action: e.action,
        status: e.status,
        details: parseDetails(e.details),
      })),
      page: result.page,
      pageSize: result.pageSize,
      total: result.total,
    };
  }

  async fullResync(user: User): Promise<{ queued: true }> {
    await this.connections.refuseWhilePaused();
    // 202 at once: a full pass over every calendar can take a while; progress shows in the sync log.
    void this.bridge.fullResync(user.id).catch(() => undefined);
    return { queued: true };
  }
}

function parseDetails(details: string | null): unknown {
  if (!details) return null;
  try {
    return JSON.parse(details);
  } catch {
    return details;
  }
}
