import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AlertsService } from '../alerts/alerts.service';
import { OAuthToken } from '../database/entities';
import { ClientCalendarRepository } from '../database/repositories/client-calendar.repository';
import { OAuthTokenRepository } from '../database/repositories/oauth-token.repository';
import { GoogleAccountsService } from '../google/google-accounts.service';
import { GoogleApiError } from '../google/google-errors';
import { REAUTH_MESSAGE } from './calendar-view';

/**
 * Google said invalid_grant for an account: every calendar it serves is marked needs_reauth (the sync engine
 * skips them, GoogleAccountsService refuses the token), the user and admins are alerted once per account.
 * Other accounts and users carry on. Reconnecting the account clears it (ConnectFlowService).
 */
@Injectable()
export class TokenRevocationListener implements OnModuleInit {
  private readonly logger = new Logger('Calendars');

  constructor(
    private readonly accounts: GoogleAccountsService,
    private readonly calendars: ClientCalendarRepository,
    private readonly tokens: OAuthTokenRepository,
    private readonly alerts: AlertsService,
  ) {}

  onModuleInit(): void {
    this.accounts.onAuthRevoked((token, error) => this.handle(token, error));
  }

  async handle(token: OAuthToken, error: GoogleApiError): Promise<void> {
    const current = await this.tokens.findById(token.id);
    if (current && !current.refreshTokenEncrypted.equals(token.refreshTokenEncrypted)) {
      // A sync still holding the token a reconnect just replaced: the account is fine, undo the flag.
      await this.tokens.setNeedsReauth(token.id, false);
      this.logger.log(`Account ${token.id}: ignored a refusal of its replaced token`);
      return;
    }
    const ids = await this.calendars.setStatusForToken(token.id, 'needs_reauth', REAUTH_MESSAGE);
    this.logger.warn(`Account ${token.id} needs re-authentication; calendars ${ids.join(', ') || '(none)'} paused`);
    const affected = await this.calendars.listActiveByToken(token.id);
    const names = affected.map((c) => c.displayName ?? c.googleCalendarId);
    await this.alerts.raise({
      type: 'token_revoked',
      userId: token.userId,
      calendarId: affected[0]?.id ?? null,
      calendarName: `${token.googleAccountEmail}${names.length ? ` (${names.join(', ')})` : ''}`,
      error: `${error.message}`,
      suggestedAction:
        token.accountType === 'home'
          ? 'Sign out of BusyBridge and sign in again with your Google account; syncing is paused until then.'
          : `Reconnect ${token.googleAccountEmail} from the BusyBridge dashboard; syncing of its calendars is paused until then.`,
    });
  }
}
