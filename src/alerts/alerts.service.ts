import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatabaseService, isDiskFull } from '../database/database.service';
import { AlertQueueRepository, NewAlertMail } from '../database/repositories/alert-queue.repository';
import { UserRepository } from '../database/repositories/user.repository';
import { User } from '../database/entities';
import { redactText } from '../logging/redact';
import { SettingsService } from '../settings/settings.service';
import { ALERT_TYPES, AlertType } from './alert-types';
import { AlertTemplates } from './alert-templates';
import { MailService } from './mail.service';
import { alertsEnabled, extraRecipients } from './smtp-settings';

export interface RaiseAlert {
  type: AlertType;
  userId?: number | null;
  calendarId?: number | null;
  calendarName?: string | null;
  /** Error text; redacted before it is stored or mailed. */
  error: string | Error;
  suggestedAction?: string;
  /** De-duplication scope when no calendar is involved (e.g. `job:retention-cleanup`). */
  dedupScope?: string;
}

export type RaiseOutcome =
  { queued: number } | { queued: 0; skipped: 'disabled' | 'duplicate' | 'no_recipients' | 'failed' };

export const DEDUP_WINDOW_MS = 60 * 60 * 1000;

/** Email alerting: who gets what, de-duplicated, queued for the alert job to send. */
@Injectable()
export class AlertsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlertsService.name);
  private templates: AlertTemplates | null = null;
  /** Alerts mailed directly because the queue could not be written: de-dup key -> when (the queue's rows can't). */
  private readonly sentDirectly = new Map<string, number>();
  private stopListening: (() => void) | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly users: UserRepository,
    private readonly queue: AlertQueueRepository,
    private readonly db: DatabaseService,
    private readonly mail: MailService,
  ) {}

  onModuleInit(): void {
    // A full disk fails every write somewhere (syncs, logins, jobs); it is one problem and one alert.
    this.stopListening = this.db.onDiskFull(
      (error) =>
        void this.raise({
          type: 'system_error',
          dedupScope: 'database:disk-full',
          error: `The database could not be written: the disk is full (${error.message}). Syncing is failing until there is room again.`,
          suggestedAction:
            'Free space on the disk that holds the database (DATABASE_PATH). BusyBridge retries on its own and catches up afterwards.',
        }),
    );
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  /** Never throws: an alert that cannot be queued is logged, and the caller's own work goes on. */
  async raise(alert: RaiseAlert, now: Date = new Date()): Promise<RaiseOutcome> {
    const error = redactText(alert.error instanceof Error ? alert.error.message : String(alert.error)).slice(0, 2000);
    this.logger.warn(`Alert ${alert.type}`, {
      alertType: alert.type,
      userId: alert.userId ?? null,
      calendarId: alert.calendarId ?? null,
      error,
    });
    try {
      const values = await this.settings.getAll();
      if (!alertsEnabled(values)) return { queued: 0, skipped: 'disabled' };
      const mails = await this.compose(alert, error, extraRecipients(values), now);
      if (mails.length === 0) return { queued: 0, skipped: 'no_recipients' };
      try {
        const queued = await this.queue.enqueueUnlessRecent(
          dedupKey(alert),
          new Date(now.getTime() - DEDUP_WINDOW_MS),
          mails,
        );
        return queued > 0 ? { queued } : { queued: 0, skipped: 'duplicate' };
      } catch (failure) {
        // No room to queue it (the disk is full, likely the very alert): mail it now rather than not at all.
        if (!isDiskFull(failure)) throw failure;
        return await this.sendDirectly(dedupKey(alert), mails, now);
      }
    } catch (failure) {
      this.logger.error('Could not queue alert', {
        alertType: alert.type,
        error: failure instanceof Error ? failure.message : String(failure),
      });
      return { queued: 0, skipped: 'failed' };
    }
  }

  private async sendDirectly(key: string, mails: NewAlertMail[], now: Date): Promise<RaiseOutcome> {
    const last = this.sentDirectly.get(key);
    if (last !== undefined && now.getTime() - last < DEDUP_WINDOW_MS) return { queued: 0, skipped: 'duplicate' };
    this.sentDirectly.set(key, now.getTime());
    for (const [k, at] of this.sentDirectly) if (now.getTime() - at >= DEDUP_WINDOW_MS) this.sentDirectly.delete(k);
    let sent = 0;
    for (const m of mails) {
      try {
        await this.mail.send({ to: m.recipientEmail, subject: m.subject, text: m.body, html: m.htmlBody });
        sent++;
      } catch (failure) {
        this.logger.error('Could not mail an alert that could not be queued', {
          alertType: m.alertType,
          error: failure instanceof Error ? failure.message : String(failure),
        });
      }
    }
    return { queued: sent };
  }

  private async compose(alert: RaiseAlert, error: string, extra: string[], now: Date): Promise<NewAlertMail[]> {
    const info = ALERT_TYPES[alert.type];
    const affected = alert.userId ? await this.users.findById(alert.userId) : null;
    const recipients = new Map<string, string>();
    const add = (email: string, reason: string) => {
      const key = email.toLowerCase();
      if (!recipients.has(key)) recipients.set(key, reason);
    };
    if (!info.adminsOnly && affected?.emailAlerts) add(affected.email, 'one of your calendars is affected');
    for (const admin of await this.users.admins()) add(admin.email, 'you are an administrator of BusyBridge');
    for (const email of extra) add(email, 'this address is on the BusyBridge alert list');

    const base = this.config.publicUrl;
    const templates = (this.templates ??= new AlertTemplates());
    return [...recipients].map(([email, reason]) => {
      const rendered = templates.render({
        title: info.title,
        occurredAt: this.formatTime(now),
        calendar: calendarLabel(alert),
        userEmail: recipientIsAffected(affected, email) ? null : (affected?.email ?? null),
        error,
        suggestedAction: alert.suggestedAction ?? info.defaultAction,
        dashboardUrl: `${base}/app`,
        preferencesUrl: `${base}/app/settings`,
        reason,
      });
      return {
        alertType: alert.type,
        recipientEmail: email,
        subject: rendered.subject,
        body: rendered.text,
        htmlBody: rendered.html,
        userId: alert.userId ?? null,
        calendarId: alert.calendarId ?? null,
      };
    });
  }

  private formatTime(at: Date): string {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: this.config.tz,
      dateStyle: 'medium',
      timeStyle: 'long',
    }).format(at);
  }
}

/** "Same alert type for the same calendar": per user when no calendar is involved, else system-wide. */
export function dedupKey(alert: Pick<RaiseAlert, 'type' | 'calendarId' | 'userId' | 'dedupScope'>): string {
  if (alert.calendarId) return `${alert.type}:calendar:${alert.calendarId}`;
  if (alert.dedupScope) return `${alert.type}:${alert.dedupScope}`;
  if (alert.userId) return `${alert.type}:user:${alert.userId}`;
  return `${alert.type}:system`;
}

function calendarLabel(alert: RaiseAlert): string {
  if (alert.calendarName) return alert.calendarName;
  if (alert.calendarId) return `Calendar #${alert.calendarId}`;
  return 'All calendars (system)';
}

function recipientIsAffected(affected: User | null, email: string): boolean {
  return affected !== null && affected.email.toLowerCase() === email;
}
