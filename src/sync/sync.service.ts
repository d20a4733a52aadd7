import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertsService } from '../alerts/alerts.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EncryptionService } from '../crypto/encryption.service';
import { BusyBlockRepository } from '../database/repositories/busy-block.repository';
import { CalendarSyncStateRepository } from '../database/repositories/calendar-sync-state.repository';
import { EventMappingRepository } from '../database/repositories/event-mapping.repository';
import { SyncCalendarsRepository } from '../database/repositories/sync-calendars.repository';
import { SyncLogRepository } from '../database/repositories/sync-log.repository';
import { GoogleAccountsService } from '../google/google-accounts.service';
import { MetricsService, SyncRunKind } from '../metrics/metrics.service';
import { CalendarAccessError, CalendarSyncResult, syncCalendar } from './engine/calendar-sync';
import { recordSyncFailure } from './engine/failures';
import { disconnectCalendar, DisconnectResult } from './engine/disconnect';
import { EngineDeps, EngineHooks, SyncCal, UserRun } from './engine/user-run';
import { UserLanes } from './queue/user-lanes';

/** Triggers that bring a new calendar (or a new main) into the user's set: every origin must be re-planned. */
const WHOLE_USER_REASONS = new Set(['connect', 'reconnect', 'main_calendar_created', 'main_calendar_changed']);
const MAX_PARALLEL_USERS = 4;

export class CalendarNotSyncableError extends Error {}

