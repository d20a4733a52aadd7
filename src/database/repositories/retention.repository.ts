import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database.service';

export interface RetentionCutoffs {
  /** Single mappings ended (or soft-deleted) before this go. */
  singleEndedBefore: Date;
  /** Soft-deleted series (and their instance rows) deleted before this go. */
  seriesDeletedBefore: Date;
  /** Instance rows whose series row is gone, created before this (not one a sync is writing now). */
  orphanCreatedBefore: Date;
  syncLogBefore: Date;
  disconnectedBefore: Date;
  finishedAlertsBefore: Date;
}

export interface RetentionCounts {
  singleMappings: number;
  deletedSeries: number;
  orphanInstances: number;
  syncLog: number;
  disconnectedCalendars: number;
  alerts: number;
}

// A series row: recurring and not itself an instance. Instance rows point at it by origin event id.
const SERIES_OF = `p.user_id = m.user_id AND p.origin_calendar_id = m.origin_calendar_id AND p.origin_event_id = m.origin_recurring_event_id`;

const deletedSeries = (t: string) =>
  `${t}.origin_recurring_event_id IS NULL AND ${t}.is_recurring = 1 AND ${t}.deleted_at IS NOT NULL AND ${t}.deleted_at < ?`;

/** The deletes of the retention policy (RETENTION_DAYS). Each step is its own short transaction. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly db: DatabaseService) {}

  async cleanup(c: RetentionCutoffs): Promise<RetentionCounts> {
    const counts: RetentionCounts = {
      singleMappings: 0,
      deletedSeries: 0,
      orphanInstances: 0,
      syncLog: 0,
      disconnectedCalendars: 0,
      alerts: 0,
    };
    counts.singleMappings = await this.db.write((m) =>
      deleteMappings(
        m,
        `is_recurring = 0 AND origin_recurring_event_id IS NULL
       AND ((event_end IS NOT NULL AND event_end < ?) OR (deleted_at IS NOT NULL AND deleted_at < ?))`,
        [d(c.singleEndedBefore), d(c.singleEndedBefore)],
      ),
    );
    counts.deletedSeries = await this.db.write(async (m) => {
      const cutoff = [d(c.seriesDeletedBefore)];
      // Instance rows leave with their series (kept as long as the parent exists).
      await deleteMappings(
        m,
        `id IN (SELECT m.id FROM event_mappings m JOIN event_mappings p ON ${SERIES_OF} WHERE ${deletedSeries('p')})`,
        cutoff,
      );
      return deleteMappings(m, deletedSeries('event_mappings'), cutoff);
    });
    counts.orphanInstances = await this.db.write((m) =>
      deleteMappings(
        m,
        `id IN (SELECT m.id FROM event_mappings m WHERE m.origin_recurring_event_id IS NOT NULL AND m.created_at < ?
         AND NOT EXISTS (SELECT 1 FROM event_mappings p WHERE ${SERIES_OF}))`,
        [d(c.orphanCreatedBefore)],
      ),
    );
    counts.syncLog = await this.db.write((m) =>
      run(m, `DELETE FROM sync_log WHERE created_at < ?`, [d(c.syncLogBefore)]),
    );
    const gone: Array<{ id: number }> = await this.db.reader.query(
      `SELECT id FROM client_calendars WHERE is_active = 0 AND disconnected_at IS NOT NULL AND disconnected_at < ?`,
      [d(c.disconnectedBefore)],
    );
    for (const { id } of gone) {
      await this.db.write((m) => deleteCalendar(m, id));
      counts.disconnectedCalendars++;
    }
    counts.alerts = await this.db.write((m) =>
      run(m, `DELETE FROM alert_queue WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL) AND created_at < ?`, [
        d(c.finishedAlertsBefore),
      ]),
    );
    return counts;
  }
}

/** Deletes mappings matching `where` with their busy-block rows (explicitly, not trusting a cascade). */
async function deleteMappings(m: EntityManager, where: string, params: unknown[]): Promise<number> {
  await m.query(
    `DELETE FROM busy_blocks WHERE event_mapping_id IN (SELECT id FROM event_mappings WHERE ${where})`,
    params,
  );
  return run(m, `DELETE FROM event_mappings WHERE ${where}`, params);
}

/** A disconnected calendar and everything hanging off it; its account too once nothing else uses it. */
async function deleteCalendar(m: EntityManager, id: number): Promise<void> {
  const [cal]: Array<{ oauth_token_id: number }> = await m.query(
    `SELECT oauth_token_id FROM client_calendars WHERE id = ?`,
    [id],
  );
  await m.query(`DELETE FROM busy_blocks WHERE client_calendar_id = ?`, [id]);
  await deleteMappings(m, `origin_calendar_id = ?`, [id]);
  await m.query(`DELETE FROM calendar_sync_state WHERE client_calendar_id = ?`, [id]);
  await m.query(`DELETE FROM webhook_channels WHERE client_calendar_id = ?`, [id]);
  await m.query(`DELETE FROM client_calendars WHERE id = ?`, [id]);
  if (cal) {
    await m.query(
      `DELETE FROM oauth_tokens WHERE id = ? AND account_type != 'home'
         AND NOT EXISTS (SELECT 1 FROM client_calendars WHERE oauth_token_id = ?)`,
      [cal.oauth_token_id, cal.oauth_token_id],
    );
  }
}

async function run(m: EntityManager, sql: string, params: unknown[]): Promise<number> {
  await m.query(sql, params);
  const [{ n }]: Array<{ n: number }> = await m.query(`SELECT changes() AS n`);
  return n;
}

/** Raw queries bypass TypeORM's date conversion: use the format its datetime columns hold. */
function d(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
