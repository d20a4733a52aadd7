import { JobName } from '../src/jobs/job-definitions';
import { EmulatorHandle } from './emulator/handle';
import { BenchUser, BenchWorld, futureEvent } from './support/bench-world';
import { mb, slope } from './support/stats';

export interface MemorySample {
  hour: number;
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
}

export interface MemoryResult {
  users: number;
  calendars: number;
  simulatedHours: number;
  wallSeconds: number;
  changes: number;
  jobRuns: Record<string, number>;
  gcExposed: boolean;
  samples: MemorySample[];
  /** Least-squares slopes over the second half (after warm-up), MB per simulated hour. */
  rssSlopeMbPerHour: number;
  heapSlopeMbPerHour: number;
}

export interface MemoryOptions {
  users: number;
  clientsPerUser: number;
  hours: number;
  /** Poll ticks per simulated hour (12 = the default 5-minute poll). */
  ticksPerHour: number;
  changesPerTick: number;
}

/** The shipped schedule, compressed: which jobs run at tick `t` (ticks of 5 simulated minutes). */
function jobsAt(t: number, perHour: number): JobName[] {
  const jobs: JobName[] = ['periodic-sync', 'alert-queue'];
  if (t % perHour === perHour - 1) jobs.push('consistency-check');
  if (t % (perHour / 2) === 0) jobs.push('token-refresh');
  if (t % (6 * perHour) === 0) jobs.push('webhook-renewal');
  if (t % (24 * perHour) === 3 * perHour) jobs.push('retention-cleanup', 'stale-alert-cleanup');
  return jobs;
}

function sample(hour: number): MemorySample {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { hour, rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external) };
}

/**
 * Many simulated hours of one process's life in minutes: people change events (webhooks fire), the
 * poll, alert queue, consistency check, token refresh, channel renewal and retention run on the shipped
 * schedule, and a small share of Google calls fail (sync failures, alerts). RSS and heap are sampled
 * every simulated hour after a GC.
 */
export async function benchMemory(emulator: EmulatorHandle, o: MemoryOptions): Promise<MemoryResult> {
  const c = emulator.control;
  await c.setLatency(0);
  await c.setPush({ dropShare: 0, delayMs: 0 });
  // Channels that Google gives half a day make every renewal run replace them all.
  await c.setPush({ maxChannelTtlSec: 12 * 3600 });
  // Access tokens that live a few minutes: hours of hourly refreshes happen within the run (the product
  // refreshes ahead when less than 2 minutes are left).
  await c.setAccessTokenLifetime(150);
  const world = await BenchWorld.start(emulator);
  try {
    const users: BenchUser[] = [];
    for (let i = 0; i < o.users; i++) users.push(await world.addConsultant(`m${i}`, o.clientsPerUser));
    for (const u of users) await world.watchAll(u);
    for (const u of users) await world.sync.fullResync(u.user.id);
    await world.sync.onIdle();
    const fault = await c.injectFault({ kind: 'events.list', status: 503, reason: 'backendError', share: 0.02 });
    const calendars = users.flatMap((u) => [u.home, ...u.clients.map((x) => x.account)]);
    const live: Array<{ cal: string; id: string }> = [];
    const jobRuns: Record<string, number> = {};
    const samples: MemorySample[] = [sample(0)];
    let changes = 0;
    const started = Date.now();
    const ticks = o.hours * o.ticksPerHour;
    for (let t = 0; t < ticks; t++) {
      for (let k = 0; k < o.changesPerTick; k++, changes++) {
        const r = Math.random();
        if (live.length > 20 && r < 0.4) {
          const { cal, id } = live.splice(Math.floor(Math.random() * live.length), 1)[0];
          await c.deleteEvent(cal, cal, id);
        } else if (live.length > 0 && r < 0.7) {
          const { cal, id } = live[Math.floor(Math.random() * live.length)];
          await c.patchEvent(cal, cal, id, futureEvent(`Edited ${t}`, 1 + (t % 30), 9 + (t % 8)));
        } else {
          const cal = calendars[Math.floor(Math.random() * calendars.length)];
          live.push({
            cal,
            id: (await c.createEvent(cal, cal, futureEvent(`New ${t}`, 1 + (t % 30), 9 + (k % 8)))).id as string,
          });
        }
      }
      for (const job of jobsAt(t, o.ticksPerHour)) {
        await world.jobs.run(job);
        jobRuns[job] = (jobRuns[job] ?? 0) + 1;
      }
      await world.sync.onIdle();
      if ((t + 1) % o.ticksPerHour === 0) samples.push(sample((t + 1) / o.ticksPerHour));
    }
    await c.removeFault(fault.id);
    const half = samples.slice(Math.floor(samples.length / 2));
    return {
      users: o.users,
      calendars: calendars.length,
      simulatedHours: o.hours,
      wallSeconds: Math.round((Date.now() - started) / 1000),
      changes,
      jobRuns,
      gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
      samples,
      rssSlopeMbPerHour: slope(
        half.map((s) => s.hour),
        half.map((s) => s.rssMb),
      ),
      heapSlopeMbPerHour: slope(
        half.map((s) => s.hour),
        half.map((s) => s.heapUsedMb),
      ),
    };
  } finally {
    await world.close();
  }
}
