import { Inject, Injectable, Logger } from '@nestjs/common';
import { Credentials } from 'google-auth-library';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { googleEndpoints } from '../config/google-endpoints';
import { EncryptionService } from '../crypto/encryption.service';
import { OAuthToken } from '../database/entities';
import { OAuthTokenRepository } from '../database/repositories/oauth-token.repository';
import { registerSecret } from '../logging/redact';
import { MetricsService } from '../metrics/metrics.service';
import { CalendarApiHooks, GoogleCalendarApi } from './calendar-api';
import { GoogleApiError } from './google-errors';
import { GoogleOAuthService, OAuthCredentials } from './google-oauth.service';
import { RateLimitGate } from './rate-limit-gate';
import { WritePacer } from './write-pacer';

export type AuthRevokedListener = (token: OAuthToken, error: GoogleApiError) => void | Promise<void>;

/** Access tokens with less than this left are refreshed before use. */
const REFRESH_AHEAD_MS = 2 * 60_000;
/** Ready clients kept (about 2 KB each): every account of 2,000 consultants with five calendars each. */
const MAX_READY_CLIENTS = 10_000;

interface ReadyClient {
  api: GoogleCalendarApi;
  creds: OAuthCredentials;
  /** The sealed tokens it was built from: a different stored row means build again. */
  access: Buffer;
  refresh: Buffer;
  expiry: number | undefined;
}

/**
 * Turns a stored account (oauth_tokens row) into a ready Calendar API client: tokens decrypted on use,
 * access tokens refreshed by the library and the new ones sealed and stored, invalid_grant recorded
 * as "needs re-authentication" and announced to listeners (alerts, calendar status).
 */
