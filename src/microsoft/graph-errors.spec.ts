import { classifyMicrosoftError, GraphHttpError, InexpressibleRecurrenceError } from './graph-errors';

const http = (status: number, code?: string, retryAfter?: string) =>
  classifyMicrosoftError(new GraphHttpError({ status, code, retryAfter }));

describe('Microsoft answers -> the shared error kinds', () => {
  it.each([
    [400, 'invalid_grant', 'auth_revoked'],
    [400, 'interaction_required', 'auth_revoked'],
    [401, 'invalid_client', 'invalid_client'],
    [400, 'consent_required', 'insufficient_scope'],
    [401, 'InvalidAuthenticationToken', 'auth_revoked'],
    [403, 'ErrorAccessDenied', 'forbidden'],
    [404, 'ErrorItemNotFound', 'not_found'],
    [404, 'MailboxNotEnabledForRESTAPI', 'not_found'],
    [409, 'ErrorConflict', 'duplicate'],
    [410, 'resyncRequired', 'sync_token_expired'],
    [400, 'syncStateNotFound', 'sync_token_expired'],
    [412, 'ErrorIrresolvableConflict', 'precondition_failed'],
    [429, 'TooManyRequests', 'rate_limited'],
    [503, 'MailboxConcurrency', 'rate_limited'],
    [503, 'ServiceUnavailable', 'transient'],
    [500, 'InternalServerError', 'transient'],
    [400, 'ErrorInvalidIdMalformed', 'bad_request'],
  ])('%i %s -> %s', (status, code, kind) => {
    expect(http(status, code).kind).toBe(kind);
  });

  it('keeps Retry-After (seconds) for the pacer', () => {
    expect(http(429, 'TooManyRequests', '7')).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7000,
      retryable: true,
      provider: 'microsoft',
    });
    expect(http(503, undefined, '2').kind).toBe('rate_limited');
  });

  it('treats no answer at all as transient, and an inexpressible series as our bad request', () => {
    expect(classifyMicrosoftError(new TypeError('fetch failed')).kind).toBe('transient');
    expect(classifyMicrosoftError(new InexpressibleRecurrenceError('x')).kind).toBe('bad_request');
  });
});
