import { BadRequestException, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { SessionService } from '../auth/session.service';
import { backupDatabase } from '../database/backup';
import { User } from '../database/entities';
import { AdminRepository, SystemCounts } from '../database/repositories/admin.repository';
import { RetentionCounts } from '../database/repositories/retention.repository';
import { SyncLogRepository } from '../database/repositories/sync-log.repository';
import { UserRepository } from '../database/repositories/user.repository';
import { RetentionService } from '../jobs/retention.service';
import { SETTING_KEYS, SettingsService } from '../settings/settings.service';
import { SetupService } from '../setup/setup.service';
import { iso, LogEntryView, logEntry } from './admin-views';
import { WebhookStops } from './webhook-stops';

export interface HealthView {
  status: 'ok' | 'degraded' | 'paused';
  paused: boolean;
  users: number;
  admins: number;
  calendars: SystemCounts['calendars'] & { total: number };
  eventsSynced: { mainCopies: number; busyBlocks: number };
  errorRate: { window: '24h'; runs: number; failures: number; rate: number };
  webhooks: {
    active: number;
    expiringWithin24h: number;
    expired: number;
    calendarsWithoutChannel: number;
    healthy: boolean;
  };
  recentAlerts: Array<{
    id: number;
    type: string;
    subject: string;
    recipient: string;
    createdAt: string;
    state: 'sent' | 'failed' | 'pending';
  }>;
}

export interface LogPage {
  items: LogEntryView[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}

export interface LogFilter {
  page?: number;
  pageSize?: number;
  userId?: number;
  calendarId?: number;
  action?: string;
  status?: 'success' | 'failure' | 'warning';
  from?: string;
  to?: string;
}

/** A date-only `to` means "through the end of that day". */
function parseTo(to: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(`${to}T23:59:59.999Z`) : new Date(to);
}

/** System management for admins: health, pause, logs, cleanup, export, factory reset. */
@Injectable()
export class AdminSystemService {
  private readonly logger = new Logger('Admin');

  constructor(
    private readonly admin: AdminRepository,
    private readonly users: UserRepository,
    private readonly syncLog: SyncLogRepository,
    private readonly settings: SettingsService,
    private readonly sessions: SessionService,
    private readonly dataSource: DataSource,
    private readonly webhookStops: WebhookStops,
    private readonly retention: RetentionService,
    private readonly setup: SetupService,
  ) {}

  async health(now: Date = new Date()): Promise<HealthView> {
    const c = await this.admin.counts(now);
    const paused = await this.settings.isSyncPaused();
    const rate = c.syncRuns24h ? c.syncFailures24h / c.syncRuns24h : 0;
    const webhooksHealthy = c.webhooksExpired === 0 && c.calendarsWithoutWebhook === 0;
    const alerts = await this.admin.recentAlerts(10);
    return {
      status: paused ? 'paused' : rate > 0.1 || !webhooksHealthy ? 'degraded' : 'ok',
      paused,
      users: c.users,
      admins: c.admins,
      calendars: { ...c.calendars, total: c.calendars.main + c.calendars.client + c.calendars.personal },
      eventsSynced: { mainCopies: c.mainCopies, busyBlocks: c.busyBlocks },
      errorRate: {
        window: '24h',
        runs: c.syncRuns24h,
        failures: c.syncFailures24h,
        rate: Math.round(rate * 1000) / 1000,
      },
      webhooks: {
        active: c.webhookChannels,
        expiringWithin24h: c.webhooksExpiringSoon,
        expired: c.webhooksExpired,
        calendarsWithoutChannel: c.calendarsWithoutWebhook,
        healthy: webhooksHealthy,
      },
      recentAlerts: alerts.map((a) => ({
        id: a.id,
        type: a.alertType,
        subject: a.subject,
        recipient: a.recipientEmail,
        createdAt: iso(a.createdAt) ?? '',
        state: a.sentAt ? 'sent' : a.failedAt ? 'failed' : 'pending',
      })),
    };
  }

  /** The emergency stop: the sync engine and the jobs read `sync_paused` before doing anything. */
  async setPaused(paused: boolean, actor: User): Promise<{ paused: boolean }> {
    await this.settings.set({ [SETTING_KEYS.syncPaused]: paused ? 'true' : 'false' });
    await this.syncLog.add({
      userId: actor.id,
      action: paused ? 'admin_pause' : 'admin_resume',
      status: paused ? 'warning' : 'success',
      details: { by: actor.id },
    });
    this.logger.warn(`Admin ${actor.id} ${paused ? 'paused' : 'resumed'} sync globally`);
    return { paused };
  }

  async cleanup(actor: User): Promise<{ ok: true; deleted: RetentionCounts }> {
    const deleted = await this.retention.cleanup();
    this.logger.log(`Admin ${actor.id} ran the retention cleanup`);
    return { ok: true, deleted };
  }

  async logs(filter: LogFilter): Promise<LogPage> {
    const from = filter.from ? new Date(filter.from) : undefined;
    const to = filter.to ? parseTo(filter.to) : undefined;
    if (from && to && from > to) throw new BadRequestException('from must be before to');
    const page = await this.syncLog.query({ ...filter, from, to });
    const users = new Map((await this.users.list()).map((u) => [u.id, u.email]));
    const calendars = await this.admin.calendarNames([
      ...new Set(page.items.map((l) => l.calendarId).filter((c): c is number => c !== null)),
    ]);
    return {
      ...page,
      pages: Math.max(1, Math.ceil(page.total / page.pageSize)),
      items: page.items.map((l) => logEntry(l, users, calendars)),
    };
  }

  /**
   * "Download database backup": SQLite's online backup of the live file into a temporary one (consistent as
   * of one commit while the service keeps writing), streamed, then removed.
   */
  async export(reply: FastifyReply): Promise<void> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'busybridge-export-'));
    const file = path.join(dir, 'calendar-sync.db');
    try {
      await backupDatabase(this.dataSource, file);
    } catch (error) {
      await fs.rm(dir, { recursive: true, force: true });
      this.logger.error(`Export failed: ${(error as Error).message}`);
      throw new ServiceUnavailableException('The backup could not be made; try again');
    }
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
    const stream = createReadStream(file);
    const cleanup = () => void fs.rm(dir, { recursive: true, force: true });
    stream.once('close', cleanup);
    stream.once('error', cleanup);
    await reply
      .header('content-type', 'application/vnd.sqlite3')
      .header('content-disposition', `attachment; filename="busybridge-${stamp}.db"`)
      .header('content-length', (await fs.stat(file)).size)
      .header('cache-control', 'no-store')
      .send(stream);
  }

  /** Everything deleted, the key file too; the wizard runs again. Only the exact word RESET goes through. */
  async factoryReset(
    confirm: unknown,
    actor: User,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ ok: true; next: '/setup' }> {
    if (confirm !== 'RESET')
      throw new BadRequestException('Type RESET (in capitals) to confirm the factory reset: {"confirm":"RESET"}');
    this.logger.warn(`Admin ${actor.id} started a factory reset`);
    await this.webhookStops.stop({ all: true });
    await this.setup.factoryReset();
    this.sessions.clear(reply, request);
    return { ok: true, next: '/setup' };
  }
}
