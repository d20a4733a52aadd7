import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { CalendarSyncState, CalendarType, ClientCalendar } from '../database/entities';
import { ClientCalendarRepository } from '../database/repositories/client-calendar.repository';

/**
 * What the pages show about a user's calendars, read-only: the pages ask this room rather than reading its
 * tables, so the tables can change without the pages noticing.
 */
@Injectable()
export class CalendarsReadModel {
  constructor(
    private readonly db: DatabaseService,
    private readonly calendars: ClientCalendarRepository,
  ) {}

  activeMain(userId: number): Promise<ClientCalendar | null> {
    return this.calendars.findActiveMain(userId);
  }

  ofUser(userId: number, id: number): Promise<ClientCalendar | null> {
    return this.calendars.findForUser(userId, id);
  }

  listOfUser(userId: number, types: CalendarType[], includeInactive = false): Promise<ClientCalendar[]> {
    return this.calendars.listForUser(userId, types, includeInactive);
  }

  syncState(calendarId: number): Promise<CalendarSyncState | null> {
    return this.calendars.stateOf(calendarId);
  }

  /** Display names by calendar id (disconnected calendars too, for old log lines). */
  async names(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.reader
      .getRepository(ClientCalendar)
      .find({ select: { id: true, displayName: true, googleCalendarId: true }, where: { id: In(ids) } });
    return new Map(rows.map((c) => [c.id, c.displayName ?? c.googleCalendarId]));
  }
}
