import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AlertsService } from '../alerts/alerts.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ClientCalendar, WebhookChannel } from '../database/entities';
import { ClientCalendarRepository } from '../database/repositories/client-calendar.repository';
import { WebhookChannelRepository } from '../database/repositories/webhook-channel.repository';
import { GoogleAccountsService } from '../google/google-accounts.service';
import { GoogleApiError } from '../google/google-errors';
import { SettingsService } from '../settings/settings.service';
import { SyncService } from '../sync/sync.service';
import { channelTokenMatches, hashChannelToken, newChannelToken } from './channel-token';
import { NotificationCoalescer } from './notification-coalescer';

export const WEBHOOK_ROUTE = '/api/webhooks/google-calendar';
/** Google's default and (observed) maximum: 7 days. */
const CHANNEL_TTL_SECONDS = 7 * 24 * 3600;
/** Channels expiring within 24 hours are renewed, so a missed renewal run still leaves a day to retry. */
const RENEW_WITHIN_MS = 24 * 3600 * 1000;
const COALESCE_WINDOW_MS = 1000;

export interface PushHeaders {
  channelId?: string;
  token?: string;
  resourceState?: string;
  resourceId?: string;
}

export type NotificationOutcome =
  'bad_request' | 'unknown_channel' | 'bad_token' | 'sync_ack' | 'paused' | 'queued' | 'coalesced';

export interface RenewalResult {
  renewed: number;
  registered: number;
  stopped: number;
  failed: number;
}

