import { ProviderError } from './provider-errors';
import { retryClassified } from './retry-classified';

const err = (kind: ProviderError['kind'], retryAfterMs?: number) =>
  new ProviderError('microsoft', kind, 429, undefined, kind, retryAfterMs);

describe('retryClassified', () => {
  it('retries what is retryable, waiting at least Retry-After', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await retryClassified(
      async () => (++calls < 3 ? Promise.reject(err('rate_limited', 2000)) : 'ok'),
      (e) => e as ProviderError,
      { sleep: async (ms) => void slept.push(ms), random: () => 0 },
    );
    expect([result, calls]).toEqual(['ok', 3]);
    expect(slept.every((ms) => ms >= 2000)).toBe(true);
  });

  it('throws anything else at once, classified, and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(
      retryClassified(
        async () => (calls++, Promise.reject(new Error('raw'))),
        () => err('not_found'),
        { sleep: async () => undefined },
      ),
    ).rejects.toMatchObject({ kind: 'not_found' });
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryClassified(
        async () => (calls++, Promise.reject(err('transient'))),
        (e) => e as ProviderError,
        { attempts: 3, sleep: async () => undefined },
      ),
    ).rejects.toMatchObject({ kind: 'transient' });
    expect(calls).toBe(3);
  });
});
