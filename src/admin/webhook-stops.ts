import { Injectable, Logger } from '@nestjs/common';
import { WebhookService } from '../webhooks/webhook.service';

/** Stopping push channels when the admin removes a user or resets everything. */
@Injectable()
export class WebhookStops {
  private readonly logger = new Logger('Admin');

  constructor(private readonly webhooks: WebhookService) {}

  /** Best effort: an unstopped channel expires by itself and its notifications are ignored. */
  async stop(what: { userId: number } | { all: true }): Promise<void> {
    try {
      if ('all' in what) await this.webhooks.stopAll();
      else await this.webhooks.stopAllForUser(what.userId);
    } catch (error) {
      this.logger.warn(`Stopping webhooks failed: ${(error as Error).message}`);
    }
  }
}
