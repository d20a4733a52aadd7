import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { User } from '../database/entities';
import { CalendarsReadModel } from '../calendars/calendars.read-model';
import { SyncedEventOnMain, SyncedEventsReadModel } from '../sync/synced-events.read-model';
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
 * The visual indicator: the synced events on the main calendar in the coming weeks, each marked editable
 * or read-only. Titles come from Google (the database keeps no event details); whether the user may edit a
 * copy comes from its mapping, which the sync engine keeps from the origin's organizer and guest rights.
 */
@Injectable()
export class EventsPageService {
  private readonly time: TimeFormat;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly calendars: CalendarsReadModel,
    private readonly synced: SyncedEventsReadModel,
  ) {
    this.time = new TimeFormat(config.tz);
  }

  async page(user: User, weeks: number, now: Date = new Date()): Promise<EventsPage> {
    const empty: EventsPage = { weeks, days: [], count: 0, editable: 0, readOnly: 0 };
    const main = await this.calendars.activeMain(user.id);
    if (!main) return { ...empty, noMain: true };
    const from = new Date(now.getTime());
    const to = new Date(now.getTime() + weeks * 7 * DAY_MS);
    let events: SyncedEventOnMain[];
    try {
      events = await this.synced.onMain(user.id, main, from, to);
    } catch (error) {
      return {
        ...empty,
        error: `Google could not be asked for your main calendar's events: ${(error as Error).message}`,
      };
    }
    const origins = await this.calendars.names([
      ...new Set(events.map((e) => e.originCalendarId).filter((id): id is number => id !== null)),
    ]);
    const models: Array<EventModel & { start: number }> = [];
    for (const e of events) {
      const kind = e.kind;
      const start = e.start.dateTime ?? e.start.date ?? null;
      if (!start) continue;
      // Personal busy blocks are BusyBridge's own: changing them on main would be overwritten.
      const editable = kind === 'copy' && e.userCanEdit;
      models.push({
        start: new Date(start).getTime(),
        when: e.start.date ? 'All day' : `${this.time.clock(start)}–${this.time.clock(e.end?.dateTime ?? start)}`,
        title: e.title ?? '(no title)',
        from:
          e.originCalendarId !== null
            ? (origins.get(e.originCalendarId) ?? 'a disconnected calendar')
            : 'unknown origin',
        kind,
        editable,
        note: editable
          ? 'Editable: your changes go back to the client calendar'
          : kind === 'personal'
            ? 'Read-only: a private busy block for a personal event'
            : 'Read-only: you are not the organizer and guests may not modify it, so changes stay on main',
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
