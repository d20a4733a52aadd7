import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EncryptionService } from '../../crypto/encryption.service';
import { ClientCalendar, User } from '../../database/entities';
import { ClientCalendarRepository } from '../../database/repositories/client-calendar.repository';
import { SettingsService } from '../../settings/settings.service';
import {
  applyPolicyInput,
  ClientPolicy,
  DEFAULT_POLICY,
  expandWeekly,
  parseStoredPolicy,
  planUnavailable,
  PolicyError,
  PreviewItem,
  previewItem,
  publicPolicy,
  sortItems,
  StoredPolicy,
  wouldBeBlocks,
} from '../../sync/rules';
import { SyncBridge } from '../sync-ports';
import { KnownCalendar, UserCalendarsReader } from './user-calendars';

export const POLICY_DEFAULTS_KEY = 'client_policy_defaults';
const MAX_RANGE_DAYS = 31;

export interface PreviewView {
  calendarId: number;
  from: string;
  to: string;
  items: PreviewItem[];
}

export function policyError(error: unknown): never {
  if (error instanceof PolicyError)
    throw new BadRequestException({ error: error.message, details: { field: error.field } });
  throw error;
}

/** The Monday of this week in the hours' zone: where "unavailable" series start when hours change. */
function mondayOf(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).startOf('week').toISODate() as string;
}

/** Keeps the series' start week unless the hours or the option changed (a new week then starts them). */
export function withSince(next: ClientPolicy, before: StoredPolicy | undefined, now: Date): StoredPolicy {
  if (!next.unavailableOutsideHours || !next.workingHours) return next;
  const same =
    before?.since &&
    before.unavailableOutsideHours &&
    JSON.stringify(before.workingHours) === JSON.stringify(next.workingHours);
  return { ...next, since: same ? before.since : mondayOf(now, next.workingHours.timeZone) };
}

