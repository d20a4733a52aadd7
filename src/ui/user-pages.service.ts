import { Inject, Injectable, Logger } from '@nestjs/common';
import { CalendarRowView, ConnectedType } from '../calendars/calendar-view';
import { CalendarsService } from '../calendars/calendars.service';
import { ConnectionsService } from '../calendars/connections.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SyncLogStatus, User } from '../database/entities';
import { CalendarsReadModel } from '../calendars/calendars.read-model';
import { isWritableRole } from '../google/access-roles';
import { SyncLogRepository } from '../database/repositories/sync-log.repository';
import { SyncService } from '../sync/sync.service';
import { DemoHint } from './demo-hint';
import { STATUS_SIGN, TimeFormat } from './format';

export interface RowModel {
  id: number;
  type: ConnectedType;
  displayName: string;
  accountEmail: string;
  lastSync: string;
  lastSyncAt: string;
  status: CalendarRowView['status'];
  sign: string;
  label: string;
  lastError: string | null;
  /** While a Sync Now runs: htmx polls this URL until the sync has logged its outcome. */
  pollUrl?: string;
}

export interface LogRowModel {
  at: string;
  calendar: string;
  action: string;
  status: string;
  details: string;
}

/** How long a Sync Now row keeps polling before it shows whatever state there is. */
const POLL_LIMIT_MS = 60_000;

