import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { User } from '../database/entities';
import { AdminRepository } from '../database/repositories/admin.repository';
import { ClientCalendarRepository } from '../database/repositories/client-calendar.repository';
import { GoogleAccountsService } from '../google/google-accounts.service';
import { GoogleEvent } from '../google/calendar-api';
import { KIND_KEY, MAPPING_KEY, MARKER_KEY, MARKER_VALUE } from '../sync/rules/eligibility';
import { TimeFormat } from './format';

export interface EventModel {
  when: string;
  title: string;
  from: string;
  kind: 'copy' | 'personal';
  editable: boolean;
  note: string;
}

export interface EventsPage {
  weeks: number;
  days: Array<{ day: string; events: EventModel[] }>;
  count: number;
  editable: number;
  readOnly: number;
  error?: string;
  noMain?: boolean;
}

const DAY_MS = 86_400_000;

/**
 * SPEC "Visual Indicator": the synced events on the main calendar in the coming weeks, each marked editable
 * or read-only. Titles come from Google (the database keeps no event details); whether the user may edit a
 * copy comes from its mapping, which the sync engine keeps from the origin's organizer and guest rights.
 */
@Injectable()
export class EventsPageService {
  private readonly time: TimeFormat;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly calendars: ClientCalendarRepository,
    private readonly admin: AdminRepository,
    private readonly accounts: GoogleAccountsService,
  ) {
    this.time = new TimeFormat(config.tz);
  }

  async page(user: User, weeks: number, now: Date = new Date()): Promise<EventsPage> {
    const empty: EventsPage = { weeks, days: [], count: 0, editable: 0, readOnly: 0 };
    const main = await this.calendars.findActiveMain(user.id);
    if (!main) return { ...empty, noMain: true };
    const from = new Date(now.getTime());
    const to = new Date(now.getTime() + weeks * 7 * DAY_MS);
    let events: GoogleEvent[];
    try {
      const api = await this.accounts.calendarApiFor(main.oauthTokenId);
      events = (await api.listEvents(main.googleCalendarId, {
        singleEvents: true, timeMin: from.toISOString(), timeMax: to.toISOString(), privateExtendedProperty: [`${MARKER_KEY}=${MARKER_VALUE}`],
      })).items;
    } catch (error) {
      return { ...empty, error: `Google could not be asked for your main calendar's events: ${(error as Error).message}` };
    }
    const ids = [...new Set(events.map((e) => Number(e.extendedProperties?.private?.[MAPPING_KEY])).filter((n) => Number.isSafeInteger(n) && n > 0))];
    const mappings = new Map((await this.admin.mappingsByIds(user.id, ids)).map((m) => [m.id, m]));
    const origins = await this.admin.calendarNames([...new Set([...mappings.values()].map((m) => m.originCalendarId))]);
    const models: Array<EventModel & { start: number }> = [];
    for (const e of events) {
      const kind = e.extendedProperties?.private?.[KIND_KEY];
      if (e.status === 'cancelled' || (kind !== 'copy' && kind !== 'personal')) continue;
      const mapping = mappings.get(Number(e.extendedProperties?.private?.[MAPPING_KEY]));
      const start = e.start?.dateTime ?? e.start?.date ?? null;
      if (!start) continue;
      // Personal busy blocks are BusyBridge's own: changing them on main would be overwritten.
      const editable = kind === 'copy' && (mapping?.userCanEdit ?? false);
      models.push({
        start: new Date(start).getTime(),
        when: e.start?.date ? 'All day' : `${this.time.clock(start)}–${this.time.clock(e.end?.dateTime ?? start)}`,
        title: e.summary ?? '(no title)',
        from: mapping ? origins.get(mapping.originCalendarId) ?? 'a disconnected calendar' : 'unknown origin',
        kind,
        editable,
        note: editable ? 'Editable: your changes go back to the client calendar' : kind === 'personal' ? 'Read-only: a private busy block for a personal event' : 'Read-only: you are not the organizer and guests may not modify it, so changes stay on main',
      });
    }
    models.sort((a, b) => a.start - b.start);
    const days = new Map<string, EventModel[]>();
    for (const { start, ...m } of models) {
      const day = this.time.dayOf(new Date(start));
      days.set(day, [...(days.get(day) ?? []), m]);
    }
    return {
      weeks,
      days: [...days].map(([day, list]) => ({ day, events: list })),
      count: models.length,
      editable: models.filter((m) => m.editable).length,
      readOnly: models.filter((m) => !m.editable).length,
    };
  }
}
