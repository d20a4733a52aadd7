import { Injectable } from '@nestjs/common';
import { ClientCalendar } from '../../database/entities';
import { ClientCalendarRepository } from '../../database/repositories/client-calendar.repository';
import { OAuthTokenRepository } from '../../database/repositories/oauth-token.repository';
import { GoogleEvent } from '../../google/calendar-api';
import { GoogleAccountsService } from '../../google/google-accounts.service';
import { AccessRole, OriginListing, parseStoredPolicy, PlanCalendar } from '../../sync/rules';
import { httpErrorFromGoogle } from '../google-http-errors';

/** A connected calendar with what the planner needs to know of it. */
export interface KnownCalendar {
  row: ClientCalendar;
  plan: PlanCalendar;
  accountEmail: string;
}

const ROLES: AccessRole[] = ['owner', 'writer', 'reader', 'freeBusyReader', 'none'];

/** Read-only access to a user's calendars on Google, for previews and dry runs (nothing is written). */
@Injectable()
export class UserCalendarsReader {
  constructor(
    private readonly calendars: ClientCalendarRepository,
    private readonly tokens: OAuthTokenRepository,
    private readonly accounts: GoogleAccountsService,
  ) {}

  /** The user's active calendars (main, client, personal) as the planner sees them. */
  async active(userId: number): Promise<KnownCalendar[]> {
    const rows = await this.calendars.listForUser(userId, ['main', 'client', 'personal']);
    const emails = new Map((await this.tokens.listForUser(userId)).map((t) => [t.id, t.googleAccountEmail]));
    return rows.map((row) => {
      const accountEmail = emails.get(row.oauthTokenId) ?? '';
      const role = ROLES.includes(row.accessRole as AccessRole)
        ? (row.accessRole as AccessRole)
        : row.calendarType === 'personal'
          ? 'reader'
          : 'writer';
      return {
        row,
        accountEmail,
        plan: {
          id: row.id,
          kind: row.calendarType,
          accessRole: role,
          accountEmail,
          active: true,
          policy: parseStoredPolicy(row.policy),
        },
      };
    });
  }

  /** Events of one calendar: expanded occurrences in a range (previews), or the sync's own full listing. */
  async events(cal: KnownCalendar, range: { from: Date; to?: Date; expand: boolean }): Promise<GoogleEvent[]> {
    try {
      const api = await this.accounts.calendarApiFor(cal.row.oauthTokenId);
      const options = {
        timeMin: range.from.toISOString(),
        showDeleted: false,
        singleEvents: range.expand,
        ...(range.to ? { timeMax: range.to.toISOString() } : {}),
      };
      return (await api.listEvents(cal.row.googleCalendarId, options)).items.filter((e) => e.status !== 'cancelled');
    } catch (error) {
      throw httpErrorFromGoogle(error, cal.accountEmail);
    }
  }

  async listings(cals: KnownCalendar[], range: { from: Date; to?: Date; expand: boolean }): Promise<OriginListing[]> {
    const out: OriginListing[] = [];
    for (const cal of cals) out.push({ calendar: cal.plan, events: await this.events(cal, range) });
    return out;
  }
}
