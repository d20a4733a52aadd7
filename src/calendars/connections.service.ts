import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ClientCalendar, OAuthToken, User } from '../database/entities';
import { ClientCalendarRepository } from '../database/repositories/client-calendar.repository';
import { OAuthTokenRepository } from '../database/repositories/oauth-token.repository';
import { GoogleAccountsService } from '../google/google-accounts.service';
import { CalendarRowView, calendarRow, calendarStatus, CalendarStatusView, ConnectedType } from './calendar-view';
import { CalendarChoice, httpErrorFromGoogle } from './google-http-errors';
import { SettingsService } from '../settings/settings.service';
import { SyncBridge } from './sync-ports';
import { ClientPolicyService } from './policy/client-policy.service';
import { ConnectDryRunService } from './policy/dry-run.service';
import { DryRunResult } from '../sync/rules';
import { isReadableRole, isWritableRole } from '../google/access-roles';

export interface AccountView {
  id: number;
  email: string;
  type: ConnectedType;
}

/** Client and personal connections: accounts, their calendars, connect, status, sync now, disconnect. */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger('Calendars');

  constructor(
    private readonly tokens: OAuthTokenRepository,
    private readonly calendars: ClientCalendarRepository,
    private readonly accounts: GoogleAccountsService,
    private readonly bridge: SyncBridge,
    private readonly settings: SettingsService,
    private readonly policies: ClientPolicyService,
    private readonly dryRuns: ConnectDryRunService,
  ) {}

  /** Connected client and personal accounts; the home account is not one of them. */
  async listAccounts(user: User): Promise<AccountView[]> {
    return (await this.tokens.listForUser(user.id))
      .filter((t) => t.accountType !== 'home')
      .map((t) => ({ id: t.id, email: t.googleAccountEmail, type: t.accountType as ConnectedType }));
  }

  async accountCalendars(user: User, accountId: number): Promise<CalendarChoice[]> {
    const token = await this.ownAccount(user, accountId);
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

  async list(user: User, type: ConnectedType): Promise<CalendarRowView[]> {
    const rows = await this.calendars.listForUser(user.id, [type]);
    const states = await this.calendars.statesOf(rows.map((r) => r.id));
    const tokens = new Map((await this.tokens.listForUser(user.id)).map((t) => [t.id, t]));
    return rows.map((r) => calendarRow(r, states.get(r.id) ?? null, tokens.get(r.oauthTokenId)));
  }

  /**
   * Connects one calendar of an account. Client calendars must be writable (busy blocks go there);
   * personal ones are only read. The same account may serve several calendars; a calendar once.
   */
  async connect(user: User, type: ConnectedType, accountId: number, calendarId: string): Promise<CalendarRowView> {
    const { token, choice } = await this.connectable(user, type, accountId, calendarId);
    const policy = type === 'client' ? await this.policies.policyForNewCalendar() : null;
    const result = await this.calendars.createIfAbsent({
      userId: user.id,
      oauthTokenId: token.id,
      googleCalendarId: choice.id,
      displayName: choice.summary,
      calendarType: type,
      accessRole: choice.accessRole,
      policy,
    });
    if ('existing' in result) throw this.alreadyConnected(result.existing, choice);
    this.logger.log(`User ${user.id} connected ${type} calendar ${result.created.id} of account ${token.id}`);
    await this.bridge.started(result.created.id, 'connect');
    return calendarRow(result.created, await this.calendars.stateOf(result.created.id), token);
  }

  /** What connecting would write, after the same checks as connecting; nothing is stored or written. */
  async dryRun(user: User, type: ConnectedType, accountId: number, calendarId: string): Promise<DryRunResult> {
    if (type !== 'client')
      throw new BadRequestException(
        'A dry run shows the busy blocks a client calendar would receive: personal calendars are only read',
      );
    const { token, choice } = await this.connectable(user, type, accountId, calendarId);
    const existing = await this.calendars.findActiveByGoogleId(user.id, choice.id);
    if (existing) throw this.alreadyConnected(existing, choice);
    const row = {
      userId: user.id,
      oauthTokenId: token.id,
      googleCalendarId: choice.id,
      displayName: choice.summary,
      calendarType: type,
      accessRole: choice.accessRole,
    } as ClientCalendar;
    try {
      return await this.dryRuns.plan(
        user,
        { row, accountEmail: token.googleAccountEmail },
        await this.policies.policyForNewCalendar(),
      );
    } catch (error) {
      throw httpErrorFromGoogle(error, token.googleAccountEmail);
    }
  }

  private alreadyConnected(existing: ClientCalendar, choice: CalendarChoice): ConflictException {
    const what =
      existing.calendarType === 'main'
        ? 'your main calendar'
        : `already connected as a ${existing.calendarType} calendar`;
    return new ConflictException(`"${choice.summary}" is ${what}; a calendar can be connected only once`);
  }

  /** The checks connecting makes before anything is stored: own account, right kind, enough access. */
  private async connectable(
    user: User,
    type: ConnectedType,
    accountId: number,
    calendarId: string,
  ): Promise<{ token: OAuthToken; choice: CalendarChoice }> {
    const token = await this.ownAccount(user, accountId);
    if (type === 'client' && token.accountType !== 'client') {
      throw new BadRequestException(
        `${token.googleAccountEmail} was connected as a personal account, with read-only access: busy blocks could never be written with it. Connect it as a client account (/auth/connect-client) to use its calendars as client calendars`,
      );
    }
    if (token.needsReauth)
      throw new ConflictException(
        `${token.googleAccountEmail} needs re-authentication first: connect the account again`,
      );
    const choice = await this.calendarOf(token, calendarId);
    if (type === 'client' && !isWritableRole(choice.accessRole)) {
      throw new BadRequestException(
        `${token.googleAccountEmail} can only read "${choice.summary}" (access: ${choice.accessRole}): busy blocks could never be written there. Choose a calendar the account owns or can edit`,
      );
    }
    if (type === 'personal' && !isReadableRole(choice.accessRole)) {
      throw new BadRequestException(
        `${token.googleAccountEmail} sees only free/busy times of "${choice.summary}" (access: ${choice.accessRole}); BusyBridge needs to read its events`,
      );
    }
    return { token, choice };
  }

  async status(user: User, type: ConnectedType, id: number): Promise<CalendarStatusView> {
    const row = await this.ownCalendar(user, type, id, true);
    return calendarStatus(
      row,
      await this.calendars.stateOf(row.id),
      (await this.tokens.findById(row.oauthTokenId)) ?? undefined,
    );
  }

  async syncNow(user: User, type: ConnectedType, id: number): Promise<{ queued: true; id: number }> {
    const row = await this.ownCalendar(user, type, id);
    const token = await this.tokens.findById(row.oauthTokenId);
    if (token?.needsReauth)
      throw new ConflictException(
        `${token.googleAccountEmail} needs re-authentication before it can sync: connect the account again`,
      );
    await this.refuseWhilePaused();
    await this.bridge.requestSync(row.id, 'manual');
    return { queued: true, id: row.id };
  }

  /** Manual and full syncs answer 409 while the admin's global pause is on (jobs and webhooks just skip). */
  async refuseWhilePaused(): Promise<void> {
    if (await this.settings.isSyncPaused())
      throw new ConflictException('Sync is paused by an administrator; it resumes when they resume it');
  }

  /**
   * Disconnection: the sync engine removes what BusyBridge wrote for this calendar on Google
   * first; only then is the row marked disconnected (kept for audit). A failed cleanup leaves it connected.
   */
  async disconnect(user: User, type: ConnectedType, id: number): Promise<CalendarRowView> {
    const row = await this.ownCalendar(user, type, id);
    try {
      await this.bridge.cleanUp(row.id);
    } catch (error) {
      this.logger.warn(`Cleaning up calendar ${row.id} failed: ${(error as Error).message}`);
      throw new ServiceUnavailableException(
        `Removing the events BusyBridge created for this calendar failed, so it is still connected; try again shortly (${(error as Error).message.slice(0, 200)})`,
      );
    }
    await this.bridge.stopWebhooks(row.id);
    await this.calendars.markDisconnected(row.id);
    this.logger.log(`User ${user.id} disconnected ${type} calendar ${row.id}`);
    const after = (await this.calendars.findById(row.id)) ?? row;
    return calendarRow(
      after,
      await this.calendars.stateOf(row.id),
      (await this.tokens.findById(row.oauthTokenId)) ?? undefined,
    );
  }

  private async ownAccount(user: User, accountId: number): Promise<OAuthToken> {
    const token = await this.tokens.findForUser(user.id, accountId);
    if (!token || token.accountType === 'home') throw new NotFoundException(`No connected account ${accountId}`);
    return token;
  }

  /** Another user's id and a missing id look the same: 404. */
  private async ownCalendar(
    user: User,
    type: ConnectedType,
    id: number,
    includeInactive = false,
  ): Promise<ClientCalendar> {
    const row = await this.calendars.findForUser(user.id, id);
    if (!row || row.calendarType !== type || (!row.isActive && !includeInactive))
      throw new NotFoundException(`No connected ${type} calendar ${id}`);
    return row;
  }

  private async calendarOf(token: OAuthToken, calendarId: string): Promise<CalendarChoice> {
    try {
      const e = await (await this.accounts.calendarApiFor(token.id)).getCalendar(calendarId);
      return {
        id: e.id ?? calendarId,
        summary: e.summaryOverride ?? e.summary ?? calendarId,
        primary: e.primary === true,
        accessRole: e.accessRole ?? 'none',
      };
    } catch (error) {
      throw httpErrorFromGoogle(error, token.googleAccountEmail);
    }
  }
}
