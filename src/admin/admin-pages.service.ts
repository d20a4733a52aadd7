import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { User } from '../database/entities';
import { UserRepository } from '../database/repositories/user.repository';
import { STATUS_SIGN, TimeFormat } from '../ui/format';
import { summarize } from '../ui/user-pages.service';
import { AdminSettingsService } from './admin-settings.service';
import { AdminSystemService, LogFilter } from './admin-system.service';
import { AdminUsersService, UserFilter } from './admin-users.service';
import { LogEntryView } from './admin-views';

const SYNC_SIGN: Record<string, { sign: string; label: string }> = {
  ...STATUS_SIGN,
  none: { sign: '–', label: 'No calendars' },
};

/** View models of the /admin pages; the numbers come from the same services as the admin API. */
@Injectable()
export class AdminPagesService {
  private readonly time: TimeFormat;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly usersService: AdminUsersService,
    private readonly system: AdminSystemService,
    private readonly settingsService: AdminSettingsService,
    private readonly userRepo: UserRepository,
  ) {
    this.time = new TimeFormat(config.tz);
  }

  async dashboard(): Promise<object> {
    const health = await this.system.health();
    return {
      health,
      errorPercent: (health.errorRate.rate * 100).toFixed(1),
      alerts: health.recentAlerts.map((a) => ({ ...a, at: this.time.full(a.createdAt) })),
    };
  }

  async users(filter: UserFilter): Promise<object> {
    const rows = await this.usersService.list(filter);
    return {
      filter: {
        search: filter.search ?? '',
        admin: filter.admin === undefined ? '' : String(filter.admin),
        status: filter.status ?? '',
      },
      adminOptions: [
        ['', 'Everyone'],
        ['true', 'Administrators'],
        ['false', 'Users'],
      ].map(([value, label]) => ({
        value,
        label,
        selected: value === (filter.admin === undefined ? '' : String(filter.admin)),
      })),
      statusOptions: [
        ['', 'Any status'],
        ['ok', 'In sync'],
        ['warning', 'Retrying'],
        ['error', 'Needs attention'],
        ['none', 'No calendars'],
      ].map(([value, label]) => ({ value, label, selected: value === (filter.status ?? '') })),
      users: rows.map((u) => ({ ...u, lastLogin: this.time.full(u.lastLoginAt), ...SYNC_SIGN[u.syncStatus] })),
    };
  }

  async user(id: number, me: User): Promise<object> {
    const detail = await this.usersService.detail(id);
    return {
      user: {
        ...detail.user,
        lastLogin: this.time.full(detail.user.lastLoginAt),
        created: this.time.full(detail.user.createdAt),
      },
      isSelf: me.id === id,
      calendars: detail.calendars.map((c) => ({
        ...c,
        lastSync: this.time.ago(c.lastSyncAt),
        ...STATUS_SIGN[c.status],
        removable: c.isActive && c.type !== 'main',
      })),
      rows: this.logRows(detail.recentLog),
    };
  }

  async logs(filter: LogFilter): Promise<object> {
    const page = await this.system.logs(filter);
    const keep = Object.entries(filter)
      .filter(([k, v]) => k !== 'page' && v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]);
    const base = `/admin/logs?${new URLSearchParams(keep)}${keep.length ? '&' : ''}page=`;
    const users = await this.userRepo.list();
    return {
      showUser: true,
      filter: {
        ...filter,
        calendarId: filter.calendarId ?? '',
        action: filter.action ?? '',
        from: filter.from ?? '',
        to: filter.to ?? '',
      },
      userOptions: users.map((u) => ({ id: u.id, email: u.email, selected: u.id === filter.userId })),
      statusOptions: ['success', 'warning', 'failure'].map((value) => ({ value, selected: value === filter.status })),
      actionOptions: [
        'sync',
        'full_sync',
        'disconnect',
        'admin_sync',
        'admin_force_reauth',
        'admin_disconnect',
        'admin_pause',
        'admin_resume',
        'admin_remove_user',
      ].map((value) => ({ value, selected: value === filter.action })),
      rows: this.logRows(page.items),
      pager: {
        page: page.page,
        pages: page.pages,
        total: page.total,
        prev: page.page > 1 ? base + (page.page - 1) : null,
        next: page.page < page.pages ? base + (page.page + 1) : null,
      },
    };
  }

  async settings(): Promise<object> {
    return { settings: await this.settingsService.get() };
  }

  /** Where a refused form post is shown again, with its message. */
  async pageFor(back: string, me: User): Promise<{ view: string; nav: string; title: string; data: object }> {
    const user = /^\/admin\/users\/(\d+)$/.exec(back);
    if (user) {
      try {
        return { view: 'admin/user', nav: 'users', title: 'User', data: await this.user(Number(user[1]), me) };
      } catch {
        return { view: 'admin/users', nav: 'users', title: 'Users', data: await this.users({}) };
      }
    }
    if (back === '/admin/users')
      return { view: 'admin/users', nav: 'users', title: 'Users', data: await this.users({}) };
    if (back === '/admin/settings' || back === '/setup')
      return { view: 'admin/settings', nav: 'settings', title: 'Admin settings', data: await this.settings() };
    return { view: 'admin/dashboard', nav: 'overview', title: 'Admin', data: await this.dashboard() };
  }

  private logRows(items: LogEntryView[]): object[] {
    return items.map((l) => ({
      at: this.time.full(l.createdAt),
      user: l.userEmail ?? (l.userId ? `#${l.userId}` : '—'),
      calendar: l.calendarName ?? (l.calendarId ? `#${l.calendarId}` : '—'),
      action: l.action,
      status: l.status,
      details: summarize(l.details),
    }));
  }
}
