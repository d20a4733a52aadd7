import { TokenSet } from '../providers/calendar-provider';
import { GraphHttpError } from './graph-errors';

export interface MicrosoftApp {
  clientId: string;
  clientSecret: string;
  /** Token endpoint of the tenant the account signed in with (`organizations`, `common` or a tenant id). */
  tokenUrl: string;
}

export interface MicrosoftTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

/**
 * The identity platform v2 refresh grant. Microsoft rotates the refresh token on every use: the new one must
 * replace the stored one (the old keeps working for a while, but after 90 days of disuse it is dead), so
 * `onRotated` is called before the new access token is used.
 */
export class MicrosoftTokenClient {
  private current: MicrosoftTokens;
  private inFlight: Promise<TokenSet> | null = null;

  constructor(
    private readonly app: MicrosoftApp,
    tokens: MicrosoftTokens,
    private readonly onRotated?: (tokens: MicrosoftTokens) => void | Promise<void>,
  ) {
    this.current = tokens;
  }

  /** The access token, refreshed when it expires within a minute. */
  async accessToken(now = Date.now()): Promise<string> {
    if (this.current.accessToken && this.current.expiresAt.getTime() - 60_000 > now) return this.current.accessToken;
    return (await this.refresh()).accessToken;
  }

  /** One refresh at a time: concurrent callers share it, so a rotated token is never redeemed twice. */
  refresh(): Promise<TokenSet> {
    this.inFlight ??= this.redeem().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async redeem(): Promise<TokenSet> {
    const form = new URLSearchParams({
      client_id: this.app.clientId,
      client_secret: this.app.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: this.current.refreshToken,
    });
    const res = await fetch(this.app.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      refresh_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!res.ok || !body.access_token) {
      // The description starts with the AADSTS code (700082 expired, 50173 password reset); never the token itself.
      throw new GraphHttpError({
        status: res.status,
        code: body.error ?? 'invalid_response',
        message: body.error_description?.split(' Trace ID')[0],
        retryAfter: res.headers.get('retry-after'),
      });
    }
    const rotated =
      body.refresh_token && body.refresh_token !== this.current.refreshToken ? body.refresh_token : undefined;
    const next: MicrosoftTokens = {
      accessToken: body.access_token,
      refreshToken: rotated ?? this.current.refreshToken,
      expiresAt: new Date(Date.now() + (body.expires_in ?? 3600) * 1000),
    };
    if (rotated) await this.onRotated?.(next);
    this.current = next;
    return { accessToken: next.accessToken, expiresAt: next.expiresAt, ...(rotated ? { refreshToken: rotated } : {}) };
  }
}
