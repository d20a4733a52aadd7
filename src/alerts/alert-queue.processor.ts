import { Injectable, Logger } from '@nestjs/common';
import { AlertQueueRepository } from '../database/repositories/alert-queue.repository';
import { MailSendError, MailService } from './mail.service';

/** Retried up to 3 times with exponential backoff, i.e. at most 4 attempts. */
export const MAX_SEND_ATTEMPTS = 4;
export const RETRY_BASE_MS = 60_000;
const BATCH = 50;

export interface ProcessResult {
  sent: number;
  retrying: number;
  failed: number;
}

/** Sends what is due in alert_queue; called every minute by the alert job. */
@Injectable()
export class AlertQueueProcessor {
  private readonly logger = new Logger(AlertQueueProcessor.name);

  constructor(
    private readonly queue: AlertQueueRepository,
    private readonly mail: MailService,
  ) {}

  async processDue(now: Date = new Date()): Promise<ProcessResult> {
    const result: ProcessResult = { sent: 0, retrying: 0, failed: 0 };
    // Without SMTP nothing can be sent; rows wait (raise() queues nothing in that state anyway).
    if (!(await this.mail.configuredSmtp())) return result;
    for (const item of await this.queue.due(now, BATCH)) {
      try {
        await this.mail.send({ to: item.recipientEmail, subject: item.subject, text: item.body, html: item.htmlBody });
        await this.queue.markSent(item.id, now);
        result.sent++;
      } catch (error) {
        const message = error instanceof MailSendError ? error.message : 'Unexpected error while sending';
        const attempts = item.attempts + 1;
        const next =
          attempts >= MAX_SEND_ATTEMPTS ? null : new Date(now.getTime() + RETRY_BASE_MS * 2 ** (attempts - 1));
        await this.queue.markAttemptFailed(item.id, now, message, next);
        if (next) result.retrying++;
        else result.failed++;
        this.logger.warn('Alert email not sent', {
          alertId: item.id,
          alertType: item.alertType,
          attempts,
          willRetry: next !== null,
          error: message,
        });
      }
    }
    return result;
  }

  /** Stale alert cleanup: sent or failed rows older than 7 days. */
  cleanupStale(now: Date = new Date()): Promise<number> {
    return this.queue.deleteFinishedBefore(new Date(now.getTime() - 7 * 24 * 3600 * 1000));
  }
}
