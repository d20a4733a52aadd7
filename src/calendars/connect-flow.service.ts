import { Injectable, Logger } from '@nestjs/common';
import { Credentials } from 'google-auth-library';
import { EncryptionService } from '../crypto/encryption.service';
import { OAuthToken, User } from '../database/entities';
import { ClientCalendarRepository } from '../database/repositories/client-calendar.repository';
import { OAuthTokenRepository } from '../database/repositories/oauth-token.repository';
import { GoogleApiError } from '../google/google-errors';
import { CodeExchange, GoogleOAuthService, RedirectPath } from '../google/google-oauth.service';
import { CLIENT_SCOPES, missingScopes, PERSONAL_SCOPES, SCOPE_REASONS } from '../google/scopes';
import { ConnectedType } from './calendar-view';
import { OAuthStateStore, PendingConnect as ConnectState } from '../auth/oauth-state.store';
import { SyncBridge } from './sync-ports';

export type FlowOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'page'; status: number; title: string; message: string; details?: string[]; itApproval?: boolean };

export const FLOW: Record<ConnectedType, { scopes: string[]; callback: RedirectPath; label: string }> = {
  client: { scopes: CLIENT_SCOPES, callback: '/auth/connect-client/callback', label: 'client' },
  personal: { scopes: PERSONAL_SCOPES, callback: '/auth/connect-personal/callback', label: 'personal' },
};

const page = (
  status: number,
  title: string,
  message: string,
  extra: Partial<Extract<FlowOutcome, { kind: 'page' }>> = {},
): FlowOutcome => ({ kind: 'page', status, title, message, ...extra });

const INVALID_STATE = page(
  400,
  'Connection refused',
  'This connection attempt is invalid, has expired or was already used, so nothing was connected. Start again from the dashboard.',
);

/**
 * The separate OAuth consent for a client or personal Google account (docs/api.md, "Auth"). The state is a
 * single-use server-side handle bound to the signed-in user and session version, so nobody can attach
 * their Google account to someone else's BusyBridge account.
 */
@Injectable()
export class ConnectFlowService {
  private readonly logger = new Logger('ConnectFlow');

  constructor(
    private readonly oauth: GoogleOAuthService,
    private readonly states: OAuthStateStore,
    private readonly tokens: OAuthTokenRepository,
    private readonly calendars: ClientCalendarRepository,
    private readonly encryption: EncryptionService,
    private readonly bridge: SyncBridge,
  ) {}

  async start(user: User, sessionId: string, type: ConnectedType, accountHint?: string): Promise<FlowOutcome> {
    let loginHint: string | undefined;
    const hintId = accountHint && /^\d{1,10}$/.test(accountHint) ? Number(accountHint) : undefined;
    if (hintId) {
      const token = await this.tokens.findForUser(user.id, hintId);
      if (token && token.accountType !== 'home') loginHint = token.googleAccountEmail;
    }
    return this.toGoogle(user, type, { loginHint, sessionId });
  }

  async callback(
    user: User,
    sessionId: string,
    type: ConnectedType,
    query: Record<string, unknown>,
  ): Promise<FlowOutcome> {
    const str = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : undefined);
    const state = this.states.takeConnect(str('state'));
    if (!state) return INVALID_STATE;
    if (
      state.userId !== user.id ||
      state.sessionVersion !== user.sessionVersion ||
      state.sessionId !== sessionId ||
      state.type !== type
    ) {
      this.logger.warn(`User ${user.id} presented a connect state issued to another session or flow`);
      return INVALID_STATE;
    }
    const error = str('error');
    if (error === 'admin_policy_enforced' || error === 'access_denied') return this.blocked(error);
    if (error)
      return page(
        400,
        'Google did not connect the account',
        `Google answered "${error.slice(0, 100)}". Nothing was connected; try again from the dashboard.`,
      );
    const code = str('code');
    if (!code)
      return page(
        400,
        'Connection refused',
        'Google sent no authorization code back. Nothing was connected; try again from the dashboard.',
      );

