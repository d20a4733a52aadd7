/** What the retry loop needs to know of a classified error, whatever the provider. */
export interface RetryableError extends Error {
  retryable: boolean;
  retryAfterMs?: number;
}

export interface ClassifiedRetryOptions<E extends RetryableError = RetryableError> {
  /** Total attempts including the first. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (error: E, attempt: number, delayMs: number) => void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/**
 * Truncated exponential backoff with full jitter for what the classifier calls retryable; Retry-After is a
 * floor. Anything else is thrown at once, classified, so callers only ever see the classified error.
 */
export async function retryClassified<T, E extends RetryableError>(
  work: () => Promise<T>,
  classify: (raw: unknown) => E,
  options: ClassifiedRetryOptions<E> = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (raw) {
      const error = classify(raw);
      if (!error.retryable || attempt >= attempts) throw error;
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      const delay = Math.max(error.retryAfterMs ?? 0, Math.round(backoff / 2 + random() * (backoff / 2)));
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
