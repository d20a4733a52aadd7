import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { ClientCalendar, OAuthToken, User } from '../database/entities';
import { ClientCalendarRepository } from '../database/repositories/client-calendar.repository';
import { OAuthTokenRepository } from '../database/repositories/oauth-token.repository';
import { UserRepository } from '../database/repositories/user.repository';
import { GoogleAccountsService } from '../google/google-accounts.service';
import { GoogleApiError } from '../google/google-errors';
import { CalendarChoice, httpErrorFromGoogle } from './google-http-errors';
import { SyncBridge } from './sync-ports';
import { isWritableRole } from '../google/access-roles';

export interface MeView {
  id: number;
  email: string;
  displayName: string | null;
  isAdmin: boolean;
  mainCalendarId: string | null;
}

export interface AlertPreferences {
  emailAlerts: boolean;
}

/** The user's own side: profile, home account calendars, the main calendar and alert preferences. */
@Injectable()
export class CalendarsService {
  private readonly logger = new Logger('Calendars');

  constructor(
    private readonly db: DatabaseService,
    private readonly users: UserRepository,
    private readonly tokens: OAuthTokenRepository,
    private readonly calendars: ClientCalendarRepository,
    private readonly accounts: GoogleAccountsService,
    private readonly bridge: SyncBridge,
  ) {}

  me(user: User): MeView {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      isAdmin: user.isAdmin,
      mainCalendarId: user.mainCalendarId,
    };
  }

  /**
   * The user's 'main' client_calendars row, created on first sign-in (called by the auth callback):
   * the calendar chosen before (users.main_calendar_id) or else the home account's primary calendar.
   */
  async ensureMainCalendar(userId: number, homeTokenId: number): Promise<ClientCalendar> {
    const existing = await this.calendars.findActiveMain(userId);
    if (existing) return existing;
    const user = await this.users.findById(userId);
    const token = await this.tokens.findById(homeTokenId);
    if (!user || !token || token.userId !== userId)
      throw new Error(`ensureMainCalendar: user ${userId} has no home account ${homeTokenId}`);
    const calendarId = user.mainCalendarId ?? (await this.primaryCalendarId(token));
    const created = await this.db.write(async (m) => {
      const again = await this.calendars.findActiveMain(userId);
      if (again) return { row: again, isNew: false };
      const row = await this.calendars.create(
        {
          userId,
          oauthTokenId: token.id,
          googleCalendarId: calendarId,
          displayName: calendarId,
          calendarType: 'main',
          accessRole: 'owner',
        },
        m,
      );
      await m.getRepository(User).update(userId, { mainCalendarId: calendarId });
      return { row, isNew: true };
    });
    if (created.isNew) await this.bridge.started(created.row.id, 'main_calendar_created');
    return created.row;
  }

  async homeCalendars(user: User): Promise<CalendarChoice[]> {
    const token = await this.homeToken(user);
    try {
      const entries = await (await this.accounts.calendarApiFor(token.id)).listCalendars();
      return entries
        .filter((e) => e.id && !e.deleted)
        .map((e) => ({
          id: e.id!,
          summary: e.summaryOverride ?? e.summary ?? e.id!,
          primary: e.primary === true,
          accessRole: e.accessRole ?? 'none',
        }));
    } catch (error) {
      throw httpErrorFromGoogle(error, token.googleAccountEmail);
    }
  }

  /**
   * Moves the 'main' row to another calendar the home account can write. The old row is cleaned up by the
   * sync engine like a disconnected calendar (copies on it removed) and kept for audit; then a full re-sync
   * rebuilds everything on the new one, so nothing is left behind on the old calendar.
   */
  async setMainCalendar(user: User, calendarId: string): Promise<MeView> {
    const token = await this.homeToken(user);
    const choice = (await this.homeCalendars(user)).find((c) => c.id === calendarId);
    if (!choice)
      throw new BadRequestException(`"${calendarId}" is not a calendar of your account ${token.googleAccountEmail}`);
    if (!isWritableRole(choice.accessRole)) {
      throw new BadRequestException(
        `You can only read "${choice.summary}" (access: ${choice.accessRole}): BusyBridge must be able to write client events to the main calendar, so choose a calendar you own or can edit`,
      );
    }
    const current = await this.calendars.findActiveMain(user.id);
    if (current?.googleCalendarId === calendarId) return this.me({ ...user, mainCalendarId: calendarId } as User);
    const other = await this.calendars.findActiveByGoogleId(user.id, calendarId);
    if (other && other.calendarType !== 'main') {
      throw new ConflictException(
        `"${choice.summary}" is connected as a ${other.calendarType} calendar; disconnect it there first`,
      );
    }
    if (current) {
      try {
        await this.bridge.cleanUp(current.id);
      } catch (error) {
        this.logger.warn(`Cleaning up the old main calendar ${current.id} failed: ${(error as Error).message}`);
        throw new ServiceUnavailableException(
          `Removing BusyBridge's events from your current main calendar failed, so it was not changed; try again shortly (${(error as Error).message.slice(0, 200)})`,
        );
      }
      await this.bridge.stopWebhooks(current.id);
    }
    const row = await this.db.write(async (m) => {
      if (current) await this.calendars.markDisconnected(current.id, new Date(), m);
      const created = await this.calendars.create(
        {
          userId: user.id,
          oauthTokenId: token.id,
          googleCalendarId: calendarId,
          displayName: choice.summary,
          calendarType: 'main',
          accessRole: choice.accessRole,
        },
        m,
      );
      await m.getRepository(User).update(user.id, { mainCalendarId: calendarId });
      return created;
    });
    this.logger.log(`User ${user.id} moved the main calendar (row ${current?.id ?? 'none'} -> ${row.id})`);
    await this.bridge.started(row.id, 'main_calendar_changed');
    await this.bridge.fullResync(user.id);
    return this.me({ ...user, mainCalendarId: calendarId } as User);
  }

  alertPreferences(user: User): AlertPreferences {
    return { emailAlerts: user.emailAlerts };
  }

  async setAlertPreferences(user: User, prefs: AlertPreferences): Promise<AlertPreferences> {
    await this.users.update(user.id, { emailAlerts: prefs.emailAlerts });
    return { emailAlerts: prefs.emailAlerts };
  }

  private async homeToken(user: User): Promise<OAuthToken> {
    const token = (await this.tokens.listForUser(user.id)).find((t) => t.accountType === 'home');
    if (!token) throw new ConflictException('Your Google account is not connected: sign out and sign in again');
    if (token.needsReauth)
      throw new ConflictException(
        `Google no longer accepts the connection of ${token.googleAccountEmail}: sign out and sign in again`,
      );
    return token;
  }

  /** The primary calendar's id is usually the email; asking Google is exact (and cheap: one call, once). */
  private async primaryCalendarId(token: OAuthToken): Promise<string> {
    try {
      return (
        (await (await this.accounts.calendarApiFor(token.id)).getCalendar('primary')).id ?? token.googleAccountEmail
      );
    } catch (error) {
      if (error instanceof GoogleApiError && error.kind === 'auth_revoked') throw error;
      this.logger.warn(`Could not ask Google for the primary calendar of account ${token.id}; using its email`);
      return token.googleAccountEmail;
    }
  }
}
