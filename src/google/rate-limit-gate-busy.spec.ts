import { CALM_AFTER_MS, RateLimitGate, SLOW_SPACING_MS } from './rate-limit-gate';

// An account that keeps working after one rate-limit answer (a large initial sync): time passes while it
// waits, and each call reserves the next slot before the previous one has gone out.
describe('RateLimitGate with a busy account', () => {
  it('goes back to full speed once calm, although its next slot is always reserved', async () => {
    let now = 5_000_000;
    const gate = new RateLimitGate(() => now, async (ms) => {
      now += ms;
    });
    const t0 = now;
    gate.rateLimited('a@x');
    const sentAt: number[] = [];
    while (now - t0 < CALM_AFTER_MS + 10_000) {
      await gate.beforeCall('a@x');
      sentAt.push(now - t0);
      now += 5; // the call itself
    }
    const slow = sentAt.filter((t) => t < CALM_AFTER_MS);
    const fast = sentAt.filter((t) => t >= CALM_AFTER_MS + SLOW_SPACING_MS);
    expect(slow.length).toBeLessThanOrEqual(CALM_AFTER_MS / SLOW_SPACING_MS);
    expect(fast.length).toBeGreaterThan(1000); // 9 s at 5 ms a call
    expect(gate.size).toBe(0);
  });

  it('still honours a Retry-After longer than the calm period', async () => {
    let now = 5_000_000;
    const gate = new RateLimitGate(() => now, async (ms) => {
      now += ms;
    });
    const t0 = now;
    gate.rateLimited('a@x', CALM_AFTER_MS + 30_000);
    await gate.beforeCall('a@x');
    expect(now - t0).toBe(CALM_AFTER_MS + 30_000);
  });
});
