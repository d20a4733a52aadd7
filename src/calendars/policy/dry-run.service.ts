import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EncryptionService } from '../../crypto/encryption.service';
import { User } from '../../database/entities';
import { DryRunResult, parseStoredPolicy, planConnect, PlanCalendar, PlanContext } from '../../sync/rules';
import { KnownCalendar, UserCalendarsReader } from './user-calendars';

/** The row id a calendar would get when connected: after every existing one, so it ranks last. */
const NOT_YET_CONNECTED = Number.MAX_SAFE_INTEGER;

/** Answers "what would connecting this client calendar write?" from reads only: nothing stored or written. */
@Injectable()
export class ConnectDryRunService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reader: UserCalendarsReader,
    private readonly encryption: EncryptionService,
  ) {}

  /**
   * `candidate` is the calendar as connect would store it (checked the same way first by the caller);
   * `policy` the stored defaults it would start with.
   */
  async plan(user: User, candidate: Omit<KnownCalendar, 'plan'>, policy: string | null): Promise<DryRunResult> {
    const now = new Date();
    const existing = await this.reader.active(user.id);
    const added: KnownCalendar = {
      ...candidate,
      row: { ...candidate.row, id: NOT_YET_CONNECTED },
      plan: {
        id: NOT_YET_CONNECTED,
        kind: 'client',
        accessRole: 'writer',
        accountEmail: candidate.accountEmail,
        active: true,
        policy: parseStoredPolicy(policy),
      },
    };
    const main = existing.find((c) => c.plan.kind === 'main');
    const others: PlanCalendar[] = [...existing.filter((c) => c.plan.kind !== 'main').map((c) => c.plan), added.plan];
    const ctx: PlanContext = {
      calendars: {
        userId: user.id,
        main: main?.plan ?? { id: -1, kind: 'main', accessRole: 'none', accountEmail: '', active: false },
        others,
      },
      managedEventPrefix: this.config.managedEventPrefix,
      now,
      lookbackDays: this.config.syncLookbackDays,
      idKey: this.encryption.eventIdKey(),
    };
    // The same window as a sync's full listing: events that ended before it are history.
    const from = new Date(now.getTime() - this.config.syncLookbackDays * 86_400_000);
    const listings = await this.reader.listings([...existing, added], { from, expand: false });
    const names = new Map([...existing, added].map((c) => [c.plan.id, c.row.displayName ?? c.row.googleCalendarId]));
    return planConnect(ctx, added.plan, listings, names);
  }
}
