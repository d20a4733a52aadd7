import { SyncCalendarsRepository } from '../database/repositories/sync-calendars.repository';
import { SyncService } from '../sync/sync.service';
import { JobsSyncPort } from './job-ports';

/** Optional engine entry point, used once the sync room provides it (see JobHandlers). */
type ConsistencyEntry = { consistencyCheck?: () => Promise<unknown> };

/**
 * The periodic poll through the sync room's one entry point: every active calendar synced incrementally
 * (the engine's per-user lanes serialise and coalesce). Awaited, so the job's lock covers the whole poll
 * and ticks never pile up.
 */
export class SyncJobsAdapter implements JobsSyncPort {
  readonly consistencyCheck?: () => Promise<unknown>;

  constructor(private readonly sync: SyncService, private readonly calendars: SyncCalendarsRepository) {
    const entry = (sync as unknown as ConsistencyEntry).consistencyCheck;
    if (typeof entry === 'function') this.consistencyCheck = () => entry.call(sync);
  }

  async pollAll(): Promise<{ calendars: number; failed: number }> {
    const ids: number[] = [];
    for (const userId of await this.calendars.listActiveUserIds()) {
      for (const row of await this.calendars.listForUser(userId)) if (row.calendar.isActive) ids.push(row.calendar.id);
    }
    const results = await Promise.allSettled(ids.map((id) => this.sync.syncCalendarNow(id)));
    return { calendars: ids.length, failed: results.filter((r) => r.status === 'rejected').length };
  }
}