/** Push channels : registration, renewal, stopping, and the receiver's checks. */
@Injectable()
export class WebhookService implements OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly coalescer: NotificationCoalescer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly channels: WebhookChannelRepository,
    private readonly calendars: ClientCalendarRepository,
    private readonly google: GoogleAccountsService,
    private readonly sync: SyncService,
    private readonly alerts: AlertsService,
    private readonly settings: SettingsService,
  ) {
    this.coalescer = new NotificationCoalescer(COALESCE_WINDOW_MS, (calendarId) =>
      this.sync.requestSync(calendarId, 'webhook'),
    );
  }

  onModuleDestroy(): void {
    this.coalescer.close();
  }

  /**
   * A push notification. Unknown channel or wrong token: nothing runs. `sync` (channel created) is only
   * acknowledged. Anything else marks the calendar for a sync and returns at once.
   */
  async receive(h: PushHeaders): Promise<NotificationOutcome> {
    if (!h.channelId || h.channelId.length > 64 || !h.resourceState) return 'bad_request';
    const channel = await this.channels.findByChannelId(h.channelId);
    if (!channel || channel.clientCalendarId === null) return 'unknown_channel';
    if (!channelTokenMatches(h.token, channel.tokenHash)) return 'bad_token';
    // resourceId is stored once Google answers the watch; the `sync` message may arrive before that.
    if (channel.resourceId && h.resourceId !== channel.resourceId) return 'bad_token';
    if (h.resourceState === 'sync') return 'sync_ack';
    // The admin's emergency stop: acknowledged (Google would retry a 5xx) and dropped; the poll catches up on resume.
    if (await this.settings.isSyncPaused()) return 'paused';
    return this.coalescer.notify(channel.clientCalendarId) ? 'queued' : 'coalesced';
  }

  /**
   * Opens a fresh channel for the calendar, then stops its older ones (renewal is the same move). The row
   * is written before the watch call because Google's first notification can beat the watch answer.
   */
  async registerFor(calendarId: number): Promise<WebhookChannel> {
    const calendar = await this.calendars.findById(calendarId);
    if (!calendar || !calendar.isActive) throw new Error(`Calendar ${calendarId} is not connected`);
    const older = await this.channels.listForCalendar(calendarId);
    const token = newChannelToken();
    const row = await this.channels.insert({
      userId: calendar.userId,
      calendarType: calendar.calendarType,
      clientCalendarId: calendar.id,
      channelId: randomUUID(),
      tokenHash: hashChannelToken(token),
      expiration: new Date(Date.now() + CHANNEL_TTL_SECONDS * 1000),
    });
    try {
      const api = await this.google.calendarApiFor(calendar.oauthTokenId);
      const watched = await api.watch(calendar.googleCalendarId, {
        id: row.channelId,
        address: this.address(),
        token,
        ttlSeconds: CHANNEL_TTL_SECONDS,
      });
      await this.channels.confirm(row.id, watched.resourceId, watched.expiration);
      Object.assign(row, { resourceId: watched.resourceId, expiration: watched.expiration });
    } catch (error) {
      await this.channels.remove(row.id);
      await this.registrationFailed(calendar, error);
      throw error;
    }
    this.logger.log('Webhook channel registered', {
      userId: calendar.userId,
      calendarId,
      expiration: row.expiration.toISOString(),
    });
    for (const old of older) await this.stopChannel(old, calendar);
    return row;
  }

  /** Webhook renewal job: expiring channels replaced, missing ones opened, disconnected ones stopped. */
  async renewExpiring(now: Date = new Date()): Promise<RenewalResult> {
    const result: RenewalResult = { renewed: 0, registered: 0, stopped: 0, failed: 0 };
    for (const channel of await this.channels.listForInactiveCalendars()) {
      await this.stopChannel(channel);
      result.stopped++;
    }
    const soon = new Date(now.getTime() + RENEW_WITHIN_MS);
    const expiring = new Set(
      (await this.channels.listExpiringBefore(soon))
        .map((c) => c.clientCalendarId)
        .filter((id): id is number => id !== null),
    );
    const missing = await this.channels.activeCalendarsWithoutChannel(soon);
    for (const calendarId of new Set([...missing, ...expiring])) {
      const calendar = await this.calendars.findById(calendarId);
      if (!calendar?.isActive) continue;
      try {
        await this.registerFor(calendarId);
        if (expiring.has(calendarId)) result.renewed++;
        else result.registered++;
      } catch {
        result.failed++; // alerted in registerFor; the next run tries again, polling covers meanwhile
      }
    }
    return result;
  }

  async stopFor(calendarId: number): Promise<number> {
    const calendar = await this.calendars.findById(calendarId);
    const channels = await this.channels.listForCalendar(calendarId);
    for (const channel of channels) await this.stopChannel(channel, calendar ?? undefined);
    return channels.length;
  }

  /** Before a user is removed. */
  async stopAllForUser(userId: number): Promise<number> {
    const channels = await this.channels.listForUser(userId);
    for (const channel of channels) await this.stopChannel(channel);
    return channels.length;
  }

  /** Factory reset: every channel stopped at Google (best effort) and forgotten. */
  async stopAll(): Promise<number> {
    const channels = await this.channels.listAll();
    for (const channel of channels) await this.stopChannel(channel);
    return channels.length;
  }

  private address(): string {
    return `${this.config.publicUrl}${WEBHOOK_ROUTE}`;
  }

  /** Stops at Google when it can; the row goes either way (an unstopped channel expires by itself). */
  private async stopChannel(channel: WebhookChannel, calendar?: ClientCalendar): Promise<void> {
    try {
      const cal =
        calendar ??
        (channel.clientCalendarId !== null ? await this.calendars.findById(channel.clientCalendarId) : null);
      if (cal && channel.resourceId) {
        const api = await this.google.calendarApiFor(cal.oauthTokenId);
        await api.stopChannel(channel.channelId, channel.resourceId);
      }
    } catch (error) {
      this.logger.warn('Stopping a webhook channel at Google failed; it will expire on its own', {
        calendarId: channel.clientCalendarId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    await this.channels.remove(channel.id);
  }

  private async registrationFailed(calendar: ClientCalendar, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn('Webhook registration failed', {
      userId: calendar.userId,
      calendarId: calendar.id,
      error: message,
    });
    // A revoked grant has its own alert (token_revoked); polling also stops for it until reconnected.
    if (error instanceof GoogleApiError && error.kind === 'auth_revoked') return;
    await this.alerts.raise({
      type: 'webhook_registration_failed',
      userId: calendar.userId,
      calendarId: calendar.id,
      calendarName: calendar.displayName ?? calendar.googleCalendarId,
      error: message,
    });
  }
}
