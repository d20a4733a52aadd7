import { AppConfig } from '../../config/app-config';
import { EncryptionService } from '../../crypto/encryption.service';
import { ClientCalendar } from '../../database/entities';
import { BusyBlockRepository } from '../../database/repositories/busy-block.repository';
import { CalendarSyncStateRepository } from '../../database/repositories/calendar-sync-state.repository';
import { EventMappingRepository } from '../../database/repositories/event-mapping.repository';
import { SyncCalendarsRepository } from '../../database/repositories/sync-calendars.repository';
import { SyncLogRepository } from '../../database/repositories/sync-log.repository';
import { GoogleCalendarApi, GoogleEvent } from '../../google/calendar-api';
import { GoogleAccountsService } from '../../google/google-accounts.service';
import { isAccessRole } from '../../google/access-roles';
import { AccessRole, Operation, parseStoredPolicy, PlanCalendar, PlanContext, ShownOccurrences } from '../rules';

export interface EngineHooks {
  /** Runs after each Google write lands and before its database record: tests inject a crash here. */
  afterGoogleWrite?: (op: Operation) => void | Promise<void>;
  now?: () => Date;
}

/** Everything the engine needs, passed explicitly (plain classes and functions, no hidden state). */
export interface EngineDeps {
  config: AppConfig;
  encryption: EncryptionService;
  accounts: GoogleAccountsService;
  mappings: EventMappingRepository;
  blocks: BusyBlockRepository;
  states: CalendarSyncStateRepository;
  calendars: SyncCalendarsRepository;
  syncLog: SyncLogRepository;
  hooks: EngineHooks;
  /** Writes by kind, for the metrics. */
  onWriteLanded?: (kind: Operation['op']) => void;
  raiseAlert: (alert: {
    type: 'sync_failures' | 'calendar_inaccessible';
    userId: number;
    calendarId: number;
    calendarName: string | null;
    error: string;
    action: string;
  }) => Promise<void>;
}

export interface SyncCal {
  row: ClientCalendar;
  /** `plan.active` is false for a calendar we cannot write now (inactive, disconnected or its account revoked). */
  plan: PlanCalendar;
  /** Its account must be connected again: its copies wait for the full pass that follows the reconnect. */
  needsReauth: boolean;
}

export interface RunStats {
  changes: number;
  echoes: number;
  writes: number;
  skipped: number;
  /** When the latest write landed (epoch ms): where a change's propagation ends. */
  lastWriteAt?: number;
}

function accessRole(row: ClientCalendar): AccessRole {
  if (isAccessRole(row.accessRole)) return row.accessRole;
  // Unknown role: try to write (a refusal is a classified error) except where we never write.
  return row.calendarType === 'personal' ? 'reader' : 'writer';
}

/** One user's calendars and Google clients for the duration of one lane job. */
export class UserRun {
  readonly stats: RunStats = { changes: 0, echoes: 0, writes: 0, skipped: 0 };
  /** Series fetched for their occurrences during this run, keyed `{calendar row id}:{series id}`. */
  readonly seriesCache = new Map<string, GoogleEvent | null>();
  /** What events.instances listed for a series during this run, same keys; dropped when we write to its calendar. */
  readonly shownCache = new Map<string, ShownOccurrences>();
  private readonly apis = new Map<number, Promise<GoogleCalendarApi>>();

  constructor(
    readonly deps: EngineDeps,
    readonly userId: number,
    readonly calendars: Map<number, SyncCal>,
    readonly main: SyncCal | null,
    readonly planCtx: PlanContext,
  ) {}

  static async load(deps: EngineDeps, userId: number): Promise<UserRun> {
    const rows = await deps.calendars.listForUser(userId);
    const calendars = new Map<number, SyncCal>();
    for (const { calendar, accountEmail, needsReauth } of rows) {
      const connected = calendar.isActive && !calendar.disconnectedAt;
      calendars.set(calendar.id, {
        row: calendar,
        plan: {
          id: calendar.id,
          kind: calendar.calendarType,
          accessRole: accessRole(calendar),
          accountEmail,
          active: connected && !needsReauth,
          policy: parseStoredPolicy(calendar.policy),
        },
        needsReauth,
      });
    }
    // A main calendar whose account needs re-authentication is still the main: planned as inactive, not replaced.
    const main =
      [...calendars.values()].find((c) => c.plan.kind === 'main' && c.row.isActive && !c.row.disconnectedAt) ?? null;
    const now = deps.hooks.now?.() ?? new Date();
    const planCtx: PlanContext = {
      calendars: {
        userId,
        main: main?.plan ?? { id: -1, kind: 'main', accessRole: 'none', accountEmail: '', active: false },
        others: [...calendars.values()].filter((c) => c.plan.kind !== 'main').map((c) => c.plan),
      },
      managedEventPrefix: deps.config.managedEventPrefix,
      now,
      lookbackDays: deps.config.syncLookbackDays,
      idKey: deps.encryption.eventIdKey(),
    };
    return new UserRun(deps, userId, calendars, main, planCtx);
  }

  get now(): Date {
    return this.planCtx.now;
  }

  /** Start of the window a full listing covers (events that ended earlier are history). */
  get windowStart(): Date {
    return new Date(this.now.getTime() - this.planCtx.lookbackDays * 86_400_000);
  }

  api(cal: SyncCal): Promise<GoogleCalendarApi> {
    const tokenId = cal.row.oauthTokenId;
    let api = this.apis.get(tokenId);
    if (!api) {
      api = this.deps.accounts.calendarApiFor(tokenId);
      this.apis.set(tokenId, api);
      api.catch(() => this.apis.delete(tokenId));
    }
    return api;
  }

  byId(id: number): SyncCal | undefined {
    return this.calendars.get(id);
  }

  /**
   * Google refused a write to `cal` in a way that concerns the whole calendar (its account revoked): for the
   * rest of this run it is planned as inactive, so the other targets of every change are still written.
   */
  setUnwritable(cal: SyncCal): void {
    cal.plan.active = false;
  }

  /** We changed an origin on `cal` (an edit pushed, a deletion, a decline): what its series show is asked again. */
  forgetShown(cal: SyncCal): void {
    for (const key of [...this.shownCache.keys()]) if (key.startsWith(`${cal.row.id}:`)) this.shownCache.delete(key);
  }
}
