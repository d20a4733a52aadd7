import { classifyGoogleError, GoogleErrorKind, parseRetryAfter } from './google-errors';

const api = (status: number, reason?: string, headers: Record<string, string> = {}) => ({
  message: 'Request failed',
  response: {
    status,
    headers,
    data: reason
      ? { error: { errors: [{ domain: 'global', reason, message: reason }], code: status, message: reason } }
      : {},
  },
});

describe('classifyGoogleError', () => {
  it.each<[string, unknown, GoogleErrorKind]>([
    ['500 backendError', api(500, 'backendError'), 'transient'],
    ['503 without body', api(503), 'transient'],
    ['429 rateLimitExceeded', api(429, 'rateLimitExceeded'), 'rate_limited'],
    ['403 rateLimitExceeded', api(403, 'rateLimitExceeded'), 'rate_limited'],
    ['403 userRateLimitExceeded', api(403, 'userRateLimitExceeded'), 'rate_limited'],
    ['403 quotaExceeded', api(403, 'quotaExceeded'), 'quota_exceeded'],
    ['403 insufficientPermissions', api(403, 'insufficientPermissions'), 'insufficient_scope'],
    ['403 requiredAccessLevel', api(403, 'requiredAccessLevel'), 'forbidden'],
    ['403 forbiddenForNonOrganizer', api(403, 'forbiddenForNonOrganizer'), 'forbidden'],
    ['401 authError', api(401, 'authError'), 'auth_revoked'],
    ['404 notFound', api(404, 'notFound'), 'not_found'],
    ['409 duplicate', api(409, 'duplicate'), 'duplicate'],
    ['410 deleted', api(410, 'deleted'), 'deleted'],
    ['410 fullSyncRequired', api(410, 'fullSyncRequired'), 'sync_token_expired'],
    ['410 updatedMinTooLongAgo', api(410, 'updatedMinTooLongAgo'), 'sync_token_expired'],
    ['412 conditionNotMet', api(412, 'conditionNotMet'), 'precondition_failed'],
    ['400 timeRangeEmpty', api(400, 'timeRangeEmpty'), 'bad_request'],
    [
      'token endpoint invalid_grant',
      {
        response: {
          status: 400,
          data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
        },
      },
      'auth_revoked',
    ],
    [
      'token endpoint invalid_client',
      { response: { status: 401, data: { error: 'invalid_client' } } },
      'invalid_client',
    ],
    ['connection reset', { code: 'ECONNRESET', message: 'socket hang up' }, 'transient'],
    ['timeout', { message: 'timeout of 30000ms exceeded' }, 'transient'],
  ])('%s', (_name, error, kind) => {
    expect(classifyGoogleError(error).kind).toBe(kind);
  });

  it('reads Retry-After in seconds and as a date', () => {
    expect(classifyGoogleError(api(429, 'rateLimitExceeded', { 'retry-after': '7' })).retryAfterMs).toBe(7000);
    expect(parseRetryAfter(new Date(10_000 + 3000).toUTCString(), 10_000)).toBeGreaterThanOrEqual(2000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('never puts the request (tokens) in the message', () => {
    const error = {
      message: 'failed',
      config: { headers: { Authorization: 'Bearer ya29.secret' } },
      response: { status: 500, data: {} },
    };
    expect(classifyGoogleError(error).message).not.toContain('ya29');
  });
});