    let exchange: CodeExchange;
    try {
      exchange = await this.oauth.exchangeCode(code, FLOW[type].callback);
    } catch (failure) {
      this.logger.warn(`Code exchange for user ${user.id} failed: ${(failure as Error).message}`);
      return page(
        400,
        'Google did not confirm the sign-in',
        'The sign-in could not be confirmed with Google (the code was refused or Google could not be reached). Nothing was connected; try again.',
      );
    }
    return this.store(user, type, state, exchange);
  }

  private async store(
    user: User,
    type: ConnectedType,
    state: ConnectState,
    { tokens, claims }: CodeExchange,
  ): Promise<FlowOutcome> {
    if (claims.nonce !== state.nonce) return INVALID_STATE;
    if (!claims.emailVerified)
      return page(
        400,
        'Connection refused',
        `Google has not verified the address ${claims.email}; BusyBridge connects only verified accounts.`,
      );
    const missing = missingScopes(tokens.scope ?? '', FLOW[type].scopes);
    if (missing.length) {
      return page(
        400,
        'Permissions missing',
        'Google did not grant every permission BusyBridge needs, so nothing was connected. Connect again and leave every box ticked:',
        { details: missing.map((s) => `${s}: ${SCOPE_REASONS[s] ?? ''}`) },
      );
    }
    const email = claims.email.toLowerCase();
    const existing = await this.tokens.findByEmail(user.id, email);
    if (claims.sub === user.googleUserId || email === user.email.toLowerCase() || existing?.accountType === 'home') {
      return page(
        400,
        'This is your home account',
        `${claims.email} is the account you sign in with; its calendars are chosen under "Main calendar". Connect a different account here.`,
      );
    }
    if (
      type === 'personal' &&
      existing?.accountType === 'client' &&
      (await this.calendars.listActiveByToken(existing.id)).some((c) => c.calendarType === 'client')
    ) {
      return page(
        409,
        'Already connected as a client account',
        `${claims.email} serves client calendars, which need write access. Connecting it as a personal (read-only) account would stop its busy blocks, so nothing was changed. Use /auth/connect-client to reconnect it.`,
      );
    }
    if (!tokens.access_token || (!existing && !tokens.refresh_token)) {
      return page(
        400,
        'Google granted no offline access',
        'Google did not hand out a long-lived token for this account. Nothing was connected; try again.',
      );
    }
    const { token, replacedRefreshToken } = await this.tokens.upsert({
      userId: user.id,
      accountType: type,
      googleAccountEmail: email,
      googleSubject: claims.sub,
      accessTokenEncrypted: this.encryption.encrypt(tokens.access_token),
      refreshTokenEncrypted: tokens.refresh_token ? this.encryption.encrypt(tokens.refresh_token) : null,
      tokenExpiry: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
      scopes: tokens.scope ?? '',
    });
    this.logger.log(`User ${user.id} ${existing ? 'reconnected' : 'connected'} ${type} account ${token.id}`);
    if (replacedRefreshToken && tokens.refresh_token) {
      const bounce = await this.retire(user, type, state, token, replacedRefreshToken, tokens);
      if (bounce) return bounce;
    }
    await this.resume(token);
    return { kind: 'redirect', url: `/app/connect?account=${token.id}` };
  }

  /**
   * Revokes the refresh token a reconnect replaced. Google revokes a whole grant (every token of this app
   * for that account), which may take the token just issued with it: a probe tells, and if it did, the user
   * goes through consent once more, which opens a fresh grant. A grant another BusyBridge user shares is
   * left alone, as revoking it would cut them off.
   */
  private async retire(
    user: User,
    type: ConnectedType,
    state: ConnectState,
    token: OAuthToken,
    replaced: Buffer,
    fresh: Credentials,
  ): Promise<FlowOutcome | null> {
    const old = this.encryption.decrypt(replaced);
    if (old === fresh.refresh_token) return null;
    if ((await this.tokens.countSharingAccount(token.id, token.googleSubject, token.googleAccountEmail)) > 0) {
      this.logger.warn(
        `Account ${token.id}: its Google grant is shared with another user, so the replaced token is not revoked`,
      );
      return null;
    }
    await this.oauth.revoke(old);
    try {
      await this.oauth.refresh(fresh.refresh_token!);
      return null;
    } catch (error) {
      if (!(error instanceof GoogleApiError && error.kind === 'auth_revoked')) return null;
    }
    await this.tokens.setNeedsReauth(token.id, true);
    if (state.retiredTokenId === token.id) {
      return page(
        502,
        'Google refused the new connection',
        `Google revoked the new connection of ${token.googleAccountEmail} together with the old one. Please connect the account again.`,
      );
    }
    this.logger.log(`Account ${token.id}: old grant revoked; asking Google for a fresh consent`);
    return this.toGoogle(user, type, {
      loginHint: token.googleAccountEmail,
      retiredTokenId: token.id,
      sessionId: state.sessionId,
    });
  }

  /** A reconnect ends "needs re-authentication": every calendar of the account syncs again from scratch. */
  private async resume(token: OAuthToken): Promise<void> {
    await this.calendars.setStatusForToken(token.id, 'ok', null, 'needs_reauth');
    for (const calendar of await this.calendars.listActiveByToken(token.id)) {
      try {
        await this.bridge.requestSync(calendar.id, 'reconnect');
      } catch (error) {
        this.logger.warn(`Queuing the sync of calendar ${calendar.id} failed: ${(error as Error).message}`);
      }
    }
  }

  private async toGoogle(
    user: User,
    type: ConnectedType,
    extra: Pick<ConnectState, 'loginHint' | 'retiredTokenId' | 'sessionId'>,
  ): Promise<FlowOutcome> {
    const { state, nonce } = this.states.issueConnect({
      userId: user.id,
      sessionVersion: user.sessionVersion,
      type,
      ...extra,
    });
    try {
      const url = await this.oauth.authorizationUrl({
        redirectPath: FLOW[type].callback,
        scopes: FLOW[type].scopes,
        state,
        nonce,
        offline: true,
        prompt: 'consent select_account',
        loginHint: extra.loginHint,
      });
      return { kind: 'redirect', url };
    } catch (error) {
      this.logger.error(`Building the Google authorization URL failed: ${(error as Error).message}`);
      return page(
        503,
        'Google sign-in is not available',
        'BusyBridge has no working Google OAuth credentials yet; ask your administrator.',
      );
    }
  }

  private blocked(error: string): FlowOutcome {
    const byAdmin = error === 'admin_policy_enforced';
    return page(
      200,
      byAdmin ? "Blocked by the account's administrator" : 'Access was not granted',
      byAdmin
        ? 'The Google Workspace administrator of this account does not allow BusyBridge yet. Nothing was connected. Send them the IT approval sheet: it lists exactly what BusyBridge asks for and why, so they can trust the app.'
        : 'Google reports that access was not granted (consent declined, or the organisation blocks unknown apps). Nothing was connected. If the organisation blocks apps, send its administrator the IT approval sheet.',
      { itApproval: true },
    );
  }
}
