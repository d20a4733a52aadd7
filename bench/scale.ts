import { EmulatorHandle } from './emulator/handle';
import { statSync } from 'node:fs';
import { floorTargets, FloorFigures, measureFloor } from './floor';
import { probedCycle, ProbeFigures } from './probe';
import { BenchUser, BenchWorld, futureEvent } from './support/bench-world';
import { countByKind, WRITE_KINDS } from './support/settle';
import { profiled } from './support/profile';
import { mb } from './support/stats';

export interface CycleFigures {
  label: string;
  latencyMs: number;
  changedCalendars: number;
  wallMs: number;
  /** The product's process: user + system CPU seconds during the cycle (the emulator runs elsewhere). */
  cpuSeconds: number;
  /** The emulator's process over the same cycle (null when it shares this process). */
  emulatorCpuSeconds: number | null;
  peakRssMb: number;
  heapUsedMb: number;
  /** Heap still in use after a full GC once the cycle ended: what the cycle keeps, not its garbage. */
  retainedHeapMb: number | null;
  lists: number;
  writes: number;
  failed: number;
  /** sync_log rows the cycle added (kept 90 days by retention). */
  syncLogRows: number;
}

export interface ScaleResult {
  users: number;
  calendars: number;
  seedMs: number;
  cycles: CycleFigures[];
  /** Peak RSS of this process over its whole life (seeding included). */
  processMaxRssMb: number;
  /** The bare-HTTP floor of a quiet poll, measured in this process after the cycles (no latency). */
  floor: FloorFigures | null;
  /** Propagation measured while a quiet poll cycle over every calendar ran (null when not asked for). */
  probe: ProbeFigures | null;
  /** The SQLite file with its WAL after the run. */
  databaseMb: number;
}

export interface ScaleOptions {
  users: number;
  clientsPerUser: number;
  latencies: number[];
  changedShare: number;
  repeats: number;
  /**
   * One event per calendar seeded and synced first (default). Off for the largest runs: a quiet poll's cost
   * does not depend on what the calendar holds, the seeding's writes take long, and the cycles with changes
   * are then skipped.
   */
  seedEvents?: boolean;
  /** Propagation trials during one more quiet cycle, at this latency (the probe consultant is the first user). */
  probe?: { latencyMs: number; trials: number };
}

/** The product syncs this many users side by side; the floor lists with as many lanes. */
const PARALLEL_USERS = 4;

/** Samples RSS while work runs: `process.resourceUsage().maxRSS` only knows the life-time peak. */
function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

interface Seeded {
  users: BenchUser[];
  clientEvents: Array<{ account: string; eventId: string }>;
}

async function seed(world: BenchWorld, o: ScaleOptions): Promise<Seeded> {
  const users: BenchUser[] = [];
  const batch = 8;
  for (let i = 0; i < o.users; i += batch) {
    const n = Math.min(batch, o.users - i);
    users.push(
      ...(await Promise.all(Array.from({ length: n }, (_, k) => world.addConsultant(`u${i + k}`, o.clientsPerUser)))),
    );
  }
  const c = world.emulator.control;
  const clientEvents: Array<{ account: string; eventId: string }> = [];
  for (const u of o.seedEvents === false ? [] : users) {
    await c.createEvent(u.home, u.home, futureEvent('Home', 2));
    for (const { account } of u.clients)
      clientEvents.push({
        account,
        eventId: (await c.createEvent(account, account, futureEvent('Client', 3))).id as string,
      });
  }
  // The first sync of every user: copies and blocks written, sync tokens stored.
  await Promise.all(users.map((u) => world.sync.fullResync(u.user.id)));
  await world.sync.onIdle();
  return { users, clientEvents };
}

function databaseMb(file: string): number {
  const size = (f: string) => {
    try {
      return statSync(f).size;
    } catch {
      return 0;
    }
  };
  return mb(size(file) + size(`${file}-wal`));
}

async function syncLogRows(world: BenchWorld): Promise<number> {
  const [row] = (await world.db.reader.query('SELECT COUNT(*) AS n FROM sync_log')) as Array<{ n: number }>;
  return Number(row.n);
}

