/** Google's legacy JSON error envelope, the shape the Calendar API still answers. */
export interface ErrorItem {
  domain: string;
  reason: string;
  message: string;
  locationType?: string;
  location?: string;
}

export class GoogleApiError extends Error {
  constructor(
    readonly status: number,
    readonly item: ErrorItem,
    readonly headers: Record<string, string> = {},
    readonly topMessage: string = item.message,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(item.message);
  }

  toBody(): { error: Record<string, unknown> } {
    return { error: { errors: [this.item], code: this.status, message: this.topMessage, ...this.extra } };
  }
}

/** OAuth endpoints answer RFC 6749 errors, not the API envelope. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }

  toBody(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

const g = (status: number, reason: string, message: string, domain = 'global', loc?: [string, string]) =>
  new GoogleApiError(status, { domain, reason, message, ...(loc ? { locationType: loc[0], location: loc[1] } : {}) });

export const Errors = {
  authError: () => g(401, 'authError', 'Invalid Credentials', 'global', ['header', 'Authorization']),
  insufficientScopes: (method: string) =>
    new GoogleApiError(
      403,
      { domain: 'global', reason: 'insufficientPermissions', message: 'Insufficient Permission' },
      { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"' },
      'Request had insufficient authentication scopes.',
      {
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
            domain: 'googleapis.com',
            metadata: { service: 'calendar-json.googleapis.com', method },
          },
        ],
      },
    ),
  notFound: () => g(404, 'notFound', 'Not Found'),
  deleted: () => g(410, 'deleted', 'Resource has been deleted'),
  duplicate: () => g(409, 'duplicate', 'The requested identifier already exists.'),
  conditionNotMet: () => g(412, 'conditionNotMet', 'Precondition Failed', 'global', ['header', 'If-Match']),
  requiredAccessLevel: () => g(403, 'requiredAccessLevel', 'You need to have writer access to this calendar.'),
  forbiddenForNonOrganizer: () =>
    g(
      403,
      'forbiddenForNonOrganizer',
      'Shared properties can only be changed by the organizer of the event.',
      'calendar',
    ),
  fullSyncRequired: () =>
    g(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.', 'calendar', [
      'parameter',
      'syncToken',
    ]),
  timeRangeEmpty: (location = 'timeMax') =>
    g(400, 'timeRangeEmpty', 'The specified time range is empty.', 'calendar', ['parameter', location]),
  invalid: (message: string, location?: string) =>
    g(400, 'invalid', message, 'global', location ? ['parameter', location] : undefined),
  required: (message: string) => g(400, 'required', message),
  badRequest: (message: string) => g(400, 'badRequest', message),
  rateLimit: (status: number, retryAfter?: number) =>
    new GoogleApiError(
      status,
      { domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' },
      retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {},
    ),
};

const REASON_MESSAGES: Record<string, [string, string]> = {
  rateLimitExceeded: ['usageLimits', 'Rate Limit Exceeded'],
  userRateLimitExceeded: ['usageLimits', 'User Rate Limit Exceeded'],
  quotaExceeded: ['usageLimits', 'Calendar usage limits exceeded.'],
  backendError: ['global', 'Backend Error'],
  internalError: ['global', 'Internal Error'],
  notFound: ['global', 'Not Found'],
  authError: ['global', 'Invalid Credentials'],
};

/** Builds the error an injected fault answers with, picking Google's domain/message for known reasons. */
export function faultError(status: number, reason?: string, retryAfter?: number): GoogleApiError {
  const r = reason ?? (status === 429 ? 'rateLimitExceeded' : status >= 500 ? 'backendError' : 'injectedFault');
  const [domain, message] = REASON_MESSAGES[r] ?? ['global', `Injected fault (${r})`];
  return new GoogleApiError(
    status,
    { domain, reason: r, message },
    retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {},
  );
}
