import { CALENDAR_WRITE_PACE, WritePacer } from './write-pacer';

describe('WritePacer', () => {
  function pacer() {
    let now = 1_000_000;
    const pacer = new WritePacer(
      CALENDAR_WRITE_PACE,
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    return { pacer, now: () => now, advance: (ms: number) => (now += ms) };
  }

  it('spaces writes to one calendar at its pace; other calendars do not wait', async () => {
    const p = pacer();
    const t0 = p.now();
    await p.pacer.beforeWrite('a');
    await p.pacer.beforeWrite('a');
    expect(p.now() - t0).toBeCloseTo(1000 / CALENDAR_WRITE_PACE.initialPerSecond);
    const t1 = p.now();
    await p.pacer.beforeWrite('b');
    expect(p.now()).toBe(t1);
  });

  it('learns each calendar apart: faster while accepted, slower and held after a rate-limit answer', async () => {
    const p = pacer();
    for (let i = 0; i < 50; i++) {
      await p.pacer.beforeWrite('fast');
      p.pacer.accepted('fast');
    }
    await p.pacer.beforeWrite('slow');
    p.pacer.rateLimited('slow', 2000);
    expect(p.pacer.perSecond('fast')).toBeGreaterThan(CALENDAR_WRITE_PACE.initialPerSecond);
    expect(p.pacer.perSecond('slow')).toBeLessThan(CALENDAR_WRITE_PACE.initialPerSecond);
    const t = p.now();
    await p.pacer.beforeWrite('slow');
    expect(p.now() - t).toBeGreaterThanOrEqual(2000);
  });
});
