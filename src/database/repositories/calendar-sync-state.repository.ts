import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database.service';
import { DirectRows } from '../direct-rows';
import { CalendarSyncState, CalendarSyncStatus } from '../entities';

/**
 * calendar_sync_state: the sync token and health of each calendar. Every poll reads and writes it for every
 * calendar (twice each), so its statements are hand-written (DirectRows) rather than built by TypeORM.
 */
@Injectable()
export class CalendarSyncStateRepository {
  private rowsCache?: DirectRows<CalendarSyncState>;

  constructor(private readonly db: DatabaseService) {}

  private get rows(): DirectRows<CalendarSyncState> {
    return (this.rowsCache ??= new DirectRows(this.db.dataSource, CalendarSyncState));
  }

  get(clientCalendarId: number): Promise<CalendarSyncState | null> {
    return this.rows.findOneBy(
      (sql, params) => this.db.reader.query(sql, params),
      'clientCalendarId',
      clientCalendarId,
    );
  }

  private upsert(clientCalendarId: number, changes: Partial<CalendarSyncState>): Promise<void> {
    const { sql, params } = this.rows.upsertSql(
      'clientCalendarId',
      { clientCalendarId, consecutiveFailures: 0, status: 'ok' },
      changes,
    );
    return this.db.writeStatement(sql, params);
  }

  setStatus(clientCalendarId: number, status: CalendarSyncStatus): Promise<void> {
    return this.upsert(clientCalendarId, { status });
  }

  /** The last write of a sync: every change the token covers has been applied. */
  saveToken(clientCalendarId: number, syncToken: string | null, full: boolean, now = new Date()): Promise<void> {
    return this.upsert(clientCalendarId, {
      syncToken,
      status: 'ok',
      consecutiveFailures: 0,
      lastError: null,
      nextRetryAt: null,
      lastIncrementalSync: now,
      ...(full ? { lastFullSync: now } : {}),
    });
  }

  clearToken(clientCalendarId: number): Promise<void> {
    return this.upsert(clientCalendarId, { syncToken: null });
  }

  /** Returns the new count of consecutive failures. */
  async recordFailure(clientCalendarId: number, status: CalendarSyncStatus, error: string): Promise<number> {
    const current = await this.get(clientCalendarId);
    const failures = (current?.consecutiveFailures ?? 0) + 1;
    await this.upsert(clientCalendarId, { status, lastError: error.slice(0, 1000), consecutiveFailures: failures });
    return failures;
  }

  /** When the poll may try a failing calendar again (null: at once). */
  setNextRetry(clientCalendarId: number, at: Date | null): Promise<void> {
    return this.upsert(clientCalendarId, { nextRetryAt: at });
  }
}
