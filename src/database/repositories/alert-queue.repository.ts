import { Injectable } from '@nestjs/common';
import { IsNull, LessThan, MoreThan, Not } from 'typeorm';
import { DatabaseService } from '../database.service';
import { AlertQueueItem, AlertType } from '../entities';

export interface NewAlertMail {
  alertType: AlertType;
  recipientEmail: string;
  subject: string;
  body: string;
  htmlBody: string;
  userId: number | null;
  calendarId: number | null;
}

@Injectable()
export class AlertQueueRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Queues one mail per recipient unless an alert with the same key was queued since `since`.
   * Check and insert share one write transaction, so two concurrent raises cannot both pass the check.
   * Returns the number of rows queued (0 = de-duplicated).
   */
  enqueueUnlessRecent(dedupKey: string, since: Date, mails: NewAlertMail[]): Promise<number> {
    return this.db.write(async (m) => {
      const repo = m.getRepository(AlertQueueItem);
      const recent = await repo.count({ where: { dedupKey, createdAt: MoreThan(since) } });
      if (recent > 0) return 0;
      for (const mail of mails) {
        await repo.insert({ ...mail, dedupKey, attempts: 0, nextAttemptAt: null });
      }
      return mails.length;
    });
  }

  /** Not yet sent, not given up on, and due. */
  due(now: Date, limit: number): Promise<AlertQueueItem[]> {
    return this.db.reader
      .getRepository(AlertQueueItem)
      .createQueryBuilder('a')
      .where('a.sent_at IS NULL AND a.failed_at IS NULL')
      .andWhere('(a.next_attempt_at IS NULL OR a.next_attempt_at <= :now)', { now })
      .orderBy('a.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  markSent(id: number, now: Date): Promise<void> {
    return this.db.write(async (m) => {
      await m
        .getRepository(AlertQueueItem)
        .update(id, { sentAt: now, lastAttempt: now, attempts: () => 'attempts + 1', lastError: null });
    });
  }

  /** Records a failed attempt: retried at `nextAttemptAt`, or given up on when that is null. */
  markAttemptFailed(id: number, now: Date, error: string, nextAttemptAt: Date | null): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(AlertQueueItem).update(id, {
        attempts: () => 'attempts + 1',
        lastAttempt: now,
        lastError: error,
        nextAttemptAt,
        failedAt: nextAttemptAt ? null : now,
      });
    });
  }

  /** Retention: sent or failed alerts older than `before`. Pending ones are kept whatever their age. */
  deleteFinishedBefore(before: Date): Promise<number> {
    return this.db.write(async (m) => {
      const repo = m.getRepository(AlertQueueItem);
      const sent = await repo.delete({ sentAt: Not(IsNull()), createdAt: LessThan(before) });
      const failed = await repo.delete({ failedAt: Not(IsNull()), createdAt: LessThan(before) });
      return (sent.affected ?? 0) + (failed.affected ?? 0);
    });
  }

  recent(limit: number): Promise<AlertQueueItem[]> {
    return this.db.reader.getRepository(AlertQueueItem).find({ order: { id: 'DESC' }, take: limit });
  }
}
