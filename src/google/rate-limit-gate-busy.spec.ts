import { CALM_AFTER_MS, RateLimitGate } from './rate-limit-gate';

// An account that keeps working after one rate-limit answer (a large initial sync): time passes while it
// waits, and each call reserves the next slot before the previous one has gone out.
describe('RateLimitGate with a busy account', () => {
  function busy() {
    let now = 5_000_000;
    const gate = new RateLimitGate(
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    return { gate, now: () => now, advance: (ms: number) => (now += ms) };
  }

  it('climbs back while Google accepts, and goes back to full speed once calm', async () => {
    const b = busy();
    const t0 = b.now();
    for (let i = 0; i < 10; i++) await b.gate.beforeCall('a@x'); // 10 calls in the second before the answer
    b.gate.rateLimited('a@x');
    const sentAt: number[] = [];
    while (b.now() - t0 < CALM_AFTER_MS + 10_000) {
      await b.gate.beforeCall('a@x');
      sentAt.push(b.now() - t0);
      b.advance(5); // the call itself
      b.gate.accepted('a@x');
    }
    const firstTen = sentAt.filter((t) => t < 10_000).length;
    const lastTen = sentAt.filter((t) => t >= CALM_AFTER_MS - 10_000 && t < CALM_AFTER_MS).length;
    const calm = sentAt.filter((t) => t >= CALM_AFTER_MS + 1000);
    expect(firstTen).toBeGreaterThan(70); // from 7 a second, climbing: not one a second
    expect(lastTen).toBeGreaterThan(firstTen);
    expect(calm.length).toBeGreaterThan(1000); // 9 s at 5 ms a call
    expect(b.gate.size).toBe(0);
  });

  it('still honours a Retry-After longer than the calm period', async () => {
    const b = busy();
    const t0 = b.now();
    b.gate.rateLimited('a@x', CALM_AFTER_MS + 30_000);
    await b.gate.beforeCall('a@x');
    expect(b.now() - t0).toBe(CALM_AFTER_MS + 30_000);
  });
});
