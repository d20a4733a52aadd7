import { change } from './propagation';
import { BenchUser, BenchWorld } from './support/bench-world';
import { lastWrites, waitForWrites } from './support/settle';
import { median, percentile, sleep } from './support/stats';

export interface ProbeFigures {
  latencyMs: number;
  /** Changes whose propagation was measured while the cycle ran. */
  trials: number;
  incomplete: number;
  medianMs: number;
  p95Ms: number;
  /** Two round trips: the list on the changed calendar, then the writes side by side. */
  floorMs: number;
  cycleWallMs: number;
  /** The product's CPU over the probed cycle (the probing's own requests included). */
  cycleCpuSeconds: number;
  /** events.list calls the cycle made (one per polled calendar, plus the probe's). */
  lists: number;
}

/**
 * Propagation while a poll cycle runs: the probe consultant (webhooks on) changes an event on a client calendar
 * again and again (create, move, delete) until the cycle over every other calendar has finished; each
 * change is timed from the emulator's log to the last write on main and the other clients, as in the
 * propagation section, but with the product busy polling everyone else.
 */
export async function probedCycle(
  world: BenchWorld,
  probe: BenchUser,
  latencyMs: number,
  maxTrials: number,
): Promise<ProbeFigures> {
  const control = world.emulator.control;
  await control.setLatency(latencyMs);
  await control.setPush({ dropShare: 0, delayMs: 0 });
  const targets = [probe.main.googleCalendarId, ...probe.clients.slice(1).map((c) => c.account)];
  const since = Date.now();
  const cpu0 = process.cpuUsage();
  let done = false;
  const cycle = (async () => {
    await world.jobs.run('periodic-sync');
    await world.sync.onIdle();
  })().finally(() => (done = true));
  const samples: number[] = [];
  let incomplete = 0;
  const state: { eventId?: string } = {};
  for (let i = 0; !done && i < maxTrials; i++) {
    const t0 = await change(world, probe, i, state);
    const landed = await waitForWrites(world, t0, targets, 60_000);
    if (landed === null) incomplete++;
    else {
      const calls = (await Promise.all(targets.map((t) => control.calls({ since: t0, calendarId: t })))).flat();
      samples.push(Math.max(...lastWrites(calls, targets).values()) - t0);
    }
    await sleep(200); // let the echoes of this change pass before the next
  }
  await cycle;
  const cpu = process.cpuUsage(cpu0);
  const cycleWallMs = Date.now() - since;
  const counts = await control.callCounts({ since, kind: 'events.list' });
  await control.setPush({ dropShare: 1 });
  return {
    latencyMs,
    trials: samples.length,
    incomplete,
    medianMs: median(samples),
    p95Ms: percentile(samples, 95),
    floorMs: 2 * latencyMs,
    cycleWallMs,
    cycleCpuSeconds: (cpu.user + cpu.system) / 1e6,
    lists: counts['events.list'] ?? 0,
  };
}
