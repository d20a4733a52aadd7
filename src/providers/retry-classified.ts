import { ProviderError } from './provider-errors';

export interface ClassifiedRetryOptions {
  /** Total attempts including the first. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/**
 * Truncated exponential backoff with full jitter for what the classifier calls retryable; Retry-After is a
 * floor. Anything else is thrown at once, classified, so callers only ever see ProviderError.
 */
export async function retryClassified<T>(work: () => Promise<T>, classify: (raw: unknown) => ProviderError, options: ClassifiedRetryOptions = {}): Promise<T> {
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
      await sleep(Math.max(error.retryAfterMs ?? 0, Math.round(backoff / 2 + random() * (backoff / 2))));
    }
  }
}
