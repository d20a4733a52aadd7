import { GoogleApiError } from './google-errors';
import { withRetry } from './retry';

const failing = (errors: unknown[], value = 'ok') => {
  let calls = 0;
  const fn = async () => {
    const e = errors[calls++];
    if (e) throw e;
    return value;
  };
  return { fn, calls: () => calls };
};
const status = (s: number, reason?: string, headers: Record<string, string> = {}) => ({
  response: { status: s, headers, data: { error: { errors: [{ reason }] } } },
});

describe('withRetry', () => {
  it('retries transient and rate-limit errors with growing, jittered delays', async () => {
    const delays: number[] = [];
    const f = failing([status(500), status(429, 'rateLimitExceeded'), status(503)]);
    await expect(
      withRetry(f.fn, { sleep: async (ms) => void delays.push(ms), random: () => 1, baseDelayMs: 100 }),
    ).resolves.toBe('ok');
    expect(f.calls()).toBe(4);
    expect(delays).toEqual([100, 200, 400]);
  });

  it('honours Retry-After as a floor', async () => {
    const delays: number[] = [];
    const f = failing([status(429, 'rateLimitExceeded', { 'retry-after': '3' })]);
    await withRetry(f.fn, { sleep: async (ms) => void delays.push(ms), random: () => 0, baseDelayMs: 100 });
    expect(delays).toEqual([3000]);
  });

  it('throws permanent errors at once, classified', async () => {
    const f = failing([status(404, 'notFound')]);
    const error = await withRetry(f.fn, { sleep: async () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleApiError);
    expect((error as GoogleApiError).kind).toBe('not_found');
    expect(f.calls()).toBe(1);
  });

  it('gives up after the last attempt', async () => {
    const f = failing([status(500), status(500), status(500)]);
    await expect(withRetry(f.fn, { attempts: 3, sleep: async () => undefined })).rejects.toMatchObject({
      kind: 'transient',
    });
    expect(f.calls()).toBe(3);
  });
});
