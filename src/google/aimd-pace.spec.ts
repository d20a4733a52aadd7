import { AimdPace } from './aimd-pace';
import { CALENDAR_WRITE_PACE } from './write-pacer';

/** Google's per-calendar write limit as the emulator enforces it: at most `limit` accepted writes per sliding second. */
function slidingWindow(limit: number) {
  const accepted: number[] = [];
  return (now: number): boolean => {
    while (accepted.length && accepted[0] <= now - 1000) accepted.shift();
    if (accepted.length >= limit) return false;
    accepted.push(now);
    return true;
  };
}

/** One calendar written to without pause for `seconds` of virtual time; a write takes `rttMs`. */
function run(limit: number, seconds: number, rttMs = 20) {
  const pace = new AimdPace(CALENDAR_WRITE_PACE);
  const allow = slidingWindow(limit);
  let now = 0;
  const log: Array<{ at: number; ok: boolean }> = [];
  while (now < seconds * 1000) {
    now = Math.max(now, pace.reserve(now));
    const ok = allow(now);
    log.push({ at: now, ok });
    now += rttMs;
    if (ok) pace.accepted();
    else pace.refused(now);
  }
  const lastHalf = log.filter((c) => c.at >= (seconds * 1000) / 2);
  return {
    pace,
    perSecond: lastHalf.filter((c) => c.ok).length / (seconds / 2),
    refusedShare: log.filter((c) => !c.ok).length / log.length,
  };
}

describe('AimdPace', () => {
  it.each([5, 10, 20, 40])('settles near a write limit of %i per second that it was never told', (limit) => {
    const r = run(limit, 240);
    expect(r.perSecond).toBeGreaterThanOrEqual(0.75 * limit);
    expect(r.perSecond).toBeLessThanOrEqual(limit);
    expect(r.refusedShare).toBeLessThan(0.05);
  });

  it('speeds up while every call is accepted, up to its ceiling', () => {
    const pace = new AimdPace(CALENDAR_WRITE_PACE);
    const start = pace.perSecond;
    for (let i = 0; i < 10; i++) pace.accepted();
    expect(pace.perSecond).toBeCloseTo(start + 1, 0); // one more a second per second's worth of calls
    for (let i = 0; i < 100_000; i++) pace.accepted();
    expect(pace.perSecond).toBe(CALENDAR_WRITE_PACE.maxPerSecond);
  });

  it('a rate-limit answer cuts the pace once, not once per answer to calls already sent', () => {
    const pace = new AimdPace(CALENDAR_WRITE_PACE);
    pace.refused(1000);
    pace.refused(1010);
    pace.refused(1020);
    expect(pace.perSecond).toBeCloseTo(10 * 0.7);
    pace.refused(1000 + 1000 / 7 + 1);
    expect(pace.perSecond).toBeCloseTo(10 * 0.7 * 0.7);
  });

  it('holds every slot until Retry-After, then spaces calls at the cut pace', () => {
    const pace = new AimdPace(CALENDAR_WRITE_PACE);
    pace.refused(0, 3000);
    const slots = [pace.reserve(10), pace.reserve(10), pace.reserve(10)];
    expect(slots[0]).toBe(3000);
    expect(slots[1] - slots[0]).toBeCloseTo(1000 / 7);
    expect(slots[2] - slots[1]).toBeCloseTo(1000 / 7);
  });

  it('never goes below its floor however often it is refused', () => {
    const pace = new AimdPace(CALENDAR_WRITE_PACE);
    for (let t = 0; t < 600_000; t += 5000) pace.refused(t);
    expect(pace.perSecond).toBe(CALENDAR_WRITE_PACE.minPerSecond);
  });
});