async function cycle(
  world: BenchWorld,
  label: string,
  latencyMs: number,
  changedCalendars: number,
): Promise<CycleFigures> {
  const logBefore = await syncLogRows(world);
  const emuBefore = await world.emulator.usage();
  const since = Date.now();
  const peak = rssSampler();
  const cpu0 = process.cpuUsage();
  const outcome = await world.jobs.run('periodic-sync');
  await world.sync.onIdle(); // the poll job only queues the syncs
  const cpu = process.cpuUsage(cpu0);
  const wallMs = Date.now() - since;
  const peakRss = peak();
  if (outcome !== 'done') throw new Error(`periodic-sync ended ${outcome}`);
  const emuAfter = await world.emulator.usage();
  const heapUsedMb = mb(process.memoryUsage().heapUsed);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const calls = await world.emulator.control.calls({ since });
  const emuCpu =
    emuBefore && emuAfter
      ? (emuAfter.cpu.user - emuBefore.cpu.user + emuAfter.cpu.system - emuBefore.cpu.system) / 1e6
      : null;
  return {
    label,
    latencyMs,
    changedCalendars,
    wallMs,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    emulatorCpuSeconds: emuCpu,
    peakRssMb: mb(peakRss),
    heapUsedMb,
    retainedHeapMb: gc ? mb(process.memoryUsage().heapUsed) : null,
    lists: calls.filter((x) => x.kind === 'events.list').length,
    writes: calls.filter((x) => WRITE_KINDS.has(x.kind)).length,
    failed: countByKind(calls).failed,
    syncLogRows: (await syncLogRows(world)) - logBefore,
  };
}

/** The measured part: per latency, `repeats` quiet cycles, then `repeats` cycles with `changed` calendars edited first. */
async function measureCycles(
  world: BenchWorld,
  o: ScaleOptions,
  clientEvents: Array<{ account: string; eventId: string }>,
  changed: number,
  cycles: CycleFigures[],
): Promise<void> {
  const control = world.emulator.control;
  for (const latencyMs of o.latencies) {
    await control.setLatency(latencyMs);
    await world.jobs.run('periodic-sync'); // warm-up: nothing carried over from seeding
    await world.sync.onIdle();
    for (let r = 0; r < o.repeats; r++) cycles.push(await cycle(world, 'no changes', latencyMs, 0));
    for (let r = 0; r < (clientEvents.length > 0 ? o.repeats : 0); r++) {
      const picks = [...clientEvents].sort(() => Math.random() - 0.5).slice(0, changed);
      for (const [i, p] of picks.entries())
        await control.patchEvent(p.account, p.account, p.eventId, futureEvent(`Client moved ${r}.${i}`, 3, 11 + r));
      cycles.push(await cycle(world, `${changed} changed`, latencyMs, changed));
    }
  }
}

/** One poll cycle over users x (main + clients), with no changes and with a share of calendars changed. */
export async function benchScale(emulator: EmulatorHandle, o: ScaleOptions): Promise<ScaleResult> {
  await emulator.control.setLatency(0);
  await emulator.control.setPush({ dropShare: 1 }); // no channels are opened; polling is what is measured
  const world = await BenchWorld.start(emulator);
  try {
    const t = Date.now();
    const { users, clientEvents } = await seed(world, o);
    const seedMs = Date.now() - t;
    const cycles: CycleFigures[] = [];
    const changed = Math.max(1, Math.round(o.changedShare * o.users * (o.clientsPerUser + 1)));
    await profiled(() => measureCycles(world, o, clientEvents, changed, cycles));
    const processMaxRssMb = mb(process.resourceUsage().maxRSS * 1024);
    await emulator.control.setLatency(0);
    // One more cycle, so every stored token also covers the echoes of the last cycle's writes: the floor
    // lists quiet calendars whatever order the calendars were polled in.
    await world.jobs.run('periodic-sync');
    await world.sync.onIdle();
    const floor = await measureFloor(emulator.url, await floorTargets(world), PARALLEL_USERS, o.repeats);
    let probe: ProbeFigures | null = null;
    if (o.probe) {
      await world.watchAll(users[0]);
      probe = await probedCycle(world, users[0], o.probe.latencyMs, o.probe.trials);
    }
    return {
      users: o.users,
      calendars: o.users * (o.clientsPerUser + 1),
      seedMs,
      cycles,
      processMaxRssMb,
      floor,
      probe,
      databaseMb: databaseMb(world.product.config.databasePath),
    };
  } finally {
    await emulator.control.setLatency(0);
    await emulator.control.setPush({ dropShare: 0 });
    await world.close();
  }
}
