import { classifyGoogleError, GoogleApiError } from './google-errors';

export interface RetryOptions {
  /** Total attempts including the first. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (error: GoogleApiError, attempt: number, delayMs: number) => void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/**
 * Truncated exponential backoff with full jitter for transient and rate-limit errors; Retry-After,
 * when Google sends it, is a floor. Everything else is thrown at once, classified.
 */
export async function withRetry<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (raw) {
      const error = classifyGoogleError(raw);
      if (!error.retryable || attempt >= attempts) throw error;
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      const delay = Math.max(error.retryAfterMs ?? 0, Math.round(backoff / 2 + random() * (backoff / 2)));
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
