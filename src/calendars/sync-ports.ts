import { Inject, Injectable, Logger } from '@nestjs/common';

/**
 * What this room needs from the sync engine and the webhook room, bound by SyncModule and WebhooksModule
 * (useExisting on SyncService and WebhookService). Kept as ports so this room names only what it calls.
 */
export interface CalendarSyncPort {
  requestSync(calendarId: number, reason: string): Promise<unknown> | unknown;
  fullResync(userId: number): Promise<unknown>;
  /** Disconnection on Google: busy blocks and copies removed; resolves when done. */
  disconnectCalendar(calendarId: number): Promise<unknown>;
}

export interface CalendarWebhookPort {
  registerFor(calendarId: number): Promise<unknown>;
  stopFor(calendarId: number): Promise<unknown>;
}

export const CALENDAR_SYNC = Symbol('CALENDAR_SYNC');
export const CALENDAR_WEBHOOKS = Symbol('CALENDAR_WEBHOOKS');

@Injectable()
export class SyncBridge {
  private readonly logger = new Logger('Calendars');

  constructor(
    @Inject(CALENDAR_SYNC) private readonly sync: CalendarSyncPort,
    @Inject(CALENDAR_WEBHOOKS) private readonly webhooks: CalendarWebhookPort,
  ) {}

  /** A new or reconnected calendar: first sync queued and push channel opened; neither may fail the request. */
  async started(calendarId: number, reason: string): Promise<void> {
    try {
      await this.sync.requestSync(calendarId, reason);
    } catch (error) {
      this.logger.warn(`Queuing the sync of calendar ${calendarId} failed: ${(error as Error).message}`);
    }
    try {
      await this.webhooks.registerFor(calendarId);
    } catch (error) {
      // Polling keeps the calendar in sync; the webhook room alerts admins about registration failures.
      this.logger.warn(`Registering the webhook of calendar ${calendarId} failed: ${(error as Error).message}`);
    }
  }

  async requestSync(calendarId: number, reason: string): Promise<void> {
    await this.sync.requestSync(calendarId, reason);
  }

  async fullResync(userId: number): Promise<void> {
    await this.sync.fullResync(userId);
  }

  /** Throws when the Google-side cleanup fails, so the caller keeps the calendar connected. */
  async cleanUp(calendarId: number): Promise<void> {
    await this.sync.disconnectCalendar(calendarId);
  }

  async stopWebhooks(calendarId: number): Promise<void> {
    try {
      await this.webhooks.stopFor(calendarId);
    } catch (error) {
      // An unstopped channel expires on its own; its notifications for a disconnected calendar are ignored.
      this.logger.warn(`Stopping the webhook of calendar ${calendarId} failed: ${(error as Error).message}`);
    }
  }
}
