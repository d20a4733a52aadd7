import { ACCOUNT_PACE, CALM_AFTER_MS, RateLimitGate } from './rate-limit-gate';

/**
 * A manual clock that stands still while calls wait: each call's send time is its start plus what the gate
 * made it sleep (the gate decides synchronously, before its first await), so concurrent calls are exact too.
 */
function harness() {
  let now = 1_000_000;
  let slept = 0;
  const sent: Array<{ account: string; at: number }> = [];
  const gate = new RateLimitGate(
    () => now,
    (ms) => {
      slept = ms;
      return Promise.resolve();
    },
  );
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
    expect(h.gate.perSecond('a@x')).toBeNull();
  });

  it('after a rate-limit answer paces the account at 70 % of what it was sending', async () => {
    const h = harness();
    for (let i = 0; i < 20; i++) await h.call('a@x'); // 20 calls in this second
    h.gate.rateLimited('a@x');
    expect(h.gate.perSecond('a@x')).toBeCloseTo(20 * ACCOUNT_PACE.decrease);
    h.sent.length = 0;
    for (let i = 0; i < 3; i++) await h.call('a@x');
    const gaps = h.sent.slice(1).map((s, i) => s.at - h.sent[i].at);
    for (const gap of gaps) expect(gap).toBeCloseTo(1000 / 14);
  });

  it('holds the account until Retry-After', async () => {
    const h = harness();
    const t0 = h.now();
    h.gate.rateLimited('a@x', 3000);
    await h.call('a@x');
    expect(h.sent[0].at - t0).toBe(3000);
  });

  it('concurrent callers of one account line up; other accounts are not held', async () => {
    const h = harness();
    h.gate.rateLimited('a@x', 2000); // nothing sent before: paced from one call a second, cut
    const t0 = h.now();
    await Promise.all([h.call('a@x'), h.call('a@x'), h.call('a@x'), h.call('b@x')]);
    const a = h.sent
      .filter((s) => s.account === 'a@x')
      .map((s) => s.at - t0)
      .sort((x, y) => x - y);
    const spacing = 1000 / Math.max(ACCOUNT_PACE.minPerSecond, ACCOUNT_PACE.decrease);
    expect(a[0]).toBe(2000);
    expect(a[1]).toBeCloseTo(2000 + spacing, 6);
    expect(a[2]).toBeCloseTo(2000 + 2 * spacing, 6);
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

  it('climbs back while Google accepts', () => {
    const h = harness();
    h.gate.rateLimited('a@x');
    const cut = h.gate.perSecond('a@x') as number;
    for (let i = 0; i < 10; i++) h.gate.accepted('a@x');
    expect(h.gate.perSecond('a@x')).toBeGreaterThan(cut);
  });

  it('returns to full speed once the account has been calm long enough, and forgets the pace', async () => {
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
