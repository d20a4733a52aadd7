import { Injectable, Logger } from '@nestjs/common';
import { RetentionCounts, RetentionRepository } from '../database/repositories/retention.repository';

const DAY = 24 * 3600 * 1000;

/** How long each kind of record is kept (plus stale alerts), in days. */
export const RETENTION_DAYS = {
  singleMappingsAfterEnd: 30,
  deletedSeries: 30,
  syncLog: 90,
  disconnectedCalendars: 30,
  finishedAlerts: 7,
} as const;

/** Instance rows without a series row are only removed when older than this: a sync may be mid-way writing them. */
const ORPHAN_GRACE_MS = 3600 * 1000;

/** Keeps the database bounded: daily at 3 AM, and on the admin's "run cleanup". */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(private readonly repo: RetentionRepository) {}

  async cleanup(now: Date = new Date()): Promise<RetentionCounts> {
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const counts = await this.repo.cleanup({
      singleEndedBefore: ago(RETENTION_DAYS.singleMappingsAfterEnd),
      seriesDeletedBefore: ago(RETENTION_DAYS.deletedSeries),
      orphanCreatedBefore: new Date(now.getTime() - ORPHAN_GRACE_MS),
      syncLogBefore: ago(RETENTION_DAYS.syncLog),
      disconnectedBefore: ago(RETENTION_DAYS.disconnectedCalendars),
      finishedAlertsBefore: ago(RETENTION_DAYS.finishedAlerts),
    });
    this.logger.log('Retention cleanup done', { ...counts });
    return counts;
  }
}