/** Per-client rules: read, change (re-planning that calendar's blocks), preview, and the admin's defaults. */
@Injectable()
export class ClientPolicyService {
  private readonly logger = new Logger('Calendars');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendars: ClientCalendarRepository,
    private readonly reader: UserCalendarsReader,
    private readonly settings: SettingsService,
    private readonly bridge: SyncBridge,
    private readonly encryption: EncryptionService,
  ) {}

  async get(user: User, id: number): Promise<ClientPolicy> {
    return publicPolicy(parseStoredPolicy((await this.clientCalendar(user, id)).policy));
  }

  /** Stores the policy, then re-plans the user's calendars so its blocks follow within this request. */
  async put(user: User, id: number, input: unknown): Promise<ClientPolicy> {
    const row = await this.clientCalendar(user, id);
    const before = parseStoredPolicy(row.policy);
    let next: ClientPolicy;
    try {
      next = applyPolicyInput(publicPolicy(before), input);
    } catch (error) {
      policyError(error);
    }
    const stored = JSON.stringify(withSince(next, before, new Date()));
    if (row.policy === stored || (!row.policy && JSON.stringify(next) === JSON.stringify(publicPolicy(DEFAULT_POLICY))))
      return publicPolicy(next); // nothing to re-plan
    await this.calendars.setPolicy(row.id, stored);
    try {
      await this.bridge.fullResync(user.id);
    } catch (error) {
      // Saved either way: the failed calendar is recorded and retried, and the next sync applies the policy.
      this.logger.warn(
        `Re-planning after the policy of calendar ${row.id} changed failed: ${(error as Error).message}`,
      );
    }
    return publicPolicy(next);
  }

  /** What the calendar holds now for the range, read from Google. */
  async preview(user: User, id: number, query: { from?: unknown; to?: unknown }): Promise<PreviewView> {
    const { target, range } = await this.previewSetup(user, id, query);
    const events = await this.reader.events(target, { ...range, expand: true });
    return this.view(
      id,
      range,
      events.map((e) => previewItem(e)),
    );
  }

  /** What it would hold under a draft policy: its own events as they are, our blocks as planned. */
  async previewDraft(user: User, id: number, body: unknown): Promise<PreviewView> {
    const input = (body && typeof body === 'object' ? body : {}) as { from?: unknown; to?: unknown; policy?: unknown };
    const extra = Object.keys(input).find((k) => !['from', 'to', 'policy'].includes(k));
    if (extra)
      throw new BadRequestException({
        error: `${extra} is not a field of a preview (from, to, policy)`,
        details: { field: extra },
      });
    const { target, range, all } = await this.previewSetup(user, id, input);
    let draft: StoredPolicy;
    try {
      draft = withSince(
        applyPolicyInput(publicPolicy(target.plan.policy), input.policy ?? {}),
        target.plan.policy,
        new Date(),
      );
    } catch (error) {
      policyError(error);
    }
    const listings = await this.reader.listings(all, { ...range, expand: true });
    const natives = (listings.find((l) => l.calendar.id === target.row.id)?.events ?? []).filter(
      (e) => previewItem(e).source === 'native',
    );
    const prefix = this.config.managedEventPrefix;
    const blocks = wouldBeBlocks(target.plan, draft, listings, prefix);
    const unavailable = planUnavailable(draft, {
      userId: user.id,
      calendarId: target.row.id,
      prefix,
      idKey: this.encryption.eventIdKey(),
    }).flatMap((s) => expandWeekly(s.body, range.from, range.to));
    return this.view(id, range, [...natives.map((e) => previewItem(e)), ...blocks, ...unavailable]);
  }

  /** The defaults new client calendars start with (admin settings). */
  async defaults(): Promise<ClientPolicy> {
    return publicPolicy(parseStoredPolicy(await this.settings.get(POLICY_DEFAULTS_KEY)));
  }

  async setDefaults(input: unknown): Promise<ClientPolicy> {
    let next: ClientPolicy;
    try {
      next = applyPolicyInput(await this.defaults(), input);
    } catch (error) {
      policyError(error);
    }
    await this.settings.set({ [POLICY_DEFAULTS_KEY]: JSON.stringify(next) });
    return next;
  }

  /** The stored form of the defaults for a calendar connected now; null when they are the built-in ones. */
  async policyForNewCalendar(): Promise<string | null> {
    const d = await this.defaults();
    if (JSON.stringify(d) === JSON.stringify(publicPolicy(DEFAULT_POLICY))) return null;
    return JSON.stringify(withSince(d, undefined, new Date()));
  }

  async calendarName(user: User, id: number): Promise<string | null> {
    const row = await this.clientCalendar(user, id);
    return row.displayName ?? row.googleCalendarId;
  }

  private view(id: number, range: { from: Date; to: Date }, items: PreviewItem[]): PreviewView {
    return { calendarId: id, from: range.from.toISOString(), to: range.to.toISOString(), items: sortItems(items) };
  }

  private async previewSetup(
    user: User,
    id: number,
    query: { from?: unknown; to?: unknown },
  ): Promise<{ target: KnownCalendar; range: { from: Date; to: Date }; all: KnownCalendar[] }> {
    const row = await this.clientCalendar(user, id);
    const all = await this.reader.active(user.id);
    const target = all.find((c) => c.row.id === row.id) as KnownCalendar;
    return { target, all, range: previewRange(query, target.plan.policy?.workingHours?.timeZone ?? 'UTC') };
  }

  /** Only the user's own active client calendars have a policy; anything else is 404. */
  private async clientCalendar(user: User, id: number): Promise<ClientCalendar> {
    const row = await this.calendars.findForUser(user.id, id);
    if (!row || row.calendarType !== 'client' || !row.isActive)
      throw new NotFoundException(`No connected client calendar ${id}`);
    return row;
  }
}

function instant(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new BadRequestException({
      error: `${field} must be an ISO instant such as 2026-03-02T00:00:00Z`,
      details: { field },
    });
  return new Date(ms);
}

/** `from`/`to` as sent (at most 31 days apart), or this week (Monday to Monday in `zone`). */
export function previewRange(
  query: { from?: unknown; to?: unknown },
  zone: string,
  now = new Date(),
): { from: Date; to: Date } {
  const monday = DateTime.fromJSDate(now, { zone }).startOf('week');
  const from = instant(query.from, 'from') ?? monday.toJSDate();
  const to = instant(query.to, 'to') ?? DateTime.fromJSDate(from, { zone }).plus({ days: 7 }).toJSDate();
  if (to.getTime() <= from.getTime())
    throw new BadRequestException({ error: 'to must be later than from', details: { field: 'to' } });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
    throw new BadRequestException({
      error: `A preview covers at most ${MAX_RANGE_DAYS} days`,
      details: { field: 'to' },
    });
  return { from, to };
}
