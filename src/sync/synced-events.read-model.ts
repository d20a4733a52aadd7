import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { EventMapping } from '../database/entities';
import { GoogleAccountsService } from '../google/google-accounts.service';
import { KIND_KEY, MAPPING_KEY, MARKER_KEY, MARKER_VALUE } from './rules/eligibility';

/** One event BusyBridge keeps on a main calendar, as the events page shows it. */
export interface SyncedEventOnMain {
  start: { dateTime?: string | null; date?: string | null };
  end: { dateTime?: string | null; date?: string | null } | null;
  title: string | null;
  /** A copy of a client event, or a private busy block for a personal event. */
  kind: 'copy' | 'personal';
  /** From the copy's mapping: the origin's organizer or guest rights let the user edit it. */
  userCanEdit: boolean;
  /** The calendar the event came from, or null when its mapping is gone. */
  originCalendarId: number | null;
}

/**
 * The sync engine's events on a user's main calendar, read-only: how the engine marks and maps its copies
 * stays inside the sync room.
 */
@Injectable()
export class SyncedEventsReadModel {
  constructor(
    private readonly db: DatabaseService,
    private readonly accounts: GoogleAccountsService,
  ) {}

  /** Asks Google for the window's events carrying our marker (throws when Google cannot be asked). */
  async onMain(
    userId: number,
    main: { oauthTokenId: number; googleCalendarId: string },
    from: Date,
    to: Date,
  ): Promise<SyncedEventOnMain[]> {
    const api = await this.accounts.calendarApiFor(main.oauthTokenId);
    const { items } = await api.listEvents(main.googleCalendarId, {
      singleEvents: true,
      timeMin: from.toISOString(),
      timeMax: to.toISOString(),
      privateExtendedProperty: [`${MARKER_KEY}=${MARKER_VALUE}`],
    });
    const mappingIdOf = (e: (typeof items)[number]) => Number(e.extendedProperties?.private?.[MAPPING_KEY]);
    const ids = [...new Set(items.map(mappingIdOf).filter((n) => Number.isSafeInteger(n) && n > 0))];
    const mappings = ids.length ? await this.db.reader.getRepository(EventMapping).findBy({ userId, id: In(ids) }) : [];
    const byId = new Map(mappings.map((m) => [m.id, m]));
    const result: SyncedEventOnMain[] = [];
    for (const e of items) {
      const kind = e.extendedProperties?.private?.[KIND_KEY];
      if (e.status === 'cancelled' || (kind !== 'copy' && kind !== 'personal') || !e.start) continue;
      const mapping = byId.get(mappingIdOf(e));
      result.push({
        start: e.start,
        end: e.end ?? null,
        title: e.summary ?? null,
        kind,
        userCanEdit: mapping?.userCanEdit ?? false,
        originCalendarId: mapping?.originCalendarId ?? null,
      });
    }
    return result;
  }
}
