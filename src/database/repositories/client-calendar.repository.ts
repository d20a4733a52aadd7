import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { DatabaseService } from '../database.service';
import { CalendarSyncState, CalendarSyncStatus, CalendarType, ClientCalendar } from '../entities';

export interface NewCalendar {
  userId: number;
  oauthTokenId: number;
  googleCalendarId: string;
  displayName: string | null;
  calendarType: CalendarType;
  accessRole: string | null;
  /** A client calendar's rules (JSON), e.g. the admin's defaults for new client calendars. */
  policy?: string | null;
}

export interface CalendarWithState {
  calendar: ClientCalendar;
  state: CalendarSyncState | null;
}

/** client_calendars (main, client and personal rows) and their calendar_sync_state rows. */
@Injectable()
export class ClientCalendarRepository {
  constructor(private readonly db: DatabaseService) {}

  findById(id: number): Promise<ClientCalendar | null> {
    return this.db.reader.getRepository(ClientCalendar).findOneBy({ id });
  }

  /** Only the user's own row: the callers answer 404 for anyone else's id. */
  findForUser(userId: number, id: number): Promise<ClientCalendar | null> {
    return this.db.reader.getRepository(ClientCalendar).findOneBy({ id, userId });
  }

  findActiveMain(userId: number): Promise<ClientCalendar | null> {
    return this.db.reader.getRepository(ClientCalendar).findOneBy({ userId, calendarType: 'main', isActive: true });
  }

  /** The active row of this Google calendar for this user, whatever its type. */
  findActiveByGoogleId(userId: number, googleCalendarId: string): Promise<ClientCalendar | null> {
    return this.db.reader.getRepository(ClientCalendar).findOneBy({ userId, googleCalendarId, isActive: true });
  }

  /** Rows of the given types, newest connections last; disconnected ones only when asked. */
  listForUser(userId: number, types: CalendarType[], includeInactive = false): Promise<ClientCalendar[]> {
    return this.db.reader.getRepository(ClientCalendar).find({
      where: { userId, calendarType: In(types), ...(includeInactive ? {} : { isActive: true }) },
      order: { id: 'ASC' },
    });
  }

  listActiveByToken(oauthTokenId: number): Promise<ClientCalendar[]> {
    return this.db.reader
      .getRepository(ClientCalendar)
      .find({ where: { oauthTokenId, isActive: true }, order: { id: 'ASC' } });
  }

  setPolicy(id: number, policy: string | null): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(ClientCalendar).update(id, { policy });
    });
  }

  stateOf(calendarId: number): Promise<CalendarSyncState | null> {
    return this.db.reader.getRepository(CalendarSyncState).findOneBy({ clientCalendarId: calendarId });
  }

  async statesOf(calendarIds: number[]): Promise<Map<number, CalendarSyncState>> {
    if (calendarIds.length === 0) return new Map();
    const rows = await this.db.reader.getRepository(CalendarSyncState).findBy({ clientCalendarId: In(calendarIds) });
    return new Map(rows.map((s) => [s.clientCalendarId, s]));
  }

  /** The calendar row and its fresh sync state, in one transaction. */
  async create(input: NewCalendar, manager?: EntityManager): Promise<ClientCalendar> {
    const work = async (m: EntityManager) => {
      const calendar = await m
        .getRepository(ClientCalendar)
        .save(m.getRepository(ClientCalendar).create({ ...input, isActive: true, disconnectedAt: null }));
      await m
        .getRepository(CalendarSyncState)
        .insert({ clientCalendarId: calendar.id, status: 'ok', consecutiveFailures: 0 });
      return calendar;
    };
    return manager ? work(manager) : this.db.write(work);
  }

  /** Creates the row unless this user already has this Google calendar connected (checked in the same transaction). */
  createIfAbsent(input: NewCalendar): Promise<{ created: ClientCalendar } | { existing: ClientCalendar }> {
    return this.db.write(async (m) => {
      const existing = await m
        .getRepository(ClientCalendar)
        .findOneBy({ userId: input.userId, googleCalendarId: input.googleCalendarId, isActive: true });
      if (existing) return { existing };
      return { created: await this.create(input, m) };
    });
  }

  /** Kept for audit; the retention job removes it later. */
  markDisconnected(id: number, at: Date = new Date(), manager?: EntityManager): Promise<void> {
    const work = async (m: EntityManager) => {
      await m.getRepository(ClientCalendar).update(id, { isActive: false, disconnectedAt: at });
    };
    return manager ? work(manager) : this.db.write(work);
  }

  updateDisplayName(id: number, displayName: string | null, accessRole: string | null): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(ClientCalendar).update(id, { displayName, accessRole });
    });
  }

  /** Sets the status of every active calendar of an account (needs_reauth on revoke, ok on reconnect). */
  setStatusForToken(
    oauthTokenId: number,
    status: CalendarSyncStatus,
    lastError: string | null,
    onlyWhen?: CalendarSyncStatus,
  ): Promise<number[]> {
    return this.db.write(async (m) => {
      const calendars = await m.getRepository(ClientCalendar).find({ where: { oauthTokenId, isActive: true } });
      const ids = calendars.map((c) => c.id);
      if (ids.length === 0) return [];
      const where = { clientCalendarId: In(ids), ...(onlyWhen ? { status: onlyWhen } : {}) };
      const states = await m.getRepository(CalendarSyncState).findBy(where);
      if (states.length === 0) return [];
      await m
        .getRepository(CalendarSyncState)
        .update(
          { id: In(states.map((s) => s.id)) },
          { status, lastError, ...(status === 'ok' ? { consecutiveFailures: 0, nextRetryAt: null } : {}) },
        );
      return states.map((s) => s.clientCalendarId);
    });
  }
}
