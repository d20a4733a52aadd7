import { CALM_AFTER_MS, RateLimitGate, SLOW_SPACING_MS } from './rate-limit-gate';

/**
 * A manual clock that stands still while calls wait: each call's send time is its start plus what the gate
 * made it sleep (the gate decides synchronously, before its first await), so concurrent calls are exact too.
 */
function harness() {
  let now = 1_000_000;
  let slept = 0;
  const sent: Array<{ account: string; at: number }> = [];
  const gate = new RateLimitGate(() => now, (ms) => {
    slept = ms;
    return Promise.resolve();
  });
  const call = async (account: string) => {
    slept = 0;
    const start = now;
    const waiting = gate.beforeCall(account);
    const waited = slept;
    await waiting;
    sent.push({ account, at: start + waited });
  };
  return { gate, call, sent, advance: (ms: number) => (now += ms), now: () => now };
}

describe('RateLimitGate', () => {
  it('lets an account that was never slowed down call at full speed', async () => {
    const h = harness();
    for (let i = 0; i < 5; i++) await h.call('a@x');
    expect(new Set(h.sent.map((s) => s.at)).size).toBe(1);
    expect(h.gate.size).toBe(0);
  });

  it('holds the account until Retry-After, then one call a second', async () => {
    const h = harness();
    const t0 = h.now();
    h.gate.rateLimited('a@x', 3000);
    for (let i = 0; i < 4; i++) await h.call('a@x');
    expect(h.sent.map((s) => s.at - t0)).toEqual([3000, 3000 + SLOW_SPACING_MS, 3000 + 2 * SLOW_SPACING_MS, 3000 + 3 * SLOW_SPACING_MS]);
  });

  it('waits at least a second after a rate-limit answer without Retry-After', async () => {
    const h = harness();
    const t0 = h.now();
    h.gate.rateLimited('a@x');
    await h.call('a@x');
    expect(h.sent[0].at - t0).toBe(SLOW_SPACING_MS);
  });

  it('concurrent callers of one account line up a second apart; other accounts are not held', async () => {
    const h = harness();
    h.gate.rateLimited('a@x', 2000);
    const t0 = h.now();
    await Promise.all([h.call('a@x'), h.call('a@x'), h.call('a@x'), h.call('b@x')]);
    const a = h.sent.filter((s) => s.account === 'a@x').map((s) => s.at - t0).sort((x, y) => x - y);
    expect(a).toEqual([2000, 3000, 4000]);
    expect(h.sent.find((s) => s.account === 'b@x')!.at).toBe(t0);
  });

  it('a later, longer Retry-After pushes the next call out; a shorter one never pulls it in', async () => {
    const h = harness();
    const t0 = h.now();
    h.gate.rateLimited('a@x', 5000);
    h.gate.rateLimited('a@x', 1000);
    await h.call('a@x');
    expect(h.sent[0].at - t0).toBe(5000);
  });

  it('returns to full speed once the account has been calm long enough, and forgets it', async () => {
    const h = harness();
    h.gate.rateLimited('a@x', 1000);
    h.advance(CALM_AFTER_MS + 1);
    const t = h.now();
    await h.call('a@x');
    await h.call('a@x');
    expect(h.sent.map((s) => s.at)).toEqual([t, t]);
    expect(h.gate.size).toBe(0);
  });
});
