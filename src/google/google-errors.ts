/**
 * One table from Google's answers to what the product does about them:
 * retry, re-authenticate, deactivate the calendar, full re-sync, or treat as done.
 */
export type GoogleErrorKind =
  | 'transient' // 5xx, timeouts, connection resets: retry with backoff
  | 'rate_limited' // 429, 403 rateLimitExceeded/userRateLimitExceeded: retry, honour Retry-After
  | 'quota_exceeded' // 403 quotaExceeded: calendar read-only for hours; back off long
  | 'auth_revoked' // invalid_grant on refresh, 401 that refresh cannot fix: needs re-authentication
  | 'insufficient_scope' // 403 insufficientPermissions: re-consent with the right scopes
  | 'forbidden' // 403 other (no writer access, forbiddenForNonOrganizer)
  | 'not_found' // 404: calendar gone/unshared, or event unknown
  | 'deleted' // 410 deleted: deleting an already-deleted event; done
  | 'sync_token_expired' // 410 fullSyncRequired / updatedMinTooLongAgo: wipe token, full re-list
  | 'duplicate' // 409: our deterministic id already exists (maybe as a tombstone)
  | 'precondition_failed' // 412: etag moved on; re-fetch
  | 'bad_request' // other 4xx: our bug or bad input; not retried
  | 'invalid_client'; // 401 invalid_client at the token endpoint: OAuth credentials wrong

export class GoogleApiError extends Error {
  constructor(
    readonly kind: GoogleErrorKind,
    readonly status: number | undefined,
    readonly reason: string | undefined,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate_limited';
  }
}

interface ErrorShape {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: unknown };
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, unknown>;
  const v = record[name] ?? record[name.toLowerCase()];
  return typeof v === 'string' ? v : undefined;
}

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Google's error body: the legacy envelope `{error:{errors:[{reason}],code,message}}` or OAuth's `{error:'invalid_grant'}`. */
function reasonOf(data: unknown): { reason?: string; message?: string } {
  if (!data || typeof data !== 'object') return {};
  const error = (data as { error?: unknown; error_description?: string }).error;
  if (typeof error === 'string')
    return { reason: error, message: (data as { error_description?: string }).error_description };
  if (error && typeof error === 'object') {
    const e = error as { errors?: Array<{ reason?: string; message?: string }>; message?: string; status?: string };
    return { reason: e.errors?.[0]?.reason ?? e.status, message: e.message ?? e.errors?.[0]?.message };
  }
  return {};
}

export function classifyGoogleError(error: unknown): GoogleApiError {
  if (error instanceof GoogleApiError) return error;
  const e = (error ?? {}) as ErrorShape;
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  const { reason, message: googleMessage } = reasonOf(e.response?.data);
  const message =
    `Google ${status ?? 'request'} ${reason ?? ''}: ${googleMessage ?? e.message ?? 'unknown error'}`.replace(
      /\s+/g,
      ' ',
    );
  const retryAfterMs = parseRetryAfter(headerValue(e.response?.headers, 'retry-after'));
  const make = (kind: GoogleErrorKind) => new GoogleApiError(kind, status, reason, message, retryAfterMs);

  if (status === undefined) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (
      (code && NETWORK_CODES.has(code)) ||
      /timeout|socket hang up|network|fetch failed|aborted/i.test(e.message ?? '')
    )
      return make('transient');
    if (reason === 'invalid_grant') return make('auth_revoked');
    return make('transient');
  }
  if (reason === 'invalid_grant') return make('auth_revoked');
  if (reason === 'invalid_client' || reason === 'unauthorized_client') return make('invalid_client');
  if (status >= 500) return make('transient');
  if (status === 429) return make('rate_limited');
  switch (status) {
    case 401:
      return make('auth_revoked');
    case 403:
      if (reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded') return make('rate_limited');
      if (reason === 'quotaExceeded') return make('quota_exceeded');
      if (
        reason === 'insufficientPermissions' ||
        (reason === 'PERMISSION_DENIED' && /scope/i.test(googleMessage ?? ''))
      )
        return make('insufficient_scope');
      return make('forbidden');
    case 404:
      return make('not_found');
    case 409:
      return make('duplicate');
    case 410:
      return reason === 'deleted' ? make('deleted') : make('sync_token_expired');
    case 412:
      return make('precondition_failed');
    case 408:
      return make('transient');
    default:
      return make('bad_request');
  }
}
