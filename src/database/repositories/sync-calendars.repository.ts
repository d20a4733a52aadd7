import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database.service';
import { DirectRows } from '../direct-rows';
import { ClientCalendar, OAuthToken } from '../entities';

export interface SyncCalendarRow {
  calendar: ClientCalendar;
  /** The Google account that reads the calendar (its own attendee entry on invitations). */
  accountEmail: string;
  /** Google refused that account's grant: nothing can be read from or written to the calendar until reconnected. */
  needsReauth: boolean;
}

/** The reads the sync engine needs over client_calendars (main, client and personal rows), plus disconnect. */
@Injectable()
export class SyncCalendarsRepository {
  private direct?: { calendars: DirectRows<ClientCalendar>; tokens: DirectRows<OAuthToken> };

  constructor(private readonly db: DatabaseService) {}

  /** Every sync request looks its calendar up first (whose lane): a hand-written statement too. */
  findById(id: number): Promise<ClientCalendar | null> {
    return this.rows().calendars.findOneBy((sql, params) => this.db.reader.query(sql, params), 'id', id);
  }

  /**
   * Every calendar of the user, disconnected ones included, with its account's email. Each poll asks twice per
   * user (to queue, then to run): hand-written statements (DirectRows), the same entities.
   */
  async listForUser(userId: number): Promise<SyncCalendarRow[]> {
    const run = (sql: string, params: unknown[]) => this.db.reader.query(sql, params);
    const calendars = await this.rows().calendars.findBy(run, 'userId', userId);
    const tokens = await this.rows().tokens.findBy(run, 'userId', userId);
    const byId = new Map(tokens.map((t) => [t.id, t]));
    return calendars.map((calendar) => {
      const token = byId.get(calendar.oauthTokenId);
      return { calendar, accountEmail: token?.googleAccountEmail ?? '', needsReauth: token?.needsReauth === true };
    });
  }

  private rows(): { calendars: DirectRows<ClientCalendar>; tokens: DirectRows<OAuthToken> } {
    return (this.direct ??= {
      calendars: new DirectRows(this.db.dataSource, ClientCalendar),
      tokens: new DirectRows(this.db.dataSource, OAuthToken),
    });
  }

  /** Users with at least one active calendar (the poll visits them). */
  async listActiveUserIds(): Promise<number[]> {
    const rows: Array<{ user_id: number }> = await this.db.reader.query(
      `SELECT DISTINCT user_id FROM client_calendars WHERE is_active = 1 ORDER BY user_id`,
    );
    return rows.map((r) => r.user_id);
  }

  /** Google says the calendar is gone or closed to us: it stops syncing but stays connected, rows kept. */
  markInactive(id: number): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(ClientCalendar).update(id, { isActive: false });
    });
  }

  markDisconnected(id: number, now = new Date()): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(ClientCalendar).update(id, { isActive: false, disconnectedAt: now });
    });
  }
}
