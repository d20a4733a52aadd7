import { BadRequestException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { User } from '../database/entities';
import { OAuthTokenRepository } from '../database/repositories/oauth-token.repository';
import { GoogleOAuthService } from '../google/google-oauth.service';
import { CLIENT_SCOPES, PERSONAL_SCOPES, SCOPE_REASONS } from '../google/scopes';
import { CalendarRowView, ConnectedType } from './calendar-view';
import { ConnectionsService } from './connections.service';
import { isReadableRole, isWritableRole } from '../google/access-roles';
import { DryRunResult } from '../sync/rules';

export interface PickAccount {
  id: number;
  email: string;
  type: ConnectedType;
}

export interface PickPage {
  account: PickAccount;
  calendars: Array<{
    id: string;
    summary: string;
    primary: boolean;
    accessRole: string;
    selectable: boolean;
    why?: string;
    checked: boolean;
  }>;
  error?: string;
}

export interface ItApprovalSheet {
  clientId: string;
  redirectUris: string[];
  scopeSets: Array<{ title: string; scopes: Array<{ scope: string; reason: string }> }>;
}

/** Data of the minimal server-side connect pages (the full dashboard is the web UI's). */
@Injectable()
export class ConnectPagesService {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly tokens: OAuthTokenRepository,
    private readonly oauth: GoogleOAuthService,
  ) {}

  /** The user's own client or personal account, else 404 (someone else's, a home account, a missing one). */
  async account(user: User, accountId: number): Promise<PickAccount> {
    const token = await this.tokens.findForUser(user.id, accountId);
    if (!token || token.accountType === 'home') throw new NotFoundException(`No connected account ${accountId}`);
    return { id: token.id, email: token.googleAccountEmail, type: token.accountType };
  }

  /** The account's calendars, those it can serve as its type selectable; `chosen` stays checked (a refused post). */
  async pick(user: User, accountId: number, chosen?: string): Promise<PickPage> {
    const account = await this.account(user, accountId);
    try {
      const choices = await this.connections.accountCalendars(user, accountId);
      const calendars = choices.map((c) => {
        const ok = account.type === 'client' ? isWritableRole(c.accessRole) : isReadableRole(c.accessRole);
        return {
          ...c,
          selectable: ok,
          why: ok
            ? undefined
            : account.type === 'client'
              ? 'read-only: busy blocks could never be written there'
              : 'only free/busy visible',
          checked: ok && c.id === chosen,
        };
      });
      return { account, calendars };
    } catch (error) {
      return {
        account,
        calendars: [],
        error: error instanceof HttpException ? error.message : 'Google could not be reached; reload to try again',
      };
    }
  }

  /** The picker's choice: the same connection as `POST /api/{type}-calendars`, the type the account's own. */
  async connect(user: User, account: PickAccount, calendarId: string | undefined): Promise<CalendarRowView> {
    if (!calendarId) throw new BadRequestException('Choose one of the calendars to connect');
    return this.connections.connect(user, account.type, account.id, calendarId);
  }

  /** What connecting the picked client calendar would write (nothing stored or written). */
  async dryRun(user: User, account: PickAccount, calendarId: string | undefined): Promise<DryRunResult> {
    if (!calendarId) throw new BadRequestException('Choose one of the calendars to connect');
    return this.connections.dryRun(user, account.type, account.id, calendarId);
  }

  async itApproval(): Promise<ItApprovalSheet> {
    const { clientId } = await this.oauth.credentials();
    const describe = (scopes: string[]) => scopes.map((scope) => ({ scope, reason: SCOPE_REASONS[scope] ?? '' }));
    return {
      clientId,
      redirectUris: [
        this.oauth.redirectUri('/auth/connect-client/callback'),
        this.oauth.redirectUri('/auth/connect-personal/callback'),
      ],
      scopeSets: [
        { title: 'Client accounts (busy blocks are written to the chosen calendar)', scopes: describe(CLIENT_SCOPES) },
        { title: 'Personal accounts (read only)', scopes: describe(PERSONAL_SCOPES) },
      ],
    };
  }
}