/** View models of the signed-in user's pages : dashboard, settings, sync log. */
@Injectable()
export class UserPagesService {
  private readonly logger = new Logger('UI');
  readonly time: TimeFormat;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly connections: ConnectionsService,
    private readonly calendarsService: CalendarsService,
    private readonly calendars: CalendarsReadModel,
    private readonly syncLog: SyncLogRepository,
    private readonly sync: SyncService,
    private readonly demo: DemoHint,
  ) {
    this.time = new TimeFormat(config.tz);
  }

  async dashboard(user: User): Promise<object> {
    const [clients, personals] = [await this.rows(user, 'client'), await this.rows(user, 'personal')];
    const all = [...clients, ...personals];
    const main = await this.calendars.activeMain(user.id);
    const mainState = main ? await this.calendars.syncState(main.id) : null;
    const last = [mainState?.lastIncrementalSync, mainState?.lastFullSync, ...all.map((r) => r.lastSyncAt)]
      .filter(Boolean)
      .map((d) => new Date(d as Date).getTime());
    return {
      main: main ? { name: main.displayName ?? main.googleCalendarId, googleCalendarId: main.googleCalendarId } : null,
      summary: {
        lastSync: this.time.ago(last.length ? new Date(Math.max(...last)) : null),
        errors: all.filter((r) => r.status === 'error').length,
        warnings: all.filter((r) => r.status === 'warning').length,
        total: all.length,
      },
      clients,
      personals,
      demo: this.demo.get(),
    };
  }

  async rows(user: User, type: ConnectedType): Promise<RowModel[]> {
    return (await this.connections.list(user, type)).map((r) => this.row(r));
  }

  row(r: CalendarRowView, pollUrl?: string): RowModel {
    const s = STATUS_SIGN[r.status];
    return {
      id: r.id,
      type: r.type,
      displayName: r.displayName ?? r.googleCalendarId,
      accountEmail: r.accountEmail,
      lastSync: this.time.ago(r.lastSyncAt),
      lastSyncAt: r.lastSyncAt ?? '',
      status: r.status,
      sign: s.sign,
      label: s.label,
      lastError: r.lastError,
      pollUrl,
    };
  }

  /** Sync Now: queued like the API's, and the row comes back polling until the sync has logged its outcome. */
  async syncNow(user: User, id: number): Promise<RowModel> {
    const row = await this.calendars.ofUser(user.id, id);
    const type: ConnectedType = row?.calendarType === 'personal' ? 'personal' : 'client';
    const before = (await this.syncLog.query({ calendarId: id, pageSize: 1 })).items[0]?.id ?? 0;
    await this.connections.syncNow(user, type, id);
    return this.row(
      await this.connections.status(user, type, id),
      `/app/calendars/${id}/row?after=${before}&until=${Date.now() + POLL_LIMIT_MS}`,
    );
  }

  async rowAfter(user: User, id: number, after: number, until: number): Promise<RowModel> {
    const row = await this.calendars.ofUser(user.id, id);
    const type: ConnectedType = row?.calendarType === 'personal' ? 'personal' : 'client';
    const view = await this.connections.status(user, type, id);
    const latest = (await this.syncLog.query({ calendarId: id, pageSize: 1 })).items[0]?.id ?? 0;
    const pending = latest <= after && Date.now() < until && view.isActive;
    return this.row(view, pending ? `/app/calendars/${id}/row?after=${after}&until=${until}` : undefined);
  }

  async disconnect(user: User, id: number): Promise<void> {
    const row = await this.calendars.ofUser(user.id, id);
    await this.connections.disconnect(user, row?.calendarType === 'personal' ? 'personal' : 'client', id);
  }

  async settings(user: User): Promise<object> {
    const main = await this.calendars.activeMain(user.id);
    let choices: Array<{ id: string; summary: string; selected: boolean; disabled: boolean; note: string }> = [];
    let calendarsError: string | undefined;
    try {
      choices = (await this.calendarsService.homeCalendars(user)).map((c) => ({
        id: c.id,
        summary: c.summary,
        selected: c.id === main?.googleCalendarId,
        disabled: !isWritableRole(c.accessRole),
        note: c.primary ? ' (primary)' : isWritableRole(c.accessRole) ? '' : ' (read-only)',
      }));
    } catch (error) {
      calendarsError = `Your calendars could not be listed: ${(error as Error).message}`;
    }
    if (choices.length === 0 && main)
      choices = [
        {
          id: main.googleCalendarId,
          summary: main.displayName ?? main.googleCalendarId,
          selected: true,
          disabled: false,
          note: '',
        },
      ];
    return {
      choices,
      calendarsError,
      emailAlerts: user.emailAlerts,
      history: (await this.logs(user, { page: 1, pageSize: 10 })).rows,
    };
  }

  async setMain(user: User, calendarId: string): Promise<void> {
    await this.calendarsService.setMainCalendar(user, calendarId);
  }

  async setEmailAlerts(user: User, on: boolean): Promise<void> {
    await this.calendarsService.setAlertPreferences(user, { emailAlerts: on });
  }

  /** Fire and forget: a full re-sync takes a while; the log page shows its progress. */
  fullResync(user: User): void {
    this.sync
      .fullResync(user.id)
      .catch((error: unknown) =>
        this.logger.warn(`Full re-sync of user ${user.id} failed: ${(error as Error).message}`),
      );
  }

  /** "Disconnect All & Start Fresh": every client and personal calendar, each with its Google cleanup. */
  async disconnectAll(user: User): Promise<number> {
    let n = 0;
    for (const type of ['client', 'personal'] as const) {
      for (const row of await this.connections.list(user, type)) {
        await this.connections.disconnect(user, type, row.id);
        n++;
      }
    }
    return n;
  }

  async logs(
    user: User,
    q: { page: number; pageSize?: number; calendarId?: number; status?: SyncLogStatus },
  ): Promise<{ rows: LogRowModel[]; page: number; pages: number; total: number }> {
    const result = await this.syncLog.query({
      userId: user.id,
      calendarId: q.calendarId,
      status: q.status,
      page: q.page,
      pageSize: q.pageSize ?? 25,
    });
    const names = await this.calendars.names([
      ...new Set(result.items.map((l) => l.calendarId).filter((c): c is number => c !== null)),
    ]);
    return {
      rows: result.items.map((l) => ({
        at: this.time.full(l.createdAt),
        calendar: l.calendarId ? (names.get(l.calendarId) ?? `#${l.calendarId}`) : '—',
        action: l.action,
        status: l.status,
        details: summarize(l.details),
      })),
      page: result.page,
      pages: Math.max(1, Math.ceil(result.total / result.pageSize)),
      total: result.total,
    };
  }

  /** Every calendar the user ever connected, for the log filter. */
  async calendarOptions(
    user: User,
    selected?: number,
  ): Promise<Array<{ id: number; name: string; selected: boolean }>> {
    return (await this.calendars.listOfUser(user.id, ['main', 'client', 'personal'], true)).map((c) => ({
      id: c.id,
      name: `${c.displayName ?? c.googleCalendarId}${c.isActive ? '' : ' (disconnected)'}`,
      selected: c.id === selected,
    }));
  }
}

/** The log's JSON details as one short readable line. */
export function summarize(details: string | null): string {
  if (!details) return '';
  try {
    const parsed = JSON.parse(details) as Record<string, unknown>;
    return Object.entries(parsed)
      .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(', ')
      .slice(0, 300);
  } catch {
    return details.slice(0, 300);
  }
}