@Injectable()
export class GoogleAccountsService {
  private readonly logger = new Logger('GoogleAccounts');
  private readonly listeners: AuthRevokedListener[] = [];
  /** Writes per calendar, paced by what Google answers (starts at 10 a second). */
  readonly pacer = new WritePacer();
  /** Shared by every client of an account (a new GoogleCalendarApi is made per sync), keyed by its email. */
  readonly rateLimits = new RateLimitGate();
  private retryOverrides: CalendarApiHooks['retry'];
  private readonly ready = new Map<number, ReadyClient>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly oauth: GoogleOAuthService,
    private readonly tokens: OAuthTokenRepository,
    private readonly encryption: EncryptionService,
    private readonly metrics: MetricsService,
  ) {}

  onAuthRevoked(listener: AuthRevokedListener): void {
    this.listeners.push(listener);
  }

  /** Tests shorten backoff; production keeps the defaults. */
  setRetryOptions(retry: CalendarApiHooks['retry']): void {
    this.retryOverrides = retry;
    this.ready.clear();
  }

  /**
   * A ready client for the account. Built once and kept while the stored row (sealed tokens) and the OAuth
   * client credentials stay the same and the access token is not about to expire: every sync of every
   * calendar asks, and decrypting, building clients and registering secrets each time was most of a quiet
   * poll's own work. The row is still read each time, so a revoked or replaced grant shows at once.
   */
  async calendarApiFor(tokenId: number): Promise<GoogleCalendarApi> {
    const token = await this.tokens.findById(tokenId);
    if (!token)
      throw new GoogleApiError('not_found', 404, 'account_missing', `Connected account ${tokenId} no longer exists`);
    if (token.needsReauth)
      throw new GoogleApiError(
        'auth_revoked',
        401,
        'needs_reauth',
        `The account ${token.googleAccountEmail} must be connected again`,
      );
    const creds = await this.oauth.credentials();
    const kept = this.ready.get(tokenId);
    if (
      kept &&
      kept.creds === creds &&
      kept.access.equals(token.accessTokenEncrypted) &&
      kept.refresh.equals(token.refreshTokenEncrypted) &&
      kept.expiry !== undefined &&
      kept.expiry - Date.now() >= REFRESH_AHEAD_MS
    )
      return kept.api;
    const built = await this.build(token, creds);
    this.ready.delete(tokenId); // re-inserted last: the map's order is least recently built first
    this.ready.set(tokenId, built);
    if (this.ready.size > MAX_READY_CLIENTS) this.ready.delete(this.ready.keys().next().value as number);
    return built.api;
  }

  private async build(token: OAuthToken, creds: OAuthCredentials): Promise<ReadyClient> {
    const client = this.oauth.client(creds);
    // An access token Google rejects before its stored expiry (clock skew, early invalidation) must lead to a
    // refresh and one retry, not to "needs re-authentication": GoogleCalendarApi does that on a 401. The
    // library's forceRefreshOnFailure stays off: it also refreshed and resent at once on every 403, rate limits
    // included, bypassing backoff and the rate-limit gate.
    client.forceRefreshOnFailure = false;
    const refreshToken = this.encryption.decrypt(token.refreshTokenEncrypted);
    let accessToken = this.encryption.decrypt(token.accessTokenEncrypted);
    let expiry = token.tokenExpiry?.getTime();
    // Refresh ahead of expiry here, awaited and stored, so a sync never starts with a dying token and the
    // stored row is current when this returns (the library's own refresh stays the fallback).
    let sealedAccess = token.accessTokenEncrypted;
    if (expiry === undefined || expiry - Date.now() < REFRESH_AHEAD_MS) {
      try {
        const fresh = await this.oauth.refresh(refreshToken, creds);
        sealedAccess = (await this.storeRefreshed(token.id, fresh)) ?? sealedAccess;
        accessToken = fresh.access_token ?? accessToken;
        expiry = fresh.expiry_date ?? expiry;
      } catch (error) {
        if (error instanceof GoogleApiError && error.kind === 'auth_revoked') await this.markRevoked(token, error);
        throw error;
      }
    }
    registerSecret(accessToken, 'rotating');
    registerSecret(refreshToken);
    client.setCredentials({ access_token: accessToken, refresh_token: refreshToken, expiry_date: expiry });
    client.on('tokens', (fresh: Credentials) => void this.storeRefreshed(token.id, fresh));
    const account = token.googleAccountEmail.toLowerCase();
    const api = new GoogleCalendarApi(client, googleEndpoints(this.config).apiRoot, {
      pacer: this.pacer,
      gate: {
        beforeCall: () => this.rateLimits.beforeCall(account),
        accepted: () => this.rateLimits.accepted(account),
        rateLimited: (ms) => this.rateLimits.rateLimited(account, ms),
      },
      retry: this.retryOverrides,
      onAuthRevoked: (error) => this.markRevoked(token, error),
      onCall: (call) => this.metrics.googleCall(call),
    });
    return { api, creds, access: sealedAccess, refresh: token.refreshTokenEncrypted, expiry };
  }

  /** Proactive refresh (token refresh job): every usable token expiring within `withinMs`. */
  async refreshExpiring(withinMs: number): Promise<{ refreshed: number; revoked: number; failed: number }> {
    const due = await this.tokens.listExpiringBefore(new Date(Date.now() + withinMs));
    const result = { refreshed: 0, revoked: 0, failed: 0 };
    for (const token of due) {
      try {
        const fresh = await this.oauth.refresh(this.encryption.decrypt(token.refreshTokenEncrypted));
        await this.storeRefreshed(token.id, fresh);
        result.refreshed++;
      } catch (error) {
        if (error instanceof GoogleApiError && error.kind === 'auth_revoked') {
          await this.markRevoked(token, error);
          result.revoked++;
        } else {
          result.failed++;
          this.logger.warn(`Refreshing the token of account ${token.id} failed: ${(error as Error).message}`);
        }
      }
    }
    return result;
  }

  /** Returns the sealed access token as stored (undefined when nothing was stored). */
  private async storeRefreshed(tokenId: number, fresh: Credentials): Promise<Buffer | undefined> {
    if (!fresh.access_token) return undefined;
    registerSecret(fresh.access_token, 'rotating');
    const sealed = this.encryption.encrypt(fresh.access_token);
    try {
      await this.tokens.updateAccessToken(
        tokenId,
        sealed,
        fresh.expiry_date ? new Date(fresh.expiry_date) : null,
        fresh.refresh_token ? this.encryption.encrypt(fresh.refresh_token) : undefined,
      );
      return sealed;
    } catch (error) {
      // Losing a refreshed access token only costs another refresh later.
      this.logger.warn(`Could not store a refreshed token for account ${tokenId}: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async markRevoked(token: OAuthToken, error: GoogleApiError): Promise<void> {
    if (token.needsReauth) return;
    token.needsReauth = true;
    await this.tokens.setNeedsReauth(token.id, true);
    this.logger.warn(
      `Google refused the grant of account ${token.id} (${token.googleAccountEmail}): it needs re-authentication`,
    );
    for (const listener of this.listeners) {
      try {
        await listener(token, error);
      } catch (listenerError) {
        this.logger.error(`An auth-revoked listener failed: ${(listenerError as Error).message}`);
      }
    }
  }
}
