import { parseRetryAfter, ProviderError, ProviderErrorKind } from '../providers/provider-errors';

/** What a Graph or identity-platform answer said, before classification. */
export interface GraphFailure {
  status: number;
  /** Graph `error.code` or the OAuth `error`. */
  code?: string;
  message?: string;
  retryAfter?: string | null;
}

/** Thrown by the Graph client for every non-2xx answer; classified at the port boundary. */
export class GraphHttpError extends Error {
  constructor(readonly failure: GraphFailure) {
    super(`Microsoft ${failure.status} ${failure.code ?? ''}: ${failure.message ?? ''}`.replace(/\s+/g, ' ').trim());
    this.name = 'GraphHttpError';
  }
}

/** Identity-platform `error` values: the grant is gone (AADSTS700082 expiry, 50173 password reset, revocation). */
/** A series whose RRULE Graph's patterns cannot say: our input is at fault, nothing was sent. */
export class InexpressibleRecurrenceError extends Error {
  readonly name = 'InexpressibleRecurrenceError';
}

const OAUTH_KINDS: Record<string, ProviderErrorKind> = {
  invalid_grant: 'auth_revoked',
  interaction_required: 'auth_revoked',
  invalid_client: 'invalid_client',
  unauthorized_client: 'invalid_client',
  consent_required: 'insufficient_scope',
  invalid_scope: 'insufficient_scope',
};

function kindOf(f: GraphFailure): ProviderErrorKind {
  if (f.code && OAUTH_KINDS[f.code]) return OAUTH_KINDS[f.code];
  if (f.code === 'syncStateNotFound' || f.code === 'resyncRequired' || f.status === 410) return 'sync_token_expired';
  // 503 MailboxConcurrency and 429 TooManyRequests are both throttling: wait Retry-After, then retry.
  if (f.status === 429 || (f.status === 503 && (f.retryAfter || f.code === 'MailboxConcurrency')))
    return 'rate_limited';
  if (f.status >= 500 || f.status === 408) return 'transient';
  switch (f.status) {
    case 401:
      return 'auth_revoked';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'duplicate';
    case 412:
      return 'precondition_failed';
    default:
      return 'bad_request';
  }
}

export function classifyMicrosoftError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof GraphHttpError) {
    const f = error.failure;
    return new ProviderError('microsoft', kindOf(f), f.status, f.code, error.message, parseRetryAfter(f.retryAfter));
  }
  if (error instanceof InexpressibleRecurrenceError)
    return new ProviderError('microsoft', 'bad_request', undefined, 'recurrenceInexpressible', error.message);
  // No answer at all (connection refused or reset, timeout): like Google's client, worth another try.
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError('microsoft', 'transient', undefined, undefined, `Microsoft request failed: ${message}`);
}
