import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CALENDAR_WEBHOOKS, CalendarWebhookPort } from '../calendars/sync-ports';
import { RetentionService } from '../jobs/retention.service';
import { SetupService } from '../setup/setup.service';

/** What the admin room needs of the webhook room beyond the calendars port (bound to WebhookService). */
export interface AdminWebhookPort extends CalendarWebhookPort {
  stopAllForUser?(userId: number): Promise<unknown>;
  stopAll?(): Promise<unknown>;
}

/**
 * Rooms the admin console calls but that are wired by others (webhooks, jobs, setup): resolved at call time
 * from the whole app, so the console keeps working (minus that action) when one of them is not there.
 */
@Injectable()
export class LateDeps {
  private readonly logger = new Logger('Admin');

  constructor(private readonly moduleRef: ModuleRef) {}

  webhooks(): AdminWebhookPort | null {
    return this.find<AdminWebhookPort>(CALENDAR_WEBHOOKS);
  }

  retention(): RetentionService | null {
    return this.find(RetentionService);
  }

  setup(): SetupService | null {
    return this.find(SetupService);
  }

  /** Best effort: an unstopped channel expires by itself and its notifications are ignored. */
  async stopWebhooks(what: { userId?: number; calendarIds?: number[]; all?: boolean }): Promise<void> {
    const webhooks = this.webhooks();
    if (!webhooks) return;
    try {
      if (what.all && webhooks.stopAll) await webhooks.stopAll();
      else if (what.userId !== undefined && webhooks.stopAllForUser) await webhooks.stopAllForUser(what.userId);
      else for (const id of what.calendarIds ?? []) await webhooks.stopFor(id);
    } catch (error) {
      this.logger.warn(`Stopping webhooks failed: ${(error as Error).message}`);
    }
  }

  private find<T>(token: unknown): T | null {
    try {
      return this.moduleRef.get(token as never, { strict: false }) as T;
    } catch {
      return null;
    }
  }
}
