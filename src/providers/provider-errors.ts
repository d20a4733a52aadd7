/**
 * One table from any provider's answers to what the product does about them: retry, re-authenticate,
 * deactivate the calendar, full re-sync, or treat as done. Each adapter maps its provider's errors here.
 */
export type ProviderErrorKind =
  | 'transient' // 5xx, timeouts, connection resets: retry with backoff
  | 'rate_limited' // 429, Google 403 rate limits, Graph 503 MailboxConcurrency: retry after Retry-After
  | 'quota_exceeded' // Google 403 quotaExceeded: back off for hours
  | 'auth_revoked' // invalid_grant on refresh, a 401 refreshing cannot fix: needs re-authentication
  | 'insufficient_scope' // missing scopes or consent: re-consent
  | 'forbidden' // 403 other: no write access, not the organizer
  | 'not_found' // 404: calendar or event unknown
  | 'deleted' // Google 410 deleted: already gone; done
  | 'sync_token_expired' // Google 410 fullSyncRequired, Graph 410 / syncStateNotFound: full re-list
  | 'duplicate' // 409: our deterministic id exists already
  | 'precondition_failed' // 412: etag moved on; re-fetch
  | 'bad_request' // other 4xx: our bug or bad input; not retried
  | 'invalid_client'; // the app's OAuth credentials are wrong

export type ProviderName = 'google' | 'microsoft';

export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly kind: ProviderErrorKind,
    readonly status: number | undefined,
    /** The provider's own code (Google reason, Graph error code, OAuth error), for logs. */
    readonly reason: string | undefined,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate_limited';
  }

  /** The thing asked for is not there (any more): deleting it or stopping it is done. */
  get gone(): boolean {
    return this.kind === 'not_found' || this.kind === 'deleted';
  }
}

/** Seconds or an HTTP date, as both providers send Retry-After. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