/** The sync engine's public face: every trigger (webhook, poll, manual, connect) ends up here. */
@Injectable()
export class SyncService {
  private readonly logger = new Logger('Sync');
  private readonly lanes = new UserLanes(MAX_PARALLEL_USERS);
  private readonly requested = new Set<Promise<void>>();
  private readonly deps: EngineDeps;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    encryption: EncryptionService,
    accounts: GoogleAccountsService,
    mappings: EventMappingRepository,
    blocks: BusyBlockRepository,
    states: CalendarSyncStateRepository,
    private readonly calendars: SyncCalendarsRepository,
    syncLog: SyncLogRepository,
    alerts: AlertsService,
    private readonly metrics: MetricsService,
  ) {
    this.deps = {
      config,
      encryption,
      accounts,
      mappings,
      blocks,
      states,
      calendars,
      syncLog,
      hooks: {},
      onWriteLanded: (kind) => metrics.writeLanded(kind),
      raiseAlert: async (a) => {
        await alerts.raise({
          type: a.type,
          userId: a.userId,
          calendarId: a.calendarId,
          calendarName: a.calendarName,
          error: a.error,
          suggestedAction: a.action,
        });
      },
    };
  }

  /** Tests only: a crash hook between Google writes and their records, a fixed clock. */
  setHooks(hooks: EngineHooks): void {
    this.deps.hooks = hooks;
  }

  /** Fire and forget (webhooks, poll): queued in the user's lane, coalesced with a waiting one. */
  requestSync(calendarId: number, reason: string): void {
    this.metrics.changeNoticed(calendarId, reason);
    const run = WHOLE_USER_REASONS.has(reason)
      ? this.userOf(calendarId).then((u) => this.fullResync(u))
      : this.syncCalendarNow(calendarId, { quietIfIdle: reason === 'poll' });
    const tracked = run.then(
      () => undefined,
      (error: unknown) => {
        this.logger.warn(`Sync of calendar ${calendarId} (${reason}) failed: ${(error as Error).message}`);
      },
    );
    // Until the lane has the job (its calendar is looked up first), only this set knows it is coming.
    this.requested.add(tracked);
    void tracked.finally(() => this.requested.delete(tracked));
  }

  /** Syncs one calendar (incrementally when it has a token) and resolves when done. */
  async syncCalendarNow(
    calendarId: number,
    options: { full?: boolean; quietIfIdle?: boolean } = {},
  ): Promise<CalendarSyncResult> {
    const userId = await this.userOf(calendarId);
    return this.lanes.enqueue(
      userId,
      `sync:${calendarId}:${options.full ? 'full' : 'inc'}`,
      async () => {
        const run = await UserRun.load(this.deps, userId);
        const cal = run.byId(calendarId);
        // A calendar whose account needs re-authentication is tried (and fails as such); an inactive one is not.
        if (!cal || !cal.row.isActive || cal.row.disconnectedAt)
          throw new CalendarNotSyncableError(`Calendar ${calendarId} is not connected`);
        return this.guarded(run, cal, options.full === true, options.quietIfIdle === true);
      },
      { background: options.quietIfIdle === true },
    ); // a poll yields to webhooks and Sync Now
  }

  /**
   * Full re-sync: every active calendar of the user re-listed from scratch and reconciled (missing
   * copies recreated, orphans removed). Main first, so natively present meetings are known before clients.
   */
  async fullResync(userId: number, kind: SyncRunKind = 'full'): Promise<CalendarSyncResult[]> {
    return this.lanes.enqueue(userId, 'full', async () => {
      const run = await UserRun.load(this.deps, userId);
      const order = { main: 0, client: 1, personal: 2 } as const;
      const cals = [...run.calendars.values()]
        .filter((c) => c.plan.active)
        .sort((a, b) => order[a.plan.kind] - order[b.plan.kind] || a.row.id - b.row.id);
      const results: CalendarSyncResult[] = [];
      let failure: unknown = null;
      // One failing calendar is recorded (and retried later) without keeping the others from their pass.
      for (const cal of cals) {
        try {
          results.push(await this.guarded(run, cal, true, false, kind));
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure) throw failure;
      return results;
    });
  }

  /** Disconnection cleanup; throws when Google refuses so the calendar stays connected. */
  async disconnectCalendar(calendarId: number): Promise<DisconnectResult> {
    const userId = await this.userOf(calendarId);
    return this.lanes.enqueue(userId, `disconnect:${calendarId}`, async () => {
      const run = await UserRun.load(this.deps, userId);
      const cal = run.byId(calendarId);
      if (!cal) throw new CalendarNotSyncableError(`Calendar ${calendarId} does not exist`);
      return disconnectCalendar(run, cal);
    });
  }

  /** Periodic poll (jobs room): an incremental sync of every active calendar, queued per user. */
  async pollAll(): Promise<number> {
    let queued = 0;
    const now = this.deps.hooks.now?.() ?? new Date();
    for (const userId of await this.calendars.listActiveUserIds()) {
      for (const { calendar } of await this.calendars.listForUser(userId)) {
        if (!calendar.isActive || calendar.disconnectedAt) continue;
        // A failing calendar waits out its backoff; the others (and other users) go on.
        const retryAt = (await this.deps.states.get(calendar.id))?.nextRetryAt;
        if (retryAt && retryAt.getTime() > now.getTime()) continue;
        this.requestSync(calendar.id, 'poll');
        queued++;
      }
    }
    return queued;
  }

  /**
   * The consistency check (hourly, jobs room): each calendar of each user listed once, from scratch
   * (origins and our own events come in the same listing), compared with every live mapping: copies whose
   * origin is gone deleted, copies deleted or edited on a client restored, orphans and duplicates removed,
   * each discrepancy logged to sync_log. All is well = zero writes.
   */
  async consistencyCheck(): Promise<void> {
    for (const userId of await this.calendars.listActiveUserIds()) {
      await this.fullResync(userId, 'consistency').catch((error: unknown) =>
        this.logger.warn(`Consistency check of user ${userId} failed: ${(error as Error).message}`),
      );
    }
  }

  /** Resolves when every queued and running sync has finished. */
  async onIdle(): Promise<void> {
    while (this.requested.size > 0) await Promise.all([...this.requested]);
    await this.lanes.onIdle();
  }

  private async userOf(calendarId: number): Promise<number> {
    const row = await this.calendars.findById(calendarId);
    if (!row) throw new CalendarNotSyncableError(`Calendar ${calendarId} does not exist`);
    return row.userId;
  }

  /** Runs one calendar's sync and records the outcome (sync_log, calendar state) either way. */
  /**
   * `quietIfIdle`: a periodic poll that found nothing leaves no sync_log row (the calendar's state still
   * records the time): 1,000 calendars polled every 5 minutes would otherwise add ~26 million rows per
   * 90-day retention window. Manual, webhook and full syncs are always logged.
   */
  private async guarded(
    run: UserRun,
    cal: SyncCal,
    full: boolean,
    quietIfIdle = false,
    kind: SyncRunKind = full ? 'full' : 'incremental',
  ): Promise<CalendarSyncResult> {
    const before = { ...run.stats };
    const observed = this.metrics.syncRunStarted(cal.row.id, kind);
    await this.deps.states.setStatus(cal.row.id, 'syncing');
    try {
      const result = await syncCalendar(run, cal, full);
      const details = {
        ...result,
        changes: run.stats.changes - before.changes,
        echoes: run.stats.echoes - before.echoes,
        writes: run.stats.writes - before.writes,
        skipped: run.stats.skipped - before.skipped,
      };
      const idle = quietIfIdle && !result.full && details.changes === 0 && details.writes === 0;
      if (!result.valve && !idle)
        await this.deps.syncLog.add({
          userId: run.userId,
          calendarId: cal.row.id,
          action: result.full ? 'full_sync' : 'sync',
          status: 'success',
          details,
        });
      observed.finished(
        result.valve ? 'valve' : 'success',
        result.full,
        details.writes > 0 ? run.stats.lastWriteAt : undefined,
      );
      return result;
    } catch (error) {
      observed.finished(await recordSyncFailure(run, cal, error, full), full);
      throw error instanceof CalendarAccessError ? error.cause : error;
    }
  }
}
