import { MailboxPacer } from './mailbox-pacer';

describe('MailboxPacer', () => {
  it('keeps at most 4 requests of a mailbox in flight', async () => {
    const pacer = new MailboxPacer();
    let peak = 0;
    let started = 0;
    const releases: Array<() => void> = [];
    const work = () =>
      new Promise<void>((resolve) => {
        started++;
        peak = Math.max(peak, pacer.inFlight);
        releases.push(resolve);
      });
    const all = Promise.all(Array.from({ length: 10 }, () => pacer.run(work)));
    while (started < 10 || releases.length) {
      await new Promise((r) => setImmediate(r));
      expect(pacer.inFlight).toBeLessThanOrEqual(4);
      releases.splice(0).forEach((r) => r());
    }
    await all;
    expect(peak).toBe(4);
  });

  it('holds every request of the mailbox while a Retry-After runs', async () => {
    const slept: number[] = [];
    const pacer = new MailboxPacer(4, async (ms) => void slept.push(ms));
    pacer.pause(5000);
    await pacer.run(async () => undefined);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(4000);
  });
});
