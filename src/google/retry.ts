import { ClassifiedRetryOptions, retryClassified } from '../providers/retry-classified';
import { classifyGoogleError, GoogleApiError } from './google-errors';

export type RetryOptions = ClassifiedRetryOptions<GoogleApiError>;

/** Google's calls retried by the one provider-neutral loop, with Google's error table as the classifier. */
export function withRetry<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return retryClassified(work, classifyGoogleError, options);
}
