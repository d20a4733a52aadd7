import { randomUUID } from 'node:crypto';

/** Graph's error envelope: `{"error":{"code","message","innerError":{"request-id","date"}}}`. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): { error: Record<string, unknown> } {
    const date = new Date().toISOString().replace(/\.\d+Z$/, '');
    const id = randomUUID();
    return {
      error: {
        code: this.code,
        message: this.message,
        innerError: { date, 'request-id': id, 'client-request-id': id },
      },
    };
  }
}

/** Identity platform error: `{error, error_description: "AADSTSxxxx: …", error_codes, timestamp, trace_id, correlation_id}`. */
export class AadError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
  ) {
    super(`${error}: AADSTS${aadsts}`);
  }

  toBody(): Record<string, unknown> {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    return {
      error: this.error,
      error_description: `AADSTS${this.aadsts}: ${this.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    };
  }
}

export const Graph = {
  unauthenticated: (message = 'Access token is empty.') => new GraphError(401, 'InvalidAuthenticationToken', message),
  accessDenied: () => new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
  notFound: () => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'),
  malformedId: () => new GraphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.'),
  invalidRequest: (message: string) => new GraphError(400, 'ErrorInvalidRequest', message),
  propertyValidation: (message: string) => new GraphError(400, 'ErrorPropertyValidationFailure', message),
  requestBodyRead: (message: string) => new GraphError(400, 'RequestBodyRead', message),
  badQuery: (message: string) => new GraphError(400, 'BadRequest', message),
  conflict: () =>
    new GraphError(
      412,
      'ErrorIrresolvableConflict',
      'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
    ),
  syncStateNotFound: () =>
    new GraphError(400, 'syncStateNotFound', 'The sync state generation is not found. Please do a full sync.'),
  tooManyRequests: (retryAfter: number) =>
    new GraphError(429, 'TooManyRequests', 'Application is over its MailboxConcurrency limit.', {
      'retry-after': String(retryAfter),
    }),
  mailboxConcurrency: (retryAfter: number) =>
    new GraphError(503, 'MailboxConcurrency', 'Application is over its MailboxConcurrency limit.', {
      'retry-after': String(retryAfter),
    }),
};

/** Injected faults answer in Graph's shape, picking the code Graph uses for the status. */
export function faultError(status: number, reason?: string, retryAfter?: number): GraphError {
  const code =
    reason ??
    (status === 429
      ? 'TooManyRequests'
      : status === 503
        ? 'ServiceUnavailable'
        : status === 401
          ? 'InvalidAuthenticationToken'
          : status >= 500
            ? 'UnknownError'
            : 'InjectedFault');
  return new GraphError(
    status,
    code,
    `Injected fault (${code})`,
    retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {},
  );
}

const AAD_FAULT_CODES: Record<string, [number, string]> = {
  invalid_grant: [
    700082,
    'The refresh token has expired due to inactivity. The token was issued on 2026-01-01T00:00:00Z and was inactive for 90.00:00:00.',
  ],
  consent_required: [
    65001,
    'The user or administrator has not consented to use the application. Send an interactive authorization request for this user and resource.',
  ],
  interaction_required: [
    50076,
    'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication.',
  ],
  temporarily_unavailable: [90033, 'A transient error has occurred. Please try again.'],
  invalid_client: [7000215, 'Invalid client secret provided.'],
};

export function aadFaultError(status: number, reason = 'invalid_request'): AadError {
  const [code, text] = AAD_FAULT_CODES[reason] ?? [90014, `Injected fault (${reason}).`];
  return new AadError(status, reason, code, text);
}
